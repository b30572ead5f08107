package org.distribank.consortium.wire;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.clock.LogicalClock;
import org.distribank.consortium.core.Ballot;
import org.distribank.consortium.core.BallotMessage;
import org.distribank.consortium.core.ViewProposal;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.View;

/**
 * JSON of the view ballot's wire (PROTOCOL.md "Views: the wire"): every {@link BallotMessage} with its sender, and
 * the relay fetch's request ({@link FetchRequest}). A ballot message is
 * <pre>{"from":"b1","type":"ACCEPT","epoch":4,"ballot":{"round":2,"proposer":"b1"},
 *  "proposal":{"view":{"epoch":4,"members":["b1","b2","b3"],"banks":["b1","b2","b3","b4"]},"cut":{"b1":12,"b4":40}}}</pre>
 * with the fields its type needs: PREPARE {@code ballot}; PROMISE {@code ballot}, {@code accepted}
 * ({@code {"ballot","proposal"}}, absent or null when none) and {@code held}; REJECT {@code promised}; ACCEPT and
 * ACCEPTED {@code ballot} and {@code proposal}; DECIDED {@code proposal}; JOIN and QUERY nothing more.
 *
 * <p>Read strictly, since a peer's bytes decide views: an unknown type, a missing field, a counter (epoch, round,
 * sequence) that is not an integer in 0..2^53-1, a blank or overlong bank id, a view whose members are not a
 * majority of its banks, or a proposal whose epoch is not the message's are refused with
 * {@link IllegalArgumentException} (the routes answer 400). Fields a type does not use are skipped, as in
 * {@link WireCodec}. Ballot messages are rare: this favours clarity over the link codec's speed.
 */
public final class BallotCodec {

    /** Most banks a view, a cut or a held map may name (a clock's sum of 1024 entries is the protocol's bound). */
    public static final int MAX_BANKS = 1024;
    /** Longest bank id read. */
    public static final int MAX_ID_CHARS = 64;

    public static final String PREPARE = "PREPARE";
    public static final String PROMISE = "PROMISE";
    public static final String REJECT = "REJECT";
    public static final String ACCEPT = "ACCEPT";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String DECIDED = "DECIDED";
    public static final String JOIN = "JOIN";
    public static final String QUERY = "QUERY";

    private BallotCodec() {
    }

    /** A ballot message as received: its claimed sender (the route checks it is the signer) and the message. */
    public record Received(String from, BallotMessage message) {
    }

    // ------------------------------------------------------------------ writing

    /** The JSON of {@code message} sent by {@code from}. */
    public static String write(String from, BallotMessage message) {
        return json(out -> {
            out.beginObject();
            out.name("from").value(from);
            out.name("type").value(type(message));
            out.name("epoch").value(message.epoch());
            if (message instanceof BallotMessage.Prepare p) {
                writeBallot(out.name("ballot"), p.ballot());
            } else if (message instanceof BallotMessage.Promise p) {
                writeBallot(out.name("ballot"), p.ballot());
                if (p.accepted() != null) {
                    out.name("accepted").beginObject();
                    writeBallot(out.name("ballot"), p.accepted().ballot());
                    writeProposal(out.name("proposal"), p.accepted().proposal());
                    out.endObject();
                }
                writeSeqs(out.name("held"), p.held());
            } else if (message instanceof BallotMessage.Reject r) {
                writeBallot(out.name("promised"), r.promised());
            } else if (message instanceof BallotMessage.Accept a) {
                writeBallot(out.name("ballot"), a.ballot());
                writeProposal(out.name("proposal"), a.proposal());
            } else if (message instanceof BallotMessage.Accepted a) {
                writeBallot(out.name("ballot"), a.ballot());
                writeProposal(out.name("proposal"), a.proposal());
            } else if (message instanceof BallotMessage.Decided d) {
                writeProposal(out.name("proposal"), d.proposal());
            } // JOIN and QUERY: the epoch alone
            out.endObject();
        });
    }

