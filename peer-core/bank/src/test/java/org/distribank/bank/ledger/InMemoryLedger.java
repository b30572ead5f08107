package org.distribank.bank.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data server in memory, for the applier's writes ({@link Ledger}): idempotent postings by operation id (a
 * batch mixing applied and new ids is refused as a whole, 409 OPERATION_CONFLICT, as the real one does),
 * outcome records, PIX keys. Thread-safe; no I/O, no thread of its own.
 */
public final class InMemoryLedger implements Ledger {

    private final Map<String, Posting> postings = new LinkedHashMap<>();
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, OutcomeRecord> outcomes = new LinkedHashMap<>();
    private final Map<String, PixKeyCreated> pixKeys = new LinkedHashMap<>();

    @Override
    public synchronized void post(List<Posting> batch, List<OutcomeRecord> records) {
        int known = 0;
        for (Posting p : batch) {
            if (postings.containsKey(p.operationId())) {
                known++;
            }
        }
        if (known > 0 && known < batch.size()) {
            throw new LedgerException(409, "OPERATION_CONFLICT", "some of these postings were applied already");
        }
        if (known == 0) {
            for (Posting p : batch) {
                postings.put(p.operationId(), p);
                balances.merge(p.account(), p.amount(), Long::sum);
            }
        }
        for (OutcomeRecord r : records) {
            outcomes.putIfAbsent(r.transactionId(), r);
        }
    }

    @Override
    public synchronized void recordOutcome(OutcomeRecord outcome) {
        OutcomeRecord held = outcomes.putIfAbsent(outcome.transactionId(), outcome);
        if (held != null && !held.equals(outcome)) {
            throw new LedgerException(409, "TRANSACTION_CONFLICT", "another outcome is recorded");
        }
    }

    @Override
    public synchronized long durableTotal() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized void createPixKey(PixKeyCreated key) {
        if (pixKeys.putIfAbsent(key.key(), key) != null) {
            throw new LedgerException(409, "PIX_KEY_TAKEN", "key exists");
        }
    }

    @Override
    public synchronized void deletePixKey(PixKeyDeleted key) {
        if (pixKeys.remove(key.key()) == null) {
            throw new LedgerException(404, "PIX_KEY_NOT_FOUND", "no such key");
        }
    }

    public synchronized long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    public synchronized List<Posting> postings() {
        return new ArrayList<>(postings.values());
    }

    public synchronized Map<String, OutcomeRecord> outcomes() {
        return new LinkedHashMap<>(outcomes);
    }

    public synchronized Map<String, PixKeyCreated> pixKeys() {
        return new LinkedHashMap<>(pixKeys);
    }
}
