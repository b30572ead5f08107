package org.distribank.consortium.entity;

/**
 * The decided result of an operation. {@code reason} and {@code voter} name the first NO in
 * voter order when ABORTED. {@code position} is the 1-based delivery position.
 */
public record Outcome(String id, String origin, VectorClock clock, Decision decision, String reason, String voter,
                      long position) {

    public boolean committed() {
        return decision == Decision.COMMITTED;
    }
}
