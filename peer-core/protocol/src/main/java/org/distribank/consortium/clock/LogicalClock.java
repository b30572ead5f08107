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
     * Returns the received clock's sum (its order key's first half). A sum past {@code long} throws
     * {@link ArithmeticException} before anything changes (the live path refuses such clocks first,
     * {@link #refusal}).
     */
    public long onReceive(long[] received) {
        long sum = sum(received);
        for (int i = 0; i < received.length; i++) {
            long v = received[i];
            if (v > entries[i]) {
                entries[i] = v;
            }
        }
        entries[self]++;
        snapshot = null;
        return sum;
    }

    /** The sum of a clock's entries; {@link ArithmeticException} rather than a wrapped, negative sum. */
    public static long sum(long[] clock) {
        long sum = 0;
        for (long v : clock) {
            sum = Math.addExact(sum, v);
        }
        return sum;
    }

    /**
     * Highest clock entry or sequence number a peer may send: 2^53 - 1, so it is exact as a JSON
     * number in any reader, and the sum of up to 1024 entries cannot overflow a {@code long}. Honest
     * counters never come near it (a million events a second reach it in 285 years).
     */
    public static final long MAX_ENTRY = (1L << 53) - 1;

    /**
     * How far a clock entry for a third peer X may run ahead of the highest X-entry this peer knows:
     * X's events that this peer has not heard of yet. Generous by design: a peer misses X's events
     * only while it is cut off, and while any peer is offline new operations are refused, so what
     * happens meanwhile is the traffic of a few seconds, not 2^32 events.
     */
    public static final long THIRD_PARTY_WINDOW = 1L << 32;

    /**
     * Why a message with sequence number {@code seq} and clock {@code received} (canonical order)
     * could not come from honest peer {@code sender} given what this peer knows ({@code known}: its
     * clock, which is the entry-wise maximum of everything it received and sent, to be merged with
     * the message if accepted; {@code previous}: the clock of the last message from {@code sender},
     * or null), or null when it could. The rules never refuse an honest peer:
     * <ul>
     *   <li>every entry is at most {@link #MAX_ENTRY} and the sum does not overflow;</li>
     *   <li>the clock never goes back and the sender's own entry grows on every send:
     *       entry-wise at least {@code previous}, the sender's entry above it;</li>
     *   <li>this peer's own entry is at most its own clock's: only its own messages tell about it;</li>
     *   <li>the sender's own entry is at most {@code seq} (its sends) plus the sum of its other
     *       entries: every receive ticks it once, and it has received at most {@code c[Y]} messages
     *       from each Y (a message's Y-entry is at least Y's sequence number of it);</li>
     *   <li>any other peer's entry is at most this peer's entry for it plus {@link #THIRD_PARTY_WINDOW}.</li>
     * </ul>
     */
    public String refusal(String sender, long seq, long[] received, long[] known, long[] previous) {
        if (received.length != ids.length || known.length != ids.length) {
            return "a clock has " + ids.length + " entries";
        }
        int s = index.get(sender);
        long others = 0;
        for (int i = 0; i < received.length; i++) {
            long v = received[i];
            if (v < 0 || v > MAX_ENTRY) {
                return "clock entry for " + ids[i] + " out of range: " + v;
            }
            if (i != s) {
                others = Math.addExact(others, v); // cannot overflow: each <= 2^53, and checked anyway
            }
        }
        if (previous != null) {
            for (int i = 0; i < received.length; i++) {
                if (received[i] < previous[i]) {
                    return "clock entry for " + ids[i] + " went back from " + previous[i] + " to " + received[i];
                }
            }
            if (received[s] <= previous[s]) {
                return "the sender's own clock entry did not grow (" + received[s] + ")";
            }
        }
        if (received[self] > known[self]) {
            return "clock entry for this peer " + ids[self] + " is " + received[self] + ", beyond its own clock "
                    + known[self];
        }
        if (received[s] > Math.addExact(seq, others)) {
            return "the sender's own clock entry " + received[s] + " exceeds its sends and receives ("
                    + seq + " + " + others + ")";
        }
        for (int i = 0; i < received.length; i++) {
            if (i != s && i != self && received[i] - known[i] > THIRD_PARTY_WINDOW) {
                return "clock entry for " + ids[i] + " is " + received[i] + ", more than " + THIRD_PARTY_WINDOW
                        + " ahead of the " + known[i] + " this peer knows";
            }
        }
        return null;
    }

    /** Position of {@code peer} in canonical order. */
    public int indexOf(String peer) {
        return index.get(peer);
    }

    /** A copy of this peer's entries, canonical order. */
    public long[] entries() {
        return entries.clone();
    }

    /** A receive of a clock as a map (missing entries read as 0): merge, then own entry + 1; returns its sum. */
    public long onReceive(Map<String, Long> received) {
        return onReceive(toArray(received));
    }

    /**
     * This node took back its last {@code sends} sends (left out of a view: no member holds them): its own entry no
     * longer counts them, so its next messages, which reuse their sequence numbers, keep own entry <= sends +
     * receives, as {@link #refusal} checks (the simulator found a rejoined bank's batch refused for it). The entry
     * stays above what any member saw from this node: they saw its messages up to the cut only.
     */
    public void takeBack(long sends) {
        entries[self] = Math.max(0, entries[self] - sends);
        snapshot = null;
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
