package org.distribank.consortium.transport;

import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streaming JSON for {@link WireMessage}: the hot path reads and writes thousands of these per
 * second, and Gson's reflective record adapter costs several times more. Unknown fields are
 * skipped; a missing field is null (validated by the receiver).
 */
final class WireMessageAdapter extends TypeAdapter<WireMessage> {

    @Override
    public void write(JsonWriter out, WireMessage m) throws IOException {
        if (m == null) {
            out.nullValue();
            return;
        }
        out.beginObject();
        out.name("seq").value(m.seq());
        out.name("type").value(m.type());
        out.name("clock").beginObject();
        for (Map.Entry<String, Long> e : m.clock().entrySet()) {
            out.name(e.getKey()).value(e.getValue());
        }
        out.endObject();
        if (m.id() != null) {
            out.name("id").value(m.id());
        }
        if (m.payload() != null) {
            out.name("payload").value(m.payload());
        }
        if (m.yes() != null) {
            out.name("yes").value(m.yes());
        }
        if (m.reason() != null) {
            out.name("reason").value(m.reason());
        }
        out.endObject();
    }

    @Override
    public WireMessage read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
            in.nextNull();
            return null;
        }
        long seq = 0;
        String type = null;
        Map<String, Long> clock = null;
        String id = null;
        String payload = null;
        Boolean yes = null;
        String reason = null;
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                continue;
            }
            switch (name) {
                case "seq" -> seq = in.nextLong();
                case "type" -> type = in.nextString();
                case "clock" -> {
                    clock = new LinkedHashMap<>();
                    in.beginObject();
                    while (in.hasNext()) {
                        clock.put(in.nextName(), in.nextLong());
                    }
                    in.endObject();
                }
                case "id" -> id = in.nextString();
                case "payload" -> payload = in.nextString();
                case "yes" -> yes = in.nextBoolean();
                case "reason" -> reason = in.nextString();
                default -> in.skipValue();
            }
        }
        in.endObject();
        return new WireMessage(seq, type, clock, id, payload, yes, reason);
    }
}
