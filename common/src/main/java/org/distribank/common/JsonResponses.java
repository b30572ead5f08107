package org.distribank.common;

import com.google.gson.JsonElement;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON answers of the data server's and the bank's Javalin routes. */
public final class JsonResponses {

    private JsonResponses() {
    }

    /**
     * Writes the body's bytes to the response stream (which still compresses large answers when the client asks)
     * instead of {@code ctx.result(...)}: Javalin copies a result through a fresh buffer of the response buffer's
     * size, 32 KB, for every answer, which was 12 % of all the bytes a busy consortium allocated. An answer that
     * replaces a result already set (Javalin's own text for an unknown route, before our error handler) still goes
     * as the result, or both would be sent.
     */
    public static void send(Context ctx, int status, JsonElement body) {
        ctx.status(status).contentType("application/json");
        if (ctx.resultInputStream() != null) {
            ctx.result(StrictJson.GSON.toJson(body));
            return;
        }
        byte[] bytes = StrictJson.GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        try {
            ctx.outputStream().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the client went away; Jetty ends the exchange
        }
    }
}
