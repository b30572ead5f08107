package org.distribank.consortium.wire;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.clock.LogicalClock;
import org.distribank.consortium.entity.PeerIds;

/**
 * The answer to a {@link FetchRequest}: {@code {"messages":{"b4":[<message>,...],...}}}, per origin the messages
 * the answering node holds of those asked for, each as its origin sent it (the link message JSON of
 * {@link WireCodec}, with its {@code seq}), in sequence order with no gap, the first right after what the asker
 * holds. It may hold less than asked (the answerer holds less, or the answer reached its size bound): the asker
 * asks again from {@link #upTo}, here or at another member.
 *
 * <p>Built with {@link #answer} or {@link #builder} (bounded by the answerer's {@code maxFrameBytes}), read with
 * {@link #read}, and
 * checked against the request by the asker ({@link #check}) before anything of it is stored.
 */
public record FetchAnswer(Map<String, List<Relayed>> messages) {

    /** JSON elements read as the reader's strictness says (not leniently, as {@code JsonParser} would). */
    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);
    /** The bytes of {@code {"messages":{}}}. */
    private static final long ENVELOPE_BYTES = 16;

    /** One relayed message: its sequence number at its origin and its JSON. */
    public record Relayed(long seq, String json) {
    }

    public FetchAnswer {
        TreeMap<String, List<Relayed>> sorted = new TreeMap<>(PeerIds.COMPARATOR);
        messages.forEach((origin, list) -> {
            BallotCodec.checkId(origin, "an origin");
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).seq() != list.get(i - 1).seq() + 1) {
                    throw new IllegalArgumentException("the messages of " + origin + " in a fetch answer follow one "
                            + "another, but " + list.get(i).seq() + " follows " + list.get(i - 1).seq());
                }
            }
            if (!list.isEmpty()) {
                sorted.put(origin, List.copyOf(list));
            }
        });
        messages = Collections.unmodifiableSortedMap(sorted);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** The highest sequence number of {@code origin} the asker holds once it stored this answer, from {@code after}. */
    public long upTo(String origin, long after) {
        List<Relayed> list = messages.get(origin);
        return list == null ? after : Math.max(after, list.get(list.size() - 1).seq());
    }

    /**
     * Refuses an answer that does not answer {@code request}: an origin not asked for, a message outside
     * (after, cut], or a first message that is not the one right after what the asker holds.
     */
    public void check(FetchRequest request) {
        messages.forEach((origin, list) -> {
            Long cut = request.cut().get(origin);
            if (cut == null) {
                throw new IllegalArgumentException("a fetch answer relays messages of " + origin + ", not asked for");
            }
            long first = list.get(0).seq();
            long last = list.get(list.size() - 1).seq();
            if (first != request.after(origin) + 1 || last > cut) {
                throw new IllegalArgumentException("a fetch answer relays " + first + ".." + last + " of " + origin
                        + " for (" + request.after(origin) + ", " + cut + "]");
            }
        });
    }

    /** The answer's JSON; each message goes out as the text it was given. */
    public String toJson() {
        StringWriter sw = new StringWriter();
        try (JsonWriter out = new JsonWriter(sw)) {
            out.setHtmlSafe(false);
            out.beginObject().name("messages").beginObject();
            for (Map.Entry<String, List<Relayed>> e : messages.entrySet()) {
                out.name(e.getKey()).beginArray();
                for (Relayed r : e.getValue()) {
                    out.jsonValue(r.json());
                }
                out.endArray();
            }
            out.endObject().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /**
     * An answer as received: every message an object with a {@code seq} in 1..2^53-1, per origin in order and
     * without gaps; anything else is an {@link IllegalArgumentException}. What each message says is the link
     * codec's to read ({@link WireCodec#readMessage}).
     */
    public static FetchAnswer read(String json) {
        return BallotCodec.parse(json, "fetch answer", in -> {
            var a = new Object() {
                Map<String, List<Relayed>> messages;
            };
            BallotCodec.readFields(in, name -> {
                if (name.equals("messages")) {
                    a.messages = readOrigins(in);
                } else {
                    in.skipValue();
                }
            });
            return new FetchAnswer(BallotCodec.require(a.messages, "messages", "a fetch answer"));
        });
    }

    private static Map<String, List<Relayed>> readOrigins(JsonReader in) throws IOException {
        Map<String, List<Relayed>> out = new TreeMap<>(PeerIds.COMPARATOR);
        in.beginObject();
        while (in.hasNext()) {
            String origin = BallotCodec.checkId(in.nextName(), "an origin");
            List<Relayed> list = new ArrayList<>();
            in.beginArray();
            while (in.hasNext()) {
                JsonElement e = ELEMENT.read(in);
                if (!e.isJsonObject()) {
                    throw new IllegalArgumentException("a relayed message of " + origin + " is a JSON object");
                }
                list.add(new Relayed(seqOf(e.getAsJsonObject(), origin), e.toString()));
            }
            in.endArray();
            if (out.put(origin, list) != null) {
                throw new IllegalArgumentException(origin + " twice in a fetch answer");
            }
        }
        in.endObject();
        return out;
    }

    private static long seqOf(JsonObject m, String origin) {
        JsonElement seq = m.get("seq");
        if (!(seq instanceof JsonPrimitive p) || !p.isNumber()) {
            throw new IllegalArgumentException("a relayed message of " + origin + " needs a numeric \"seq\"");
        }
        long v;
        try {
            v = p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("a relayed message of " + origin + " has seq " + p + ", not an integer");
        }
        if (v < 1 || v > LogicalClock.MAX_ENTRY) {
            throw new IllegalArgumentException("a relayed message's seq is 1.." + LogicalClock.MAX_ENTRY + ", not " + v);
        }
        return v;
    }

    /** The messages a node holds, by origin and sequence number. */
    @FunctionalInterface
    public interface Holdings {
        /** Message {@code seq} of {@code origin} as its origin sent it, or null when this node does not hold it. */
        String message(String origin, long seq);
    }

    /**
     * The answering side: of what {@code request} asks, per origin the messages {@code held} has from right after the
     * asker's up to the first it lacks, until the answer holds {@code maxBytes} (the node's {@code maxFrameBytes}).
     */
    public static FetchAnswer answer(FetchRequest request, long maxBytes, Holdings held) {
        Builder answer = builder(request, maxBytes);
        for (Map.Entry<String, Long> e : request.cut().entrySet()) {
            for (long seq = request.after(e.getKey()) + 1; seq <= e.getValue(); seq++) {
                String json = held.message(e.getKey(), seq);
                if (json == null) {
                    break; // holds no more of this origin
                }
                if (!answer.add(e.getKey(), seq, json)) {
                    return answer.build();
                }
            }
        }
        return answer.build();
    }

    /**
     * An answer to {@code request} of at most {@code maxBytes} UTF-8 bytes (the answerer's {@code maxFrameBytes}),
     * though never empty for want of room: a message larger than the bound alone still goes, so an asker always
     * makes progress (a link frame carried it, so it fits one frame).
     */
    public static Builder builder(FetchRequest request, long maxBytes) {
        return new Builder(request, maxBytes);
    }

    /** Collects messages for one answer, in sequence order per origin, until the size bound. */
    public static final class Builder {
        private final FetchRequest request;
        private final long maxBytes;
        private final Map<String, List<Relayed>> messages = new TreeMap<>(PeerIds.COMPARATOR);
        private long bytes = ENVELOPE_BYTES;
        private boolean full;

        private Builder(FetchRequest request, long maxBytes) {
            if (maxBytes <= ENVELOPE_BYTES) {
                throw new IllegalArgumentException("an answer of at most " + maxBytes + " bytes holds nothing");
            }
            this.request = request;
            this.maxBytes = maxBytes;
        }

        /**
         * Adds message {@code seq} of {@code origin}, whose JSON is {@code json}, if it fits; false (and nothing
         * added, nor anything after it) once the answer is full: the caller stops and answers with {@link #build}.
         *
         * @throws IllegalArgumentException a message not asked for, or not the one right after the last added
         */
        public boolean add(String origin, long seq, String json) {
            if (!request.wants(origin, seq)) {
                throw new IllegalArgumentException("message " + seq + " of " + origin + " is not asked for");
            }
            List<Relayed> list = messages.get(origin);
            long expected = list == null ? request.after(origin) + 1 : list.get(list.size() - 1).seq() + 1;
            if (seq != expected) {
                throw new IllegalArgumentException("message " + seq + " of " + origin + " added where " + expected
                        + " is due");
            }
            if (full) {
                return false;
            }
            // "b4":[...] the first time an origin appears, then a comma per message
            long more = WireCodec.utf8Length(json) + 1 + (list == null ? 2 * WireCodec.utf8Length(origin) + 6 : 0); // an id escaped at worst
            if (bytes + more > maxBytes && bytes > ENVELOPE_BYTES) {
                full = true;
                return false;
            }
            bytes += more;
            messages.computeIfAbsent(origin, o -> new ArrayList<>()).add(new Relayed(seq, json));
            return true;
        }

        /** Whether the size bound stopped the answer. */
        public boolean isFull() {
            return full;
        }

        /** The answer's size so far, UTF-8 bytes (an upper bound of {@link FetchAnswer#toJson}'s). */
        public long bytes() {
            return bytes;
        }

        public FetchAnswer build() {
            return new FetchAnswer(messages);
        }
    }
}
