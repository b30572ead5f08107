package org.distribank.consortium.entity;

/**
 * One protocol event at peer {@code self}, stamped with its vector clock after the event.
 * {@code peer} is the other side (receiver of a send, sender of a receive, the peer that went
 * up or down) or null; {@code opId} the operation concerned or null; {@code detail} free text;
 * {@code view} the view installed, on {@link EventType#VIEW} events only (null on every other).
 * On a message's events ({@link EventType#SEND}, {@link EventType#ACK} at its sender, {@link EventType#RECEIVE} at
 * each receiver) {@code message} is its kind ({@code OP}, {@code VOTE}, {@code ACK}) and {@code seq} the sender's
 * sequence number of it, so (sender, seq) pairs a send with its receives; both are null on every other event.
 */
public record ProtocolEvent(long index, long timeMs, String self, EventType type, String peer, String opId,
                            String detail, VectorClock clock, View view, String message, Long seq) {

    /** An event that is not a message's send or receive. */
    public ProtocolEvent(long index, long timeMs, String self, EventType type, String peer, String opId,
                         String detail, VectorClock clock, View view) {
        this(index, timeMs, self, type, peer, opId, detail, clock, view, null, null);
    }

    /** This event with another index (a history that outlives restarts renumbers them). */
    public ProtocolEvent withIndex(long newIndex) {
        return new ProtocolEvent(newIndex, timeMs, self, type, peer, opId, detail, clock, view, message, seq);
    }

    /** This event with another operation id (the app shows a customer's operation by the id the customer chose). */
    public ProtocolEvent withOpId(String newOpId) {
        return new ProtocolEvent(index, timeMs, self, type, peer, newOpId, detail, clock, view, message, seq);
    }

    /** One line of human text, used by the ShiViz export and logs. */
    public String describe() {
        StringBuilder sb = new StringBuilder(type.name());
        if (opId != null) {
            sb.append(' ').append(opId);
        }
        if (peer != null) {
            sb.append(type == EventType.RECEIVE ? " from " : " to ").append(peer);
        }
        if (detail != null) {
            sb.append(' ').append(detail);
        }
        return sb.toString();
    }
}
