package org.distribank.consortium.wire;

import java.util.List;

/**
 * One protocol message on a link. Every message a peer sends goes to every other peer, so one
 * per-sender sequence number {@code seq} serves as the sequence number of each of its links.
 * {@code clock} is the sender's vector clock at the send, in the consortium's canonical peer order
 * ({@link org.distribank.consortium.clock.LogicalClock#canonicalOrder}). {@code type} is OP (id,
 * payload), ACK (the clock only) or VOTE (this peer's votes cast since its last message, one
 * {@link Ballot} per delivered operation: one message carries them all).
 */
public record WireMessage(long seq, String type, long[] clock, String id, String payload, List<Ballot> votes) {

    public static final String OP = "OP";
    public static final String ACK = "ACK";
    public static final String VOTE = "VOTE";

    /** One vote on operation {@code id}: yes, or no with a reason. */
    public record Ballot(String id, boolean yes, String reason) {
    }

    public static WireMessage op(long seq, long[] clock, String id, String payload) {
        return new WireMessage(seq, OP, clock, id, payload, null);
    }

    public static WireMessage ack(long seq, long[] clock) {
        return new WireMessage(seq, ACK, clock, null, null, null);
    }

    public static WireMessage votes(long seq, long[] clock, List<Ballot> votes) {
        return new WireMessage(seq, VOTE, clock, null, null, List.copyOf(votes));
    }
}
