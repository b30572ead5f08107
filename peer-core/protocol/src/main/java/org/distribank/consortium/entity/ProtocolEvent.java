package org.distribank.consortium.entity;

/**
 * One protocol event at peer {@code self}, stamped with its vector clock after the event.
 * {@code peer} is the other side (receiver of a send, sender of a receive, the peer that went
 * up or down) or null; {@code opId} the operation concerned or null; {@code detail} free text;
 * {@code view} the view installed, on {@link EventType#VIEW} events only (null on every other).
 */
public record ProtocolEvent(long index, long timeMs, String self, EventType type, String peer, String opId,
                            String detail, VectorClock clock, View view) {

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
