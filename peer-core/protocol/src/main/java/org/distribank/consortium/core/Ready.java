package org.distribank.consortium.core;

import java.util.List;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.VectorClock;

/**
 * What the driver must do after a burst of {@link ProtocolCore} steps, in this order (etcd's
 * {@code Ready}): append {@link #records} and, if {@link #mustSync}, force them; only then hand
 * {@link #messages} through {@link #lastSeq} to the links, answer the inbound batches of the burst,
 * and report {@link #outcomes}; then call {@link ProtocolCore#advance}. Nothing here may leave the
 * node before the sync, and after a failed sync nothing here may leave at all.
 *
 * @param records     log records to append, in order
 * @param mustSync    whether the records (or earlier appended ones) must be forced before anything leaves
 * @param messages    messages sent in this burst, for the outbox (each also in {@link #records})
 * @param lastSeq     the highest sequence number sent so far: durable once this Ready is
 * @param outcomes    operations decided in this burst, to report to whoever waits for them
 * @param trimThrough every link has acknowledged this node's messages through this seq (0: no change)
 * @param events      protocol events to publish (only while observed)
 * @param ballot      view-ballot messages to send after the sync, each to one bank (DESIGN.md "Views")
 * @param fetch       per bank, the (after, upTo] range of its messages a view change needs and this node lacks:
 *                    ask the members to relay them ({@link ProtocolCore#relayed}); null when nothing is wanted
 * @param wedged      whether this node is wedged (promised for the next epoch, not installed): its driver refuses
 *                    link batches and new work meanwhile
 * @param rewoundTo   this node took back its own messages past this sequence number (left out of a view: no member
 *                    holds them): drop them from the outbox before enqueuing; -1 when not
 */
public record Ready(List<LogRecord> records, boolean mustSync, List<Outgoing> messages, long lastSeq,
                    List<Outcome> outcomes, long trimThrough, List<Event> events,
                    List<BallotReady.Envelope> ballot, java.util.Map<String, long[]> fetch, boolean wedged,
                    long rewoundTo) {

    public Ready(List<LogRecord> records, boolean mustSync, List<Outgoing> messages, long lastSeq,
                 List<Outcome> outcomes, long trimThrough, List<Event> events) {
        this(records, mustSync, messages, lastSeq, outcomes, trimThrough, events, List.of(), null, false, -1);
    }

    /** One message for every other peer, with its sequence number and wire JSON. */
    public record Outgoing(long seq, String json) {
    }

    /** A protocol event to publish; {@code message} and {@code seq} as in {@link org.distribank.consortium.entity.ProtocolEvent}. */
    public record Event(EventType type, String peer, String opId, String detail, VectorClock clock, String message,
                        Long seq) {
    }
}
