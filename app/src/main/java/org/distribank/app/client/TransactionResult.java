package org.distribank.app.client;

import java.util.Map;

/**
 * A transaction's outcome: PENDING, COMMITTED or ABORTED with the reason and the failed leg (0-based,
 * or null), and where it sits in the total order (origin bank and vector clock).
 */
public record TransactionResult(String id, String status, String reason, Integer failedLeg, String origin,
                                Map<String, Long> clock) {

    public boolean pending() {
        return "PENDING".equals(status);
    }

    public boolean committed() {
        return "COMMITTED".equals(status);
    }
}
