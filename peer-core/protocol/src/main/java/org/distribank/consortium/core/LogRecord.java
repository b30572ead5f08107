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
 *   <li>{@code Z<highestSent>\n<proposal>}: this node held messages past the cut of a decided view it could not
 *   install; replay (a first pass finds these records, {@link ProtocolCore#prescan}) leaves out every message past
 *   that cut logged before the view's install, and installs it.</li>
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

    /**
     * This node took back its own messages past {@code ownCut}, having sent up to {@code highestSent}
     * ({@code R<ownCut>\n<highestSent>}): left out of a view.
     */
    record Rewound(long ownCut, long highestSent) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("R" + ownCut + "\n" + highestSent).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Every message past {@code proposal}'s cut logged before that view was installed is void: a replay leaves them
     * out (this node had sent up to {@code highestSent}).
     */
    record Voided(ViewProposal proposal, long highestSent) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("Z" + highestSent + "\n" + proposalText(proposal)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A decided view installed here ({@code V} then the proposal's four lines, {@link #proposalText}): every message
     * of the old epoch up to the cut was logged before it.
     */
    record Installed(ViewProposal proposal) implements LogRecord {
        @Override
        public byte[] encode() {
            return ("V" + proposalText(proposal)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A record of the view ballot ({@code W} then {@code P}, {@code A} or {@code D} and its fields, a line each):
     * promised, accepted, decided. Durable before any ballot message of the same Ready leaves.
     */
    record Balloted(BallotRecord record) implements LogRecord {
        @Override
        public byte[] encode() {
            String body;
            if (record instanceof BallotRecord.Promised p) {
                body = "P\n" + p.epoch() + "\n" + p.ballot().round() + "\n" + p.ballot().proposer();
            } else if (record instanceof BallotRecord.Accepted a) {
                body = "A\n" + a.epoch() + "\n" + a.ballot().round() + "\n" + a.ballot().proposer() + "\n"
                        + proposalText(a.proposal());
            } else {
                body = "D\n" + proposalText(((BallotRecord.Decided) record).proposal());
            }
            return ("W" + body).getBytes(StandardCharsets.UTF_8);
        }

        static Balloted parse(String body) {
            String[] l = body.split("\n", -1);
            return new Balloted(switch (l[0]) {
                case "P" -> new BallotRecord.Promised(Long.parseLong(l[1]), new Ballot(Long.parseLong(l[2]), l[3]));
                case "A" -> new BallotRecord.Accepted(Long.parseLong(l[1]), new Ballot(Long.parseLong(l[2]), l[3]),
                        parseProposal(l, 4));
                case "D" -> new BallotRecord.Decided(parseProposal(l, 1));
                default -> throw new IllegalStateException("unknown ballot record " + l[0]);
            });
        }
    }

    /** {@code <epoch>\n<members>\n<banks>\n<cut>}: lists comma-separated, the cut as {@code bank=seq} pairs. */
    static String proposalText(ViewProposal p) {
        StringBuilder cut = new StringBuilder();
        p.cut().forEach((bank, seq) -> cut.append(cut.length() == 0 ? "" : ",").append(bank).append('=').append(seq));
        return p.epoch() + "\n" + String.join(",", p.view().members()) + "\n" + String.join(",", p.view().banks())
                + "\n" + cut;
    }

    static ViewProposal parseProposal(String[] lines, int from) {
        java.util.Map<String, Long> cut = new java.util.HashMap<>();
        if (!lines[from + 3].isEmpty()) {
            for (String pair : lines[from + 3].split(",")) {
                int eq = pair.indexOf('=');
                cut.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        org.distribank.consortium.entity.View view = new org.distribank.consortium.entity.View(
                Long.parseLong(lines[from]), java.util.List.of(lines[from + 1].split(",")),
                java.util.List.of(lines[from + 2].split(",")));
        return new ViewProposal(view, cut);
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
            case 'V' -> new Installed(parseProposal(body.split("\n", -1), 0));
            case 'Z' -> {
                int nl = body.indexOf('\n');
                yield new Voided(parseProposal(body.substring(nl + 1).split("\n", -1), 0),
                        Long.parseLong(body.substring(0, nl)));
            }
            case 'W' -> Balloted.parse(body);
            case 'R' -> {
                int nl = body.indexOf('\n');
                yield new Rewound(Long.parseLong(body.substring(0, nl)), Long.parseLong(body.substring(nl + 1)));
            }
            default -> throw new IllegalStateException("unknown log record " + tag);
        };
    }
}
