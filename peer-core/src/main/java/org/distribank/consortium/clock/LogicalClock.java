package org.distribank.consortium.clock;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.VectorClock;

/**
 * This peer's own vector clock, with the two rules of the protocol: tick own entry on every send;
 * on every receive merge entry-wise then tick. Kept as a plain array (the hot path merges a
 * clock per received message); {@link VectorClock} values are made only when asked for.
 * Not thread-safe: owned by the protocol thread.
 */
public final class LogicalClock {

    private final String[] ids;
    private final Map<String, Integer> index = new HashMap<>();
    private final int self;
    private final long[] entries;
    private VectorClock snapshot;

    public LogicalClock(String self, List<String> peerIds) {
        this.ids = peerIds.toArray(new String[0]);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        this.self = index.get(self);
        this.entries = new long[ids.length];
    }

    /** A send: own entry + 1; returns the stamp the message carries. */
    public VectorClock tickForSend() {
        entries[self]++;
        snapshot = null;
        return current();
    }

    /** A receive: merge, then own entry + 1. Returns the received clock's sum (its order key's first half). */
    public long onReceive(Map<String, Long> received) {
        long sum = 0;
        for (Map.Entry<String, Long> e : received.entrySet()) {
            long v = e.getValue();
            sum += v;
            Integer i = index.get(e.getKey());
            if (i != null && v > entries[i]) {
                entries[i] = v;
            }
        }
        entries[self]++;
        snapshot = null;
        return sum;
    }

    /** Replay of one of our own sends: the clock becomes at least its stamp. */
    public void restoreSend(Map<String, Long> stamp) {
        stamp.forEach((k, v) -> {
            Integer i = index.get(k);
            if (i != null && v > entries[i]) {
                entries[i] = v;
            }
        });
        snapshot = null;
    }

    /** Receive with a {@link VectorClock}; returns the clock after. */
    public VectorClock onReceive(VectorClock received) {
        onReceive(received.entries());
        return current();
    }

    public void restoreSend(VectorClock stamp) {
        restoreSend(stamp.entries());
    }

    public VectorClock current() {
        if (snapshot == null) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < ids.length; i++) {
                m.put(ids[i], entries[i]);
            }
            snapshot = new VectorClock(m);
        }
        return snapshot;
    }
}
