package org.distribank.consortium.wire;

import java.util.List;

/**
 * One link batch (an HTTP body of {@code POST /peer/v1/messages}, or a WebSocket frame):
 * consecutive messages of one sender's link. {@code ack}, when present, is the sender's own
 * cumulative link ack for the opposite direction: the highest sequence number it holds durably
 * from the receiver. Riding on data frames, it spares most separate ack frames. {@code snap}, when present, is
 * the delivery position from which the sender could restart on its own (a durable snapshot its machine has
 * applied): every member's such position bounds the log's truncation (PROTOCOL.md, "Snapshots"). {@code rv},
 * when present, is the sender's receive vector (canonical peer order): per peer, the highest sequence number the
 * sender holds durably and contiguously from it, its own entry its own last durable sequence number; from every
 * member's latest vector a node knows which messages are stable (PROTOCOL.md, "Stability and final outcomes").
 * A batch may have no messages: a vector frame, sent when a node has news of its vector and nothing else to say.
 * {@code epoch} is the view the sender orders in (0, the first view, when absent): a receiver in a later view
 * takes nothing new from it, one in an earlier view learns the later one first (PROTOCOL.md, "Views").
 */
public record WireBatch(String from, Long ack, List<WireMessage> messages, Long snap, long[] rv, long epoch) {

    public WireBatch(String from, Long ack, List<WireMessage> messages) {
        this(from, ack, messages, null, null, 0);
    }

    public WireBatch(String from, Long ack, List<WireMessage> messages, Long snap) {
        this(from, ack, messages, snap, null, 0);
    }

    public WireBatch(String from, Long ack, List<WireMessage> messages, Long snap, long[] rv) {
        this(from, ack, messages, snap, rv, 0);
    }
}
