package org.distribank.consortium.entity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable vector clock: one counter per peer id. Missing entries read as 0, so clocks of
 * peers that have not heard of each other still compare. Entries are kept sorted by
 * {@link PeerIds#COMPARATOR} so the JSON form reads {@code {"b1":3,"b2":0,...}}.
 *
 * <p>Held as two arrays, not a map: every peer keeps the clock of every operation it decided (in its
 * outcome), so a clock must be small; a map of boxed longs was most of a peer's memory per operation.
 * Clocks made by one peer share one array of ids.
 */
public final class VectorClock {

    private final String[] ids;
    private final long[] values;

    /** A clock with {@code entries} (any order; copied). */
    public VectorClock(Map<String, Long> entries) {
        TreeMap<String, Long> sorted = new TreeMap<>(PeerIds.COMPARATOR);
        sorted.putAll(entries);
        this.ids = sorted.keySet().toArray(new String[0]);
        this.values = new long[ids.length];
        int i = 0;
        for (long v : sorted.values()) {
            values[i++] = v;
        }
    }

    private VectorClock(String[] ids, long[] values) {
        this.ids = ids;
        this.values = values;
    }

    /**
     * A clock over {@code ids}, already sorted by {@link PeerIds#COMPARATOR} and never changed by the
     * caller (shared, not copied), with {@code values} in the same order (copied).
     */
    public static VectorClock ofSorted(String[] ids, long[] values) {
        if (ids.length != values.length) {
            throw new IllegalArgumentException(ids.length + " ids, " + values.length + " values");
        }
        return new VectorClock(ids, values.clone());
    }

    /** A clock with every listed peer at 0. */
    public static VectorClock zero(Iterable<String> peerIds) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String id : peerIds) {
            m.put(id, 0L);
        }
        return new VectorClock(m);
    }

    /** The entries in peer order (a fresh unmodifiable map). */
    public Map<String, Long> entries() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public long get(String peerId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(peerId)) {
                return values[i];
            }
        }
        return 0L;
    }

    /** This clock with {@code peerId}'s entry one higher: every send, and every receive after merging. */
    public VectorClock increment(String peerId) {
        Map<String, Long> m = new LinkedHashMap<>(entries());
        m.merge(peerId, 1L, Long::sum);
        return new VectorClock(m);
    }

    /** Entry-wise maximum. */
    public VectorClock merge(VectorClock other) {
        Map<String, Long> m = new LinkedHashMap<>(entries());
        for (int i = 0; i < other.ids.length; i++) {
            m.merge(other.ids[i], other.values[i], Math::max);
        }
        return new VectorClock(m);
    }

    /** Sum of the entries: the first half of the order key; strictly grows along happened-before. */
    public long sum() {
        long s = 0;
        for (long v : values) {
            s = Math.addExact(s, v); // an overflow throws rather than reorders (peers' clocks are bounded)
        }
        return s;
    }

    public OrderKey orderKey(String origin) {
        return new OrderKey(sum(), origin);
    }

    /** How this clock relates to {@code other} under happened-before. */
    public ClockOrder compare(VectorClock other) {
        boolean less = false;
        boolean greater = false;
        List<String> keys = new ArrayList<>(Arrays.asList(ids));
        for (String k : other.ids) {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        for (String k : keys) {
            long a = get(k);
            long b = other.get(k);
            if (a < b) {
                less = true;
            } else if (a > b) {
                greater = true;
            }
        }
        if (less && greater) {
            return ClockOrder.CONCURRENT;
        }
        if (less) {
            return ClockOrder.BEFORE;
        }
        return greater ? ClockOrder.AFTER : ClockOrder.EQUAL;
    }

    public boolean happenedBefore(VectorClock other) {
        return compare(other) == ClockOrder.BEFORE;
    }

    public boolean concurrentWith(VectorClock other) {
        return compare(other) == ClockOrder.CONCURRENT;
    }

    /** Equal when they list the same peers with the same counters (as their maps would be). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof VectorClock v && Arrays.equals(ids, v.ids) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(ids[i]).append("\":").append(values[i]);
        }
        return sb.append('}').toString();
    }
}
