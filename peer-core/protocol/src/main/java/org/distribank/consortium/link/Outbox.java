package org.distribank.consortium.link;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * This peer's outbound stream: every message it sends, by sequence number, already serialised.
 * Every message goes to every other peer, so one outbox feeds all links; each link keeps its own
 * acknowledged position. Only messages up to {@link #durableSeq()} (on disk) may be sent.
 */
public final class Outbox {

    private final ConcurrentSkipListMap<Long, String> messages = new ConcurrentSkipListMap<>();
    private volatile long durableSeq;
    /** This peer's restartable snapshot position, told to the peers on every batch (0: none yet). */
    private volatile long snapshotPosition;

    public void put(long seq, String json) {
        messages.put(seq, json);
    }

    public void markDurable(long seq) {
        durableSeq = seq;
    }

    public long durableSeq() {
        return durableSeq;
    }

    /** The position this peer could restart from on its own; batches carry it as {@code "snap"}. */
    public void snapshotPosition(long position) {
        snapshotPosition = position;
    }

    /** This peer's messages after {@code after}, in order (what a snapshot keeps for resending). */
    public java.util.List<java.util.Map.Entry<Long, String>> after(long after) {
        return java.util.List.copyOf(messages.tailMap(after, false).entrySet());
    }

    /**
     * The JSON batch of messages after {@code acked}, at most {@code max} and only durable ones,
     * or null when there is nothing to send.
     */
    public String batchAfter(String from, long acked, int max) {
        return batchBetween(from, acked, Math.min(durableSeq, acked + max));
    }

    /** The JSON batch of messages {@code (after, upTo]} (the caller keeps {@code upTo} durable), or null. */
    public String batchBetween(String from, long after, long upTo) {
        return batchBetween(from, after, upTo, 0);
    }

    /** As {@link #batchBetween(String, long, long)}, carrying {@code ack} (this peer's ack for the other direction) when positive. */
    public String batchBetween(String from, long after, long upTo, long ack) {
        if (upTo <= after) {
            return null;
        }
        StringBuilder sb = new StringBuilder((int) Math.min(1 << 20, 256 * (upTo - after)));
        sb.append("{\"from\":\"").append(from).append('"');
        if (ack > 0) {
            sb.append(",\"ack\":").append(ack);
        }
        long snap = snapshotPosition;
        if (snap > 0) {
            sb.append(",\"snap\":").append(snap);
        }
        sb.append(",\"messages\":[");
        boolean first = true;
        for (String m : messages.subMap(after + 1, true, upTo, true).values()) {
            if (!first) {
                sb.append(',');
            }
            sb.append(m);
            first = false;
        }
        return first ? null : sb.append("]}").toString();
    }

    /** Forgets messages every link has acknowledged. */
    public void trimThrough(long seq) {
        messages.headMap(seq, true).clear();
    }

    public int size() {
        return messages.size();
    }
}
