package org.distribank.consortium.wire;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.clock.LogicalClock;

/**
 * JSON of the links, written and read by hand with Gson's streaming reader and writer: every peer
 * reads and writes thousands of messages a second, and this is the protocol's hottest code.
 *
 * <p>A clock travels as an array in the consortium's canonical peer order ({@code [3,0,1]}): no
 * peer names to write, read and hash per message. The map form of API.md ({@code {"b1":3}},
 * missing entries 0) is still read, so logs written before the array form replay and a person can
 * type a message by hand. Unknown fields are skipped; what a message needs and lacks, an array of
 * the wrong length, a clock entry for a stranger and a counter (clock entry, sequence number, ack)
 * outside 0..2^53-1 are refused with {@link IllegalArgumentException}. What a counter may be given
 * what the receiver knows is the node's check ({@link LogicalClock#refusal}).
 */
public final class WireCodec {

    private final String[] ids;
    private final Map<String, Integer> index = new HashMap<>();

    /** @param peerIds every member of the consortium, in any order */
    public WireCodec(List<String> peerIds) {
        this.ids = LogicalClock.canonicalOrder(peerIds);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
    }

    // ------------------------------------------------------------------ writing

    public String write(WireMessage m) {
        StringWriter sw = new StringWriter(64 + 12 * ids.length
                + (m.payload() == null ? 0 : m.payload().length()) + (m.votes() == null ? 0 : 48 * m.votes().size()));
        try (JsonWriter out = new JsonWriter(sw)) {
            out.setHtmlSafe(false);
            out.beginObject();
            out.name("seq").value(m.seq());
            out.name("type").value(m.type());
            out.name("clock").beginArray();
            for (long v : m.clock()) {
                out.value(v);
            }
            out.endArray();
            if (m.id() != null) {
                out.name("id").value(m.id());
            }
            if (m.payload() != null) {
                out.name("payload").value(m.payload());
            }
            if (m.votes() != null) {
                out.name("votes").beginArray();
                for (WireMessage.Ballot b : m.votes()) {
                    out.beginObject().name("id").value(b.id()).name("yes").value(b.yes());
                    if (b.reason() != null) {
                        out.name("reason").value(b.reason());
                    }
                    out.endObject();
                }
                out.endArray();
            }
            out.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }

    /**
     * An upper bound of the UTF-8 bytes of the OP message {@link #write} makes of {@code id} and {@code payload}
     * (whatever its sequence number and clock), without writing it: a node refuses an operation that no frame
     * could carry before it is ordered.
     */
    public long opMessageBytes(String id, String payload) {
        // {"seq":N,"type":"OP","clock":[..],"id":"..","payload":".."}: counters are at most 16 digits
        return 64 + 17L * ids.length + jsonStringBytes(id) + jsonStringBytes(payload);
    }

    /** The UTF-8 bytes of {@code s} as a JSON string's content, as Gson escapes it (not HTML-safe). */
    private static long jsonStringBytes(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                n += 6; // a six-character escape (a few have two-character forms; counted high)
            } else if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 2; // a pair is 4 bytes
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A receive vector as JSON, {@code [3,0,7]} (canonical order), for frames built by hand. */
    public static String vectorJson(long[] rv) {
        StringBuilder sb = new StringBuilder(2 + 8 * rv.length).append('[');
        for (int i = 0; i < rv.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(rv[i]);
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ reading

    /** A batch {@code {"from","ack"?,"snap"?,"rv"?,"e"?,"messages":[...]}}. */
    public WireBatch readBatch(String json) {
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            var b = new Object() {
                String from;
                Long ack;
                Long snap;
                long[] rv;
                long epoch;
                List<WireMessage> messages;
            };
            readFields(in, name -> {
                switch (name) {
                    case "from" -> b.from = in.nextString();
                    case "ack" -> b.ack = inRange(in.nextLong(), "an ack");
                    case "snap" -> b.snap = inRange(in.nextLong(), "a snapshot position");
                    case "rv" -> b.rv = readClock(in); // the same shape and bounds as a clock
                    case "e" -> b.epoch = inRange(in.nextLong(), "an epoch");
                    case "messages" -> {
                        b.messages = new ArrayList<>();
                        in.beginArray();
                        while (in.hasNext()) {
                            b.messages.add(readMessage(in));
                        }
                        in.endArray();
                    }
                    default -> in.skipValue();
                }
            });
            if (b.from == null || b.messages == null) {
                throw new IllegalArgumentException("a batch needs \"from\" and \"messages\"");
            }
            return new WireBatch(b.from, b.ack, b.messages, b.snap, b.rv, b.epoch);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed batch: " + e.getMessage(), e);
        }
    }

    /** One message, as this peer logged it. */
    public WireMessage readMessage(String json) {
        try (JsonReader in = new JsonReader(new StringReader(json))) {
            return readMessage(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed message: " + e.getMessage(), e);
        }
    }

    private WireMessage readMessage(JsonReader in) throws IOException {
        var m = new Object() {
            long seq = -1;
            String type;
            long[] clock;
            String id;
            String payload;
            Boolean yes;
            String reason;
            List<WireMessage.Ballot> votes;
        };
        readFields(in, name -> {
            switch (name) {
                case "seq" -> m.seq = inRange(in.nextLong(), "a sequence number");
                case "type" -> m.type = in.nextString();
                case "clock" -> m.clock = readClock(in);
                case "id" -> m.id = in.nextString();
                case "payload" -> m.payload = in.nextString();
                case "yes" -> m.yes = in.nextBoolean();
                case "reason" -> m.reason = in.nextString();
                case "votes" -> m.votes = readBallots(in);
                default -> in.skipValue();
            }
        });
        long seq = m.seq;
        String type = m.type;
        long[] clock = m.clock;
        String id = m.id;
        String payload = m.payload;
        List<WireMessage.Ballot> votes = m.votes;
        if (seq < 1 || type == null || clock == null) {
            throw new IllegalArgumentException("a message needs seq, type and clock");
        }
        switch (type) {
            case WireMessage.OP -> {
                if (id == null || id.isEmpty() || payload == null) {
                    throw new IllegalArgumentException("an OP message needs an id and a payload");
                }
            }
            case WireMessage.VOTE -> {
                if (votes == null && id != null && m.yes != null) {
                    votes = List.of(new WireMessage.Ballot(id, m.yes, m.reason)); // one vote, the first form
                    id = null;
                }
                if (votes == null || votes.isEmpty()) {
                    throw new IllegalArgumentException("a VOTE message needs votes");
                }
            }
            case WireMessage.ACK -> { }
            default -> throw new IllegalArgumentException("unknown message type " + type);
        }
        return new WireMessage(seq, type, clock, id, payload, votes);
    }

    /** One field of an object being read; it skips a value it does not know. */
    @FunctionalInterface
    interface FieldReader {
        void read(String name) throws IOException;
    }

    /** Reads one JSON object, handing each field that is not null to {@code field}. */
    static void readFields(JsonReader in, FieldReader field) throws IOException {
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                continue;
            }
            field.read(name);
        }
        in.endObject();
    }

    private long[] readClock(JsonReader in) throws IOException {
        long[] clock = new long[ids.length];
        if (in.peek() == JsonToken.BEGIN_ARRAY) {
            in.beginArray();
            int i = 0;
            while (in.hasNext()) {
                if (i == clock.length) {
                    throw new IllegalArgumentException("a clock has " + ids.length + " entries");
                }
                clock[i++] = inRange(in.nextLong(), "a clock entry");
            }
            in.endArray();
            if (i != clock.length) {
                throw new IllegalArgumentException("a clock has " + ids.length + " entries");
            }
            return clock;
        }
        in.beginObject();
        while (in.hasNext()) {
            String peer = in.nextName();
            Integer i = index.get(peer);
            if (i == null) {
                throw new IllegalArgumentException("a clock entry for " + peer + ", who is not in the consortium");
            }
            clock[i] = inRange(in.nextLong(), "a clock entry");
        }
        in.endObject();
        return clock;
    }

    /**
     * Counters a peer sends are 0..{@link LogicalClock#MAX_ENTRY} (2^53 - 1): never negative, exact in
     * any JSON reader, and far from overflowing a sum. A number past {@code long} fails in the reader.
     */
    private static long inRange(long v, String what) {
        if (v < 0 || v > LogicalClock.MAX_ENTRY) {
            throw new IllegalArgumentException(what + " is 0.." + LogicalClock.MAX_ENTRY + ", not " + v);
        }
        return v;
    }

    private static List<WireMessage.Ballot> readBallots(JsonReader in) throws IOException {
        List<WireMessage.Ballot> out = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            var v = new Object() {
                String id;
                Boolean yes;
                String reason;
            };
            readFields(in, name -> {
                switch (name) {
                    case "id" -> v.id = in.nextString();
                    case "yes" -> v.yes = in.nextBoolean();
                    case "reason" -> v.reason = in.nextString();
                    default -> in.skipValue();
                }
            });
            if (v.id == null || v.yes == null) {
                throw new IllegalArgumentException("a vote needs an id and yes");
            }
            out.add(new WireMessage.Ballot(v.id, v.yes, v.reason));
        }
        in.endArray();
        return out;
    }

    /** The UTF-8 encoding's length of {@code s}, without encoding it (frames and relay answers are bounded by it). */
    public static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 2; // a pair is 4 bytes; a lone surrogate becomes '?', counted high
            } else {
                n += 3;
            }
        }
        return n;
    }

}
