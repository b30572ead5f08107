package org.distribank.consortium.entity;

/**
 * The total-order key of a message: the sum of its vector clock entries, ties broken by the
 * origin peer id. If a happened before b then sum(a) &lt; sum(b), so causality is respected.
 */
public record OrderKey(long clockSum, String origin) implements Comparable<OrderKey> {

    @Override
    public int compareTo(OrderKey o) {
        int c = Long.compare(clockSum, o.clockSum);
        return c != 0 ? c : PeerIds.COMPARATOR.compare(origin, o.origin);
    }

    public boolean greaterThan(OrderKey o) {
        return compareTo(o) > 0;
    }
}
