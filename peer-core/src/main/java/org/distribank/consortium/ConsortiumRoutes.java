package org.distribank.consortium;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.Json;
import org.distribank.consortium.transport.WebSocketTransport;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Mounts a node's peer endpoint on a Javalin instance (the bank's own, or a standalone one):
 * {@code POST /peer/v1/messages}, {@code POST /peer/v1/heartbeat} and the streaming link
 * {@code GET /peer/v1/link} (WebSocket, see {@link WebSocketTransport}). All need
 * {@code Authorization: Bearer <consortium credential>} (for the link: on the upgrade request);
 * without it, or with a wrong one, the answer is {@code 401 {"error","message"}} and no upgrade.
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
                    CompletableFuture<PeerEndpoint.LinkAck> ack = endpoint.onBatch(ctx.body());
                    // asynchronous: no server thread waits for the group commit
                    ctx.future(() -> ack.handle((linkAck, failure) -> {
                        if (failure == null) {
                            ctx.contentType("application/json").result("{\"ack\":" + linkAck.upTo() + "}");
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
        registerLink(config, endpoint);
    }

    /** Largest link frame (a batch of up to {@code maxBatchMessages} messages), as for the HTTP body. */
    private static final long MAX_FRAME_BYTES = 64L << 20;

    private static void registerLink(JavalinConfig config, PeerEndpoint endpoint) {
        config.routes.wsBeforeUpgrade(WebSocketTransport.LINK_PATH, ctx -> {
            String refusal = refusal(ctx, endpoint);
            if (refusal != null) {
                // no upgrade; Javalin does not write a result on this path, so the body goes out here
                ctx.status(401).contentType("application/json");
                ctx.res().getOutputStream().write(Json.error("UNAUTHORIZED", refusal).getBytes(StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
            }
        });
        Map<Session, LinkSession> sessions = new ConcurrentHashMap<>();
        config.routes.ws(WebSocketTransport.LINK_PATH, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setMaxTextMessageSize(MAX_FRAME_BYTES);
                ctx.session.setMaxFrameSize(MAX_FRAME_BYTES);
                ctx.session.setIdleTimeout(Duration.ofMinutes(5)); // the sender pings every few seconds
                sessions.put(ctx.session, new LinkSession(ctx.session));
            });
            ws.onMessage(ctx -> sessions.computeIfAbsent(ctx.session, LinkSession::new).onFrame(endpoint, ctx.message()));
            ws.onClose(ctx -> sessions.remove(ctx.session));
            ws.onError(ctx -> sessions.remove(ctx.session));
        });
    }

    /**
     * The receiving end of one streaming link. Each frame is a batch; acks are cumulative, so when
     * several frames of the link complete in one group commit only the last answers (or any, once
     * {@link #ACK_EVERY_NANOS} passed since the last ack, so a steady stream still gets acks). No
     * ack frame at all when the node's own link back to the sender carried it on a data frame.
     * A frame the node refuses (paused, stopping, malformed) closes the connection: the sender
     * reconnects after a backoff and resends from its last ack.
     */
    private static final java.util.concurrent.atomic.LongAdder ACK_FRAMES = new java.util.concurrent.atomic.LongAdder();

    /** Separate ack frames sent by every link session in this process (for the benchmark). */
    public static long ackFramesSent() {
        return ACK_FRAMES.sum();
    }

    private static final class LinkSession {
        private static final long ACK_EVERY_NANOS = 5_000_000L;
        private final Session session;
        private final AtomicInteger outstanding = new AtomicInteger();
        private volatile long lastAckNanos = System.nanoTime();

        LinkSession(Session session) {
            this.session = session;
        }

        void onFrame(PeerEndpoint endpoint, String batch) {
            outstanding.incrementAndGet();
            CompletableFuture<PeerEndpoint.LinkAck> ack;
            try {
                ack = endpoint.onBatch(batch);
            } catch (PeerEndpoint.UnavailableException e) {
                outstanding.decrementAndGet();
                session.close(1013, "unavailable", Callback.NOOP); // try again later
                return;
            } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
                outstanding.decrementAndGet();
                session.close(1008, "malformed peer batch", Callback.NOOP);
                return;
            }
            // completes on the protocol thread, in frame order; sendText only queues the frame
            ack.whenComplete((linkAck, failure) -> {
                int left = outstanding.decrementAndGet();
                if (failure != null) {
                    session.close(1011, "batch not persisted", Callback.NOOP);
                    return;
                }
                long now = System.nanoTime();
                if (linkAck.carried()) {
                    lastAckNanos = now; // a data frame of ours back to the sender says it
                } else if (left == 0 || now - lastAckNanos >= ACK_EVERY_NANOS) {
                    lastAckNanos = now;
                    Runnable send = () -> {
                        ACK_FRAMES.increment();
                        session.sendText("{\"ack\":" + linkAck.upTo() + "}", Callback.NOOP);
                    };
                    if (!endpoint.deferAck(linkAck.from(), linkAck.upTo(), send)) {
                        send.run();
                    }
                }
            });
        }
    }

    private static boolean authorized(Context ctx, PeerEndpoint endpoint) {
        String refusal = refusal(ctx, endpoint);
        if (refusal == null) {
            return true;
        }
        error(ctx, 401, "UNAUTHORIZED", refusal);
        return false;
    }

    /** Why the request's credential is not accepted, or null when it is. */
    private static String refusal(Context ctx, PeerEndpoint endpoint) {
        String header = ctx.header("Authorization");
        byte[] expected = ("Bearer " + endpoint.credential()).getBytes(StandardCharsets.UTF_8);
        if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return header == null ? "missing consortium credential" : "wrong consortium credential";
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
