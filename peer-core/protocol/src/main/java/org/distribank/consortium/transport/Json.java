package org.distribank.consortium.transport;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson of the protocol. Nulls are left out to keep messages small. */
public final class Json {

    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(org.distribank.consortium.entity.VectorClock.class, new VectorClockAdapter())
            .create();

    private Json() {
    }

    /** The JSON error body every endpoint uses: {@code {"error","message"}}. */
    public static String error(String code, String message) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("error", code);
        o.addProperty("message", message);
        return GSON.toJson(o);
    }
}
