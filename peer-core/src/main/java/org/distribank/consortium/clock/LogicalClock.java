package org.distribank.consortium.clock;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.VectorClock;

/**
 * This peer's own vector clock, with the two rules of the protocol: tick own entry on every send;
 * on every receive merge entry-wise then tick. Kept as a plain array in the consortium's canonical
 * peer order ({@link PeerIds#COMPARATOR}, the same at every peer whatever order its config lists
 * the peers in), which is also the order of a clock on the wire: the hot path merges a clock per
 * received message without a map. {@link VectorClock} values are made only when asked for.
 * Not thread-safe: owned by the protocol thread.
 */
public final class LogicalClock {

    private final String[] ids;
    private final Map<String, Integer> index = new HashMap<>();
    private final int self;
    private final long[] entries;
    private VectorClock snapshot;

    public LogicalClock(String self, List<String> peerIds) {
        this.ids = canonicalOrder(peerIds);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        this.self = index.get(self);
        this.entries = new long[ids.length];
    }

    /** The peers in the order of a clock's entries on the wire. */
    public static String[] canonicalOrder(List<String> peerIds) {
        String[] sorted = peerIds.toArray(new String[0]);
        Arrays.sort(sorted, PeerIds.COMPARATOR);
        return sorted;
    }

    /** A send: own entry + 1; returns the stamp the message carries, in canonical order. */
    public long[] tick() {
        entries[self]++;
        snapshot = null;
        return entries.clone();
    }

    /** A send: own entry + 1; returns the stamp the message carries. */
    public VectorClock tickForSend() {
        tick();
        return current();
    }

    /**
     * A receive of a clock in canonical order (as on the wire): merge, then own entry + 1.
     * Returns the received clock's sum (its order key's first half).
     */
    public long onReceive(long[] received) {
        long sum = 0;
        for (int i = 0; i < received.length; i++) {
            long v = received[i];
            sum += v;
            if (v > entries[i]) {
                entries[i] = v;
            }
        }
        entries[self]++;
        snapshot = null;
        return sum;
    }

    /** A receive of a clock as a map (missing entries read as 0): merge, then own entry + 1; returns its sum. */
    public long onReceive(Map<String, Long> received) {
        return onReceive(toArray(received));
    }

    /** Replay of one of our own sends: the clock becomes at least its stamp. */
    public void restoreSend(long[] stamp) {
        for (int i = 0; i < stamp.length; i++) {
            if (stamp[i] > entries[i]) {
                entries[i] = stamp[i];
            }
        }
        snapshot = null;
    }

    /** Receive with a {@link VectorClock}; returns the clock after. */
    public VectorClock onReceive(VectorClock received) {
        onReceive(received.entries());
        return current();
    }

    public void restoreSend(VectorClock stamp) {
        restoreSend(toArray(stamp.entries()));
    }

    /** A clock map in canonical order; an entry for a peer outside the consortium is refused. */
    public long[] toArray(Map<String, Long> clock) {
        long[] a = new long[ids.length];
        clock.forEach((k, v) -> {
            Integer i = index.get(k);
            if (i == null) {
                throw new IllegalArgumentException("a clock entry for " + k + ", who is not in the consortium");
            }
            a[i] = v;
        });
        return a;
    }

    /** The {@link VectorClock} of a canonical-order array. */
    public VectorClock toVectorClock(long[] stamp) {
        return VectorClock.ofSorted(ids, stamp);
    }

    public VectorClock current() {
        if (snapshot == null) {
            snapshot = toVectorClock(entries);
        }
        return snapshot;
    }
}
