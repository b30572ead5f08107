package org.distribank.bank.ledger;

import java.util.List;

/**
 * What the applier writes to this bank's data server, in typed values: {@link LedgerClient} maps them to the
 * data server's JSON; a test or a simulator passes an in-memory one. Failures are {@link LedgerException}s
 * (status and code of the data server's answer, or unreachable).
 */
public interface Ledger {

    /** The atomic postings batch: every posting and every outcome record, or nothing. */
    void post(List<Posting> postings, List<OutcomeRecord> outcomes);

    /** {@code PUT /transactions/{id}}: one outcome record on its own (409 when another is held). */
    void recordOutcome(OutcomeRecord outcome);

    /** 409 when the key is already there. */
    void createPixKey(PixKeyCreated key);

    /** 404 when the key is not there. */
    void deletePixKey(PixKeyDeleted key);

    /** The sum of this bank's balances as the data server durably holds them ({@code GET /total}), for audits. */
    long durableTotal();
}
