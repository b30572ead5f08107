package org.distribank.bank.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each value that decided operations repeat: bank ids, account references, CPFs. A bank keeps
 * every operation it decided in memory (idempotency, statements of outcomes), and a parsed payload used to bring
 * its own copy of each string (about 960 bytes an operation, mostly strings that a thousand other operations
 * also held), which made young collections copy, and the old generation fill, twice what it had to. Bounded:
 * past {@link #MAX_VALUES} distinct values (payloads naming accounts that do not exist, say) a value is kept as
 * it came. Thread-safe: payloads are parsed on the protocol thread and on request threads.
 */
final class SharedValues {

    static final int MAX_VALUES = 1 << 18;

    private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();

    /** The payload with shared values, its legs in a compact immutable list. */
    BankOperation compact(BankOperation b) {
        List<Leg> legs = b.legs();
        if (legs != null) {
            List<Leg> shared = new ArrayList<>(legs.size());
            for (Leg l : legs) {
                shared.add(new Leg(ref(l.from()), ref(l.to()), l.pixKey(), l.amount(), l.consent()));
            }
            legs = List.copyOf(shared);
        }
        return new BankOperation(b.kind(), shared(b.cpf()), b.fingerprint(), legs, b.key(), b.keyType(),
                ref(b.pixAccount()), b.maskedName(), b.consent());
    }

    private AccountRef ref(AccountRef r) {
        if (r == null) {
            return null;
        }
        Object known = values.get(r);
        return known != null ? (AccountRef) known : shared(new AccountRef(shared(r.bank()), shared(r.account())));
    }

    @SuppressWarnings("unchecked")
    <T> T shared(T value) {
        if (value == null) {
            return null;
        }
        Object known = values.get(value);
        if (known != null) {
            return (T) known;
        }
        if (values.size() >= MAX_VALUES) {
            return value;
        }
        Object raced = values.putIfAbsent(value, value);
        return raced == null ? value : (T) raced;
    }

    int size() {
        return values.size();
    }
}