    /** The JSON of a proposal alone, {@code {"view":{"epoch","members","banks"},"cut":{...}}}. */
    public static String write(ViewProposal proposal) {
        return json(out -> writeProposal(out, proposal));
    }

    /** The JSON of a fetch request, {@code {"from","cut":{...},"after":{...}}}. */
    public static String write(FetchRequest request) {
        return json(out -> {
            out.beginObject();
            out.name("from").value(request.from());
            writeSeqs(out.name("cut"), request.cut());
            writeSeqs(out.name("after"), request.after());
            out.endObject();
        });
    }

    private static String type(BallotMessage m) {
        if (m instanceof BallotMessage.Prepare) {
            return PREPARE;
        } else if (m instanceof BallotMessage.Promise) {
            return PROMISE;
        } else if (m instanceof BallotMessage.Reject) {
            return REJECT;
        } else if (m instanceof BallotMessage.Accept) {
            return ACCEPT;
        } else if (m instanceof BallotMessage.Accepted) {
            return ACCEPTED;
        } else if (m instanceof BallotMessage.Decided) {
            return DECIDED;
        } else if (m instanceof BallotMessage.Join) {
            return JOIN;
        } else if (m instanceof BallotMessage.Query) {
            return QUERY;
        }
        throw new IllegalArgumentException("not a ballot message: " + m);
    }

    @FunctionalInterface
    private interface Writing {
        void write(JsonWriter out) throws IOException;
    }

