package org.distribank.consortium.link;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * This peer's outbound stream: every message it sends, by sequence number, already serialised.
 * Every message goes to every other peer, so one outbox feeds all links; each link keeps its own
 * acknowledged position. Only messages up to {@link #durableSeq()} (on disk) may be sent.
 *
 * <p>A frame is bounded by message count and by bytes ({@link #frameBetween}): a transport refuses a frame past
 * its own limit (OkHttp queues at most 16 MiB on a WebSocket, the receiver reads at most 64 MiB), and a link
 * that resent the same refused frame would never drain its backlog.
 */
public final class Outbox {

    /**
     * Room for a frame's envelope ({@code {"from":..,"ack":..,"messages":[..]}}) around its messages: a message
     * larger than a frame's bytes less this never fits (the node refuses such an operation at submit).
     */
    public static final int FRAME_ENVELOPE_BYTES = 256;

    private final ConcurrentSkipListMap<Long, String> messages = new ConcurrentSkipListMap<>();
    private volatile long durableSeq;
    /** This peer's restartable snapshot position, told to the peers on every batch (0: none yet). */
    private volatile long snapshotPosition;
    /** This peer's durable receive vector as JSON (null: none yet), carried by every frame; its version counts changes. */
    private volatile String vectorJson;
    private volatile long vectorVersion;
    private volatile long newsVersion;
    /** The epoch of the view this peer orders in, on every frame (0: the first view, not written). */
    private volatile long epoch;
    private long[] vector;

    /** One frame: its JSON, the last message it carries, and its size in UTF-8 bytes. */
    public record Frame(String json, long upTo, long bytes) {
    }

    public void put(long seq, String json) {
        messages.put(seq, json);
    }

    /** This peer's message {@code seq} if it is durable and still kept (a view change relays it), else null. */
    public String message(long seq) {
        return seq <= durableSeq ? messages.get(seq) : null;
    }

    /** Drops this peer's messages past {@code seq}: taken back (left out of a view; no peer holds them). */
    public void rewind(long seq) {
        messages.tailMap(seq, false).clear();
        if (durableSeq > seq) {
            durableSeq = seq;
        }
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

    /**
     * This peer's receive vector, durable now (the driver calls this after the sync): frames built from now on carry
     * it, and a link with nothing else to say sends it alone ({@link #vectorFrame}). Protocol thread.
     */
    public void receiveVector(long[] rv, boolean news) {
        if (vector != null && java.util.Arrays.equals(vector, rv)) {
            return;
        }
        vector = rv.clone();
        vectorJson = org.distribank.consortium.wire.WireCodec.vectorJson(rv);
        vectorVersion++;
        if (news) {
            newsVersion = vectorVersion;
        }
    }

    /** The view this peer now orders in: frames built from now on say so. Protocol thread. */
    public void epoch(long epoch) {
        this.epoch = epoch;
    }

    /** How many times the receive vector changed (every frame carries the latest). */
    public long vectorVersion() {
        return vectorVersion;
    }

    /**
     * The version of the latest receive vector that is news the peers wait for (it covers a vote this peer received:
     * votes are what operations wait on to be final). A link whose last frame carried an older vector sends it in a
     * frame of no messages; other changes ride the next data frame (the ACK a received OP calls for carries the
     * vector that holds it), so quiet links do not send a frame per burst.
     */
    public long newsVersion() {
        return newsVersion;
    }

    /**
     * A frame with no messages carrying this peer's receive vector (and {@code ack} when positive): the way a peer
     * with nothing else to say tells the others what it holds, so operations become final when traffic stops.
     */
    public String vectorFrame(String from, long ack) {
        StringBuilder sb = new StringBuilder(64 + (vectorJson == null ? 0 : vectorJson.length()));
        envelope(sb, from, ack);
        return sb.append("]}").toString();
    }

    private void envelope(StringBuilder sb, String from, long ack) {
        sb.append("{\"from\":\"").append(from).append('"');
        if (ack > 0) {
            sb.append(",\"ack\":").append(ack);
        }
        long snap = snapshotPosition;
        if (snap > 0) {
            sb.append(",\"snap\":").append(snap);
        }
        String rv = vectorJson;
        if (rv != null) {
            sb.append(",\"rv\":").append(rv);
        }
        long e = epoch;
        if (e > 0) {
            sb.append(",\"e\":").append(e);
        }
        sb.append(",\"messages\":[");
    }

    /** This peer's messages after {@code after}, in order (what a snapshot keeps for resending). */
    public java.util.List<java.util.Map.Entry<Long, String>> after(long after) {
        return java.util.List.copyOf(messages.tailMap(after, false).entrySet());
    }

    /**
     * The next frame after {@code acked}: at most {@code max} messages, only durable ones, and at most
     * {@code maxBytes} (always at least one message), or null when there is nothing to send.
     */
    public Frame frameAfter(String from, long acked, int max, long maxBytes) {
        return frameBetween(from, acked, Math.min(durableSeq, acked + max), 0, maxBytes);
    }

    /** The JSON batch of messages {@code (after, upTo]} (the caller keeps {@code upTo} durable), or null. */
    public String batchBetween(String from, long after, long upTo) {
        return batchBetween(from, after, upTo, 0);
    }

    /**
     * As {@link #batchBetween(String, long, long)}, carrying {@code ack} (this peer's ack for the other direction)
     * when positive; every message, whatever its size.
     */
    public String batchBetween(String from, long after, long upTo, long ack) {
        Frame f = frameBetween(from, after, upTo, ack, Long.MAX_VALUE);
        return f == null ? null : f.json();
    }

    /**
     * The frame of messages from {@code after + 1} up to {@code upTo} at most, carrying {@code ack} when positive,
     * that stays within {@code maxBytes} UTF-8 bytes: it ends before the first message that would not fit, but
     * always carries the first one (a message alone larger than {@code maxBytes} goes alone). Null when there is
     * nothing in that range.
     */
    public Frame frameBetween(String from, long after, long upTo, long ack, long maxBytes) {
        if (upTo <= after) {
            return null;
        }
        StringBuilder sb = new StringBuilder((int) Math.min(Math.min(1 << 20, maxBytes), 256 * (upTo - after)));
        envelope(sb, from, ack);
        long bytes = org.distribank.consortium.wire.WireCodec.utf8Length(sb) + 2; // and "]}"
        long last = after;
        for (var e : messages.subMap(after + 1, true, upTo, true).entrySet()) {
            String m = e.getValue();
            long size = org.distribank.consortium.wire.WireCodec.utf8Length(m) + (last == after ? 0 : 1);
            if (last != after && bytes + size > maxBytes) {
                break; // the next frame starts with it
            }
            if (last != after) {
                sb.append(',');
            }
            sb.append(m);
            bytes += size;
            last = e.getKey();
        }
        return last == after ? null : new Frame(sb.append("]}").toString(), last, bytes);
    }

    /** Forgets messages every link has acknowledged. */
    public void trimThrough(long seq) {
        messages.headMap(seq, true).clear();
    }

    public int size() {
        return messages.size();
    }
}
