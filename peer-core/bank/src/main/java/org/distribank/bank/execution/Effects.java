package org.distribank.bank.execution;

import java.util.List;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.PixKeyCreated;
import org.distribank.bank.ledger.PixKeyDeleted;
import org.distribank.bank.ledger.Posting;

/**
 * One decided operation's durable writes at this bank, in typed values ({@code bank.ledger} maps them to the data
 * server's JSON): its postings, the origin's outcome record of a money operation, a PIX key of this bank's
 * accounts created or deleted. Empty ones just advance the applied position. {@code auditTotal}: for a committed
 * AUDIT, this bank's total in memory at its position, which the applier reconciles with the data server's durable
 * total once everything before it is written (null otherwise).
 */
public record Effects(long position, String opId, List<Posting> postings, OutcomeRecord outcome,
                      PixKeyCreated pixCreated, PixKeyDeleted pixDeleted, Long auditTotal) {

    public Effects {
        postings = postings == null ? List.of() : List.copyOf(postings);
    }

    public Effects(long position, String opId, List<Posting> postings, OutcomeRecord outcome,
                   PixKeyCreated pixCreated, PixKeyDeleted pixDeleted) {
        this(position, opId, postings, outcome, pixCreated, pixDeleted, null);
    }

    boolean hasPostings() {
        return !postings.isEmpty();
    }
}