    private static String json(Writing writing) {
        StringWriter sw = new StringWriter(256);
        try (JsonWriter out = new JsonWriter(sw)) {
            out.setHtmlSafe(false);
            writing.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }

    private static void writeBallot(JsonWriter out, Ballot b) throws IOException {
        out.beginObject().name("round").value(b.round()).name("proposer").value(b.proposer()).endObject();
    }

    private static void writeProposal(JsonWriter out, ViewProposal p) throws IOException {
        out.beginObject();
        View v = p.view();
        out.name("view").beginObject().name("epoch").value(v.epoch());
        writeIds(out.name("members"), v.members());
        writeIds(out.name("banks"), v.banks());
        out.endObject();
        writeSeqs(out.name("cut"), p.cut());
        out.endObject();
    }

    private static void writeIds(JsonWriter out, List<String> ids) throws IOException {
        out.beginArray();
        for (String id : ids) {
            out.value(id);
        }
        out.endArray();
    }

    private static void writeSeqs(JsonWriter out, Map<String, Long> seqs) throws IOException {
        out.beginObject();
        for (Map.Entry<String, Long> e : seqs.entrySet()) {
            out.name(e.getKey()).value(e.getValue());
        }
        out.endObject();
    }

    // ------------------------------------------------------------------ reading

    /** A ballot message and its claimed sender. */
    public static Received read(String json) {
        return parse(json, "ballot message", in -> {
            var m = new Object() {
                String from;
                String type;
                Long epoch;
                Ballot ballot;
                Ballot promised;
                BallotMessage.AcceptedProposal accepted;
                Map<String, Long> held;
                ViewProposal proposal;
            };
            readFields(in, name -> {
                switch (name) {
                    case "from" -> m.from = id(in, "\"from\"");
                    case "type" -> m.type = string(in, "\"type\"");
                    case "epoch" -> m.epoch = counter(in, "an epoch");
                    case "ballot" -> m.ballot = readBallot(in);
                    case "promised" -> m.promised = readBallot(in);
                    case "accepted" -> m.accepted = readAccepted(in);
                    case "held" -> m.held = readSeqs(in, "held");
                    case "proposal" -> m.proposal = readProposal(in);
                    default -> in.skipValue();
                }
            });
            require(m.from, "from", "a ballot message");
            require(m.type, "type", "a ballot message");
            require(m.epoch, "epoch", "a ballot message");
            long epoch = m.epoch;
            String what = (m.type.startsWith("A") ? "an " : "a ") + m.type; // ACCEPT, ACCEPTED
            BallotMessage message = switch (m.type) {
                case PREPARE -> new BallotMessage.Prepare(epoch, require(m.ballot, "ballot", what));
                case PROMISE -> {
                    if (m.accepted != null) {
                        sameEpoch(epoch, m.accepted.proposal(), "its accepted proposal");
                    }
                    yield new BallotMessage.Promise(epoch, require(m.ballot, "ballot", what), m.accepted,
                            require(m.held, "held", what));
                }
                case REJECT -> new BallotMessage.Reject(epoch, require(m.promised, "promised", what));
                case ACCEPT -> new BallotMessage.Accept(epoch, require(m.ballot, "ballot", what),
                        sameEpoch(epoch, require(m.proposal, "proposal", what), "its proposal"));
                case ACCEPTED -> new BallotMessage.Accepted(epoch, require(m.ballot, "ballot", what),
                        sameEpoch(epoch, require(m.proposal, "proposal", what), "its proposal"));
                case DECIDED -> new BallotMessage.Decided(
                        sameEpoch(epoch, require(m.proposal, "proposal", what), "its proposal"));
                case JOIN -> new BallotMessage.Join(epoch);
                case QUERY -> new BallotMessage.Query(epoch);
                default -> throw new IllegalArgumentException("unknown ballot message type " + printable(m.type));
            };
            return new Received(m.from, message);
        });
    }

    /** A proposal alone, as {@link #write(ViewProposal)} writes it. */
    public static ViewProposal readProposal(String json) {
        return parse(json, "view proposal", BallotCodec::readProposal);
    }

    /** A fetch request: who asks, per origin the cut, and per origin what the asker already holds (0 if absent). */
    public static FetchRequest readFetch(String json) {
        return parse(json, "fetch request", in -> {
            var f = new Object() {
                String from;
                Map<String, Long> cut;
                Map<String, Long> after;
            };
            readFields(in, name -> {
                switch (name) {
                    case "from" -> f.from = id(in, "\"from\"");
                    case "cut" -> f.cut = readSeqs(in, "cut");
                    case "after" -> f.after = readSeqs(in, "after");
                    default -> in.skipValue();
                }
            });
            return new FetchRequest(require(f.from, "from", "a fetch request"), require(f.cut, "cut", "a fetch request"),
                    f.after == null ? Map.of() : f.after);
        });
    }

    @FunctionalInterface
    interface Reading<T> {
        T read(JsonReader in) throws IOException;
    }

    /** Reads one whole document (nothing may follow it); malformed JSON is an {@link IllegalArgumentException}. */
    static <T> T parse(String json, String what, Reading<T> reading) {
        if (json == null) {
            throw new IllegalArgumentException("a " + what + " is a JSON object, got nothing");
        }
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            T value = reading.read(in);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("a " + what + " is one JSON object; something follows it");
            }
            return value;
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: Gson's "expected X but was Y"
            throw new IllegalArgumentException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    /** Reads one JSON object, handing each field that is not null to {@code field} (the wire codec's reader). */
    static void readFields(JsonReader in, WireCodec.FieldReader field) throws IOException {
        WireCodec.readFields(in, field);
    }

    private static Ballot readBallot(JsonReader in) throws IOException {
        var b = new Object() {
            Long round;
            String proposer;
        };
        readFields(in, name -> {
            switch (name) {
                case "round" -> b.round = counter(in, "a ballot's round");
                case "proposer" -> b.proposer = string(in, "a ballot's proposer");
                default -> in.skipValue();
            }
        });
        require(b.round, "round", "a ballot");
        require(b.proposer, "proposer", "a ballot");
        if (b.round > 0 || !b.proposer.isEmpty()) {
            checkId(b.proposer, "a ballot's proposer"); // only the "no ballot yet" of round 0 names nobody
        }
        return new Ballot(b.round, b.proposer);
    }

    private static BallotMessage.AcceptedProposal readAccepted(JsonReader in) throws IOException {
        var a = new Object() {
            Ballot ballot;
            ViewProposal proposal;
        };
        readFields(in, name -> {
            switch (name) {
                case "ballot" -> a.ballot = readBallot(in);
                case "proposal" -> a.proposal = readProposal(in);
                default -> in.skipValue();
            }
        });
        return new BallotMessage.AcceptedProposal(require(a.ballot, "ballot", "an accepted proposal"),
                require(a.proposal, "proposal", "an accepted proposal"));
    }

    static ViewProposal readProposal(JsonReader in) throws IOException {
        var p = new Object() {
            View view;
            Map<String, Long> cut;
        };
        readFields(in, name -> {
            switch (name) {
                case "view" -> p.view = readView(in);
                case "cut" -> p.cut = readSeqs(in, "cut");
                default -> in.skipValue();
            }
        });
        return new ViewProposal(require(p.view, "view", "a proposal"), require(p.cut, "cut", "a proposal"));
    }

    private static View readView(JsonReader in) throws IOException {
        var v = new Object() {
            Long epoch;
            List<String> members;
            List<String> banks;
        };
        readFields(in, name -> {
            switch (name) {
                case "epoch" -> v.epoch = counter(in, "a view's epoch");
                case "members" -> v.members = readIds(in, "members");
                case "banks" -> v.banks = readIds(in, "banks");
                default -> in.skipValue();
            }
        });
        // the constructor refuses duplicates, members outside the banks, and members that are no majority
        return new View(require(v.epoch, "epoch", "a view"), require(v.members, "members", "a view"),
                require(v.banks, "banks", "a view"));
    }

    private static List<String> readIds(JsonReader in, String what) throws IOException {
        List<String> ids = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            if (ids.size() == MAX_BANKS) {
                throw new IllegalArgumentException("more than " + MAX_BANKS + " " + what);
            }
            ids.add(id(in, "one of the " + what));
        }
        in.endArray();
        return ids;
    }

