package org.distribank.consortium.wire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Base64;

/**
 * A joining bank's first snapshot on the wire ({@code POST /peer/v1/transfer}; PROTOCOL.md "Adding a bank"): the
 * request {@code {"from":"b5"}}, the answer {@code {"position":N,"snapshot":"<Base64>"}} (the delivery position the
 * snapshot reaches, and the core snapshot the joiner writes as its own).
 */
public final class Transfer {

    /** What a member answered: the position and the snapshot's bytes. */
    public record Answer(long position, byte[] snapshot) {
    }

    private Transfer() {
    }

    public static String request(String from) {
        JsonObject o = new JsonObject();
        o.addProperty("from", from);
        return o.toString();
    }

    /** @throws IllegalArgumentException not a transfer request */
    public static String readRequest(String json) {
        JsonObject o = object(json, "a transfer request");
        JsonElement from = o.get("from");
        if (from == null || !from.isJsonPrimitive() || from.getAsString().isBlank()) {
            throw new IllegalArgumentException("a transfer request names its \"from\"");
        }
        return from.getAsString();
    }

    public static String answer(long position, byte[] snapshot) {
        JsonObject o = new JsonObject();
        o.addProperty("position", position);
        o.addProperty("snapshot", Base64.getEncoder().encodeToString(snapshot));
        return o.toString();
    }

    /** @throws IllegalArgumentException not a transfer answer */
    public static Answer readAnswer(String json) {
        JsonObject o = object(json, "a transfer answer");
        try {
            long position = o.get("position").getAsLong();
            byte[] snapshot = Base64.getDecoder().decode(o.get("snapshot").getAsString());
            if (position < 0 || snapshot.length == 0) {
                throw new IllegalArgumentException("a transfer answer with position " + position + " and "
                        + snapshot.length + " bytes");
            }
            return new Answer(position, snapshot);
        } catch (NullPointerException | UnsupportedOperationException | IllegalStateException e) {
            throw new IllegalArgumentException("a transfer answer has a \"position\" and a \"snapshot\"", e);
        }
    }

    private static JsonObject object(String json, String what) {
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("not " + what + ": " + json);
            }
            return e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException("not " + what + ": " + e.getMessage(), e);
        }
    }
}
