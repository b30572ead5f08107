package org.distribank.dataserver.api;

import com.google.gson.JsonElement;
import io.javalin.http.Context;
import org.distribank.common.JsonResponses;
import org.distribank.common.StrictJson;

/** JSON answers; parsing and validation live in {@link StrictJson} (module common, shared with the bank peer). */
public final class Json {

    private Json() {
    }

    public static void send(Context ctx, int status, JsonElement body) {
        JsonResponses.send(ctx, status, body);
    }
}
