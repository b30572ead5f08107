package org.distribank.consortium.entity;

/**
 * An opaque operation in the total order: its id (unique, the client's idempotency key), the
 * peer that multicast it, the vector clock it was sent with, and a payload only the state
 * machine understands.
 */
public record Operation(String id, String origin, VectorClock clock, String payload) {

    public OrderKey orderKey() {
        return clock.orderKey(origin);
    }
}
