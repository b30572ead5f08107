package org.distribank.consortium.entity;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable vector clock: one counter per peer id. Missing entries read as 0, so clocks of
 * peers that have not heard of each other still compare. Entries are kept sorted by
 * {@link PeerIds#COMPARATOR} so the JSON form reads {@code {"b1":3,"b2":0,...}}.
 */
public record VectorClock(Map<String, Long> entries) {

    public VectorClock {
        TreeMap<String, Long> copy = new TreeMap<>(PeerIds.COMPARATOR);
        copy.putAll(entries);
        entries = Collections.unmodifiableMap(copy);
    }

    /** A clock with every listed peer at 0. */
    public static VectorClock zero(Iterable<String> peerIds) {
        TreeMap<String, Long> m = new TreeMap<>(PeerIds.COMPARATOR);
        for (String id : peerIds) {
            m.put(id, 0L);
        }
        return new VectorClock(m);
    }

    public long get(String peerId) {
        Long v = entries.get(peerId);
        return v == null ? 0L : v;
    }

    /** This clock with {@code peerId}'s entry one higher: every send, and every receive after merging. */
    public VectorClock increment(String peerId) {
        TreeMap<String, Long> m = new TreeMap<>(entries);
        m.merge(peerId, 1L, Long::sum);
        return new VectorClock(m);
    }

    /** Entry-wise maximum. */
    public VectorClock merge(VectorClock other) {
        TreeMap<String, Long> m = new TreeMap<>(entries);
        other.entries.forEach((k, v) -> m.merge(k, v, Math::max));
        return new VectorClock(m);
    }

    /** Sum of the entries: the first half of the order key; strictly grows along happened-before. */
    public long sum() {
        long s = 0;
        for (long v : entries.values()) {
            s += v;
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
        TreeMap<String, Long> keys = new TreeMap<>(PeerIds.COMPARATOR);
        keys.putAll(entries);
        keys.putAll(other.entries);
        for (String k : keys.keySet()) {
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        entries.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(k).append("\":").append(v);
        });
        return sb.append('}').toString();
    }
}