    /** A map from bank id to a sequence number, each 0..2^53-1. */
    static Map<String, Long> readSeqs(JsonReader in, String what) throws IOException {
        Map<String, Long> seqs = new TreeMap<>(PeerIds.COMPARATOR);
        in.beginObject();
        while (in.hasNext()) {
            String bank = checkId(in.nextName(), "a bank of " + what);
            if (seqs.size() == MAX_BANKS) {
                throw new IllegalArgumentException("more than " + MAX_BANKS + " banks in " + what);
            }
            if (seqs.put(bank, counter(in, what + " of " + bank)) != null) {
                throw new IllegalArgumentException(bank + " twice in " + what);
            }
        }
        in.endObject();
        return seqs;
    }

    /** An integer 0..2^53-1 written as a JSON number (not a string, not a fraction). */
    static long counter(JsonReader in, String what) throws IOException {
        if (in.peek() != JsonToken.NUMBER) {
            throw new IllegalArgumentException(what + " is a number, got " + in.peek());
        }
        long v;
        try {
            v = in.nextLong();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is an integer: " + e.getMessage());
        }
        if (v < 0 || v > LogicalClock.MAX_ENTRY) {
            throw new IllegalArgumentException(what + " is 0.." + LogicalClock.MAX_ENTRY + ", not " + v);
        }
        return v;
    }

    private static String string(JsonReader in, String what) throws IOException {
        if (in.peek() != JsonToken.STRING) {
            throw new IllegalArgumentException(what + " is a string, got " + in.peek());
        }
        return in.nextString();
    }

    static String id(JsonReader in, String what) throws IOException {
        return checkId(string(in, what), what);
    }

    /** A bank id: not blank, at most {@link #MAX_ID_CHARS} characters, no control characters. */
    static String checkId(String id, String what) {
        if (id.isBlank() || id.length() > MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " is a bank id (1.." + MAX_ID_CHARS
                    + " characters), got \"" + printable(id) + "\"");
        }
        return id;
    }

    static <T> T require(T value, String field, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " needs \"" + field + "\"");
        }
        return value;
    }

    private static ViewProposal sameEpoch(long epoch, ViewProposal p, String what) {
        if (p.epoch() != epoch) {
            throw new IllegalArgumentException("a ballot message of epoch " + epoch + " carries in " + what
                    + " a view of epoch " + p.epoch());
        }
        return p;
    }

    /** At most 40 visible characters of a peer-chosen string, for a message. */
    static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
