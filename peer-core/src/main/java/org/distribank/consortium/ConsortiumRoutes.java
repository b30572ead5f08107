package org.distribank.consortium;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.Json;

/**
 * Mounts a node's peer endpoint on a Javalin instance (the bank's own, or a standalone one):
 * {@code POST /peer/v1/messages} and {@code POST /peer/v1/heartbeat}. Both need
 * {@code Authorization: Bearer <consortium credential>}; without it, or with a wrong one, the
 * answer is {@code 401 {"error","message"}}.
 */
public final class ConsortiumRoutes {

    private ConsortiumRoutes() {
    }

    public static void register(JavalinConfig config, ConsortiumNode node) {
        PeerEndpoint endpoint = node.endpoint();
        // a link batch carries up to NodeOptions.maxBatchMessages messages in one body
        config.http.maxRequestSize = Math.max(config.http.maxRequestSize, 64L << 20);
        config.routes.post(HttpTransport.MESSAGES_PATH, ctx -> {
            if (authorized(ctx, endpoint)) {
                handle(ctx, () -> {
                    CompletableFuture<Long> ack = endpoint.onBatch(ctx.body());
                    // asynchronous: no server thread waits for the group commit
                    ctx.future(() -> ack.handle((upTo, failure) -> {
                        if (failure == null) {
                            ctx.contentType("application/json").result("{\"ack\":" + upTo + "}");
                        } else {
                            error(ctx, 503, "UNAVAILABLE", "the batch was not persisted: " + failure);
                        }
                        return null;
                    }));
                });
            }
        });
        config.routes.post(HttpTransport.HEARTBEAT_PATH, ctx -> {
            if (authorized(ctx, endpoint)) {
                handle(ctx, () -> {
                    JsonObject o = Json.GSON.fromJson(ctx.body(), JsonObject.class);
                    if (o == null || !o.has("from")) {
                        throw new IllegalArgumentException("a heartbeat needs \"from\"");
                    }
                    endpoint.onHeartbeat(o.get("from").getAsString());
                    ctx.contentType("application/json").result("{\"status\":\"UP\"}");
                });
            }
        });
    }

    private static boolean authorized(Context ctx, PeerEndpoint endpoint) {
        String header = ctx.header("Authorization");
        byte[] expected = ("Bearer " + endpoint.credential()).getBytes(StandardCharsets.UTF_8);
        if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        error(ctx, 401, "UNAUTHORIZED", header == null ? "missing consortium credential" : "wrong consortium credential");
        return false;
    }

    private static void handle(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (PeerEndpoint.UnavailableException e) {
            error(ctx, 503, "UNAVAILABLE", e.getMessage());
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            error(ctx, 400, "BAD_REQUEST", "malformed peer request: " + e.getMessage());
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(Json.error(code, message));
    }
}
