package org.distribank.consortium.transport;

import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distribank.consortium.entity.VectorClock;

/** A vector clock in JSON is the plain map of API.md: {@code {"b1":3,"b2":0}}. */
final class VectorClockAdapter extends TypeAdapter<VectorClock> {

    @Override
    public void write(JsonWriter out, VectorClock clock) throws IOException {
        if (clock == null) {
            out.nullValue();
            return;
        }
        out.beginObject();
        for (Map.Entry<String, Long> e : clock.entries().entrySet()) {
            out.name(e.getKey()).value(e.getValue());
        }
        out.endObject();
    }

    @Override
    public VectorClock read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
            in.nextNull();
            return null;
        }
        Map<String, Long> m = new LinkedHashMap<>();
        in.beginObject();
        while (in.hasNext()) {
            m.put(in.nextName(), in.nextLong());
        }
        in.endObject();
        return new VectorClock(m);
    }
}
