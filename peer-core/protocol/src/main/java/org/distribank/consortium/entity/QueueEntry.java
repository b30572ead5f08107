package org.distribank.consortium.entity;

import java.util.List;

/**
 * One hold-back queue entry for observers: {@code acks} are the peers from which a message with
 * a larger order key has been seen; {@code state} is QUEUED (waiting for acks) or DELIVERED
 * (waiting for votes).
 */
public record QueueEntry(String id, String origin, VectorClock clock, List<String> acks, String state) {
}
