package org.distribank.bank.execution;

import java.util.Map;
import org.distribank.bank.schema.OptionalField;
import org.distribank.consortium.entity.Outcome;

/**
 * A money operation as its requester sees it (API.md "transaction result"): PENDING until decided and durable at
 * every leg's bank, then COMMITTED or ABORTED with the reason and failed leg; {@code position} its delivery
 * position once decided.
 */
public record TransactionResult(String id, Status status, @OptionalField String reason,
                                @OptionalField Integer failedLeg, Order order, @OptionalField Long position) {

    public enum Status { PENDING, COMMITTED, ABORTED }

    /** Where the operation was ordered from, and its vector clock once known. */
    public record Order(String origin, @OptionalField Map<String, Long> clock) {
    }

    /** A decided operation. */
    public static TransactionResult of(Outcome o) {
        String reason = null;
        Integer failedLeg = null;
        if (!o.committed()) {
            Reason r = Reason.parse(o.reason());
            reason = r.code();
            failedLeg = r.failedLeg();
        }
        return new TransactionResult(o.id(), o.committed() ? Status.COMMITTED : Status.ABORTED, reason, failedLeg,
                new Order(o.origin(), clock(o)), o.position());
    }

    static Map<String, Long> clock(Outcome o) {
        return o.clock() == null ? Map.of() : o.clock().entries();
    }

    /** The same result under another id (the client's own, not the scoped operation id). */
    public TransactionResult withId(String newId) {
        return new TransactionResult(newId, status, reason, failedLeg, order, position);
    }
}
