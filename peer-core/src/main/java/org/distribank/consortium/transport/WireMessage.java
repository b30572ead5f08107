package org.distribank.consortium.transport;

import java.util.Map;

/**
 * One protocol message on a link. Every message a peer sends goes to every other peer, so one
 * per-sender sequence number {@code seq} serves as the sequence number of each of its links.
 * {@code type} is OP (id, payload), ACK (clock only) or VOTE (id = operation, yes, reason).
 */
public record WireMessage(long seq, String type, Map<String, Long> clock, String id, String payload, Boolean yes,
                          String reason) {

    public static final String OP = "OP";
    public static final String ACK = "ACK";
    public static final String VOTE = "VOTE";
}
