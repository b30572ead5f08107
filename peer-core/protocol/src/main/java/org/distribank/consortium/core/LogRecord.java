package org.distribank.consortium.core;

import java.nio.charset.StandardCharsets;

/**
 * One record of a node's protocol log, and its byte codec. Replaying the records in order through
 * {@link ProtocolCore#replay} rebuilds the clock, queue, votes and outcomes.
 *
 * <ul>
 *   <li>{@code S<json>}: a message this node sent (its seq, clock stamp and content);</li>
 *   <li>{@code B<from>\n<batch json>}: a batch received from a peer (replayed through the same duplicate filter);</li>
 *   <li>{@code A<peer>\n<seq>}: a link ack (only to trim the outbox on replay; never forced on its own);</li>
 *   <li>{@code F<position>}: the outcomes through delivery position {@code position} were final when decided. What
 *   made them final can have come in frames of no messages, which are not logged; a replay takes this record's
 *   word and decides them again at once, as before the crash.</li>
 * </ul>
 */
public sealed interface LogRecord {

    byte[] encode();

    /** A message this node sent, as its wire JSON. */
    record Sent(String json) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("S" + json).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A batch received from {@code from}, as it came. */
    record Received(String from, String batchJson) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("B" + from + "\n" + batchJson).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code peer} acknowledged this node's messages through {@code upTo}. */
    record LinkAcked(String peer, long upTo) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("A" + peer + "\n" + upTo).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The operations delivered through {@code position} were decided, final. */
    record Finalized(long position) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("F" + position).getBytes(StandardCharsets.UTF_8);
        }
    }

    static LogRecord decode(byte[] rec) {
        if (rec.length == 0) {
            throw new IllegalStateException("empty log record");
        }
        char tag = (char) rec[0];
        String body = new String(rec, 1, rec.length - 1, StandardCharsets.UTF_8);
        return switch (tag) {
            case 'S' -> new Sent(body);
            case 'B' -> {
                int nl = body.indexOf('\n');
                yield new Received(body.substring(0, nl), body.substring(nl + 1));
            }
            case 'A' -> {
                int nl = body.indexOf('\n');
                yield new LinkAcked(body.substring(0, nl), Long.parseLong(body.substring(nl + 1)));
            }
            case 'F' -> new Finalized(Long.parseLong(body));
            default -> throw new IllegalStateException("unknown log record " + tag);
        };
    }
}
