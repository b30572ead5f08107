package org.distribank.bank.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data server's copy of a money operation's outcome (the protocol log is the source of truth):
 * {@code status} COMMITTED or ABORTED, {@code reason}/{@code failedLeg} for an abort, the order's origin and clock.
 */
public record OutcomeRecord(String transactionId, String fingerprint, String status, String reason,
                            Integer failedLeg, String origin, Map<String, Long> clock) {

    public OutcomeRecord {
        clock = clock == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(clock)); // peer order kept
    }
}
