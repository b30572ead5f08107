package org.distribank.bank.execution;

import java.util.List;
import org.distribank.bank.ledger.InMemoryLedger;
import org.distribank.bank.ledger.Ledger;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.PixKeyCreated;
import org.distribank.bank.ledger.PixKeyDeleted;
import org.distribank.bank.ledger.Posting;

/** An in-memory data server behind every call; a test overrides the calls it holds back or refuses. */
class ForwardingLedger implements Ledger {
    final InMemoryLedger inner = new InMemoryLedger();

    @Override
    public void post(List<Posting> postings, List<OutcomeRecord> outcomes) {
        inner.post(postings, outcomes);
    }

    @Override
    public void recordOutcome(OutcomeRecord outcome) {
        inner.recordOutcome(outcome);
    }

    @Override
    public void createPixKey(PixKeyCreated key) {
        inner.createPixKey(key);
    }

    @Override
    public void deletePixKey(PixKeyDeleted key) {
        inner.deletePixKey(key);
    }

    @Override
    public long durableTotal() {
        return inner.durableTotal();
    }
}
