package org.distribank.consortium;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.consortium.observe.EventStreamRoute;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.Json;
import org.distribank.consortium.transport.WebSocketTransport;
import org.distribank.consortium.wire.BallotCodec;
import org.distribank.consortium.wire.FetchRequest;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a node's peer endpoint on a Javalin instance (the bank's own, or a standalone one):
 * {@code POST /peer/v1/messages}, {@code POST /peer/v1/heartbeat}, the view ballot's {@code POST /peer/v1/ballot}
 * and {@code POST /peer/v1/fetch}, and the streaming link
 * {@code GET /peer/v1/link} (WebSocket, see {@link WebSocketTransport}). Every request is
 * authenticated by the node's {@link PeerAuthenticator} (for the link: the upgrade request, and the
 * connection then speaks for that peer alone); without proof, or with a wrong, stale or replayed
 * one, the answer is {@code 401 {"error","message"}} and no upgrade. A batch or heartbeat whose
 * {@code from} is not the authenticated peer is refused the same way (a stream: closed, 1008) and
 * logged; nothing of it is stored. So is a ballot message or fetch whose {@code from} is not the signer.
 */
public final class ConsortiumRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ConsortiumRoutes.class);
    /** The upgrade request's attribute naming the authenticated peer of a link connection. */
    private static final String LINK_PEER = "distribank.peer";

    private ConsortiumRoutes() {
    }

    public static void register(JavalinConfig config, ConsortiumNode node) {
        registerEndpoint(config, node.endpoint());
    }

    /** Mounts the peer routes of {@code endpoint} (a node's, or a test's own). */
    public static void registerEndpoint(JavalinConfig config, PeerEndpoint endpoint) {
        // a link batch is at most NodeOptions.maxFrameBytes (6 MiB at most); room for a peer configured larger
        config.http.maxRequestSize = Math.max(config.http.maxRequestSize, 64L << 20);
        config.routes.post(HttpTransport.MESSAGES_PATH, ctx -> {
            String sender = authenticated(ctx, endpoint, PeerAuthenticator.Replay.HARMLESS);
            if (sender != null) {
                handle(ctx, () -> {
                    CompletableFuture<PeerEndpoint.LinkAck> ack = endpoint.onBatch(sender, ctx.body());
                    // asynchronous: no server thread waits for the group commit
                    ctx.future(() -> ack.handle((linkAck, failure) -> {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                                && c.getCause() != null ? c.getCause() : failure;
                        if (failure == null) {
                            ctx.contentType("application/json").result("{\"ack\":" + linkAck.upTo() + "}");
                        } else if (cause instanceof PeerEndpoint.RefusedBatchException r) {
                            error(ctx, 400, "BAD_REQUEST", r.getMessage());
                        } else {
                            error(ctx, 503, "UNAVAILABLE", "the batch was not persisted: " + failure);
                        }
                        return null;
                    }));
                });
            }
        });
        config.routes.post(HttpTransport.HEARTBEAT_PATH, ctx -> {
            String sender = authenticated(ctx, endpoint, PeerAuthenticator.Replay.RECENT);
            if (sender != null) {
                handle(ctx, () -> {
                    JsonObject o = Json.GSON.fromJson(ctx.body(), JsonObject.class);
                    if (o == null || !o.has("from")) {
                        throw new IllegalArgumentException("a heartbeat needs \"from\"");
                    }
                    String from = o.get("from").getAsString();
                    if (!sender.equals(from)) {
                        throw impostor(sender, from, "heartbeat");
                    }
                    endpoint.onHeartbeat(sender);
                    ctx.contentType("application/json").result("{\"status\":\"UP\"}");
                });
            }
        });
        registerViews(config, endpoint);
        registerLink(config, endpoint);
    }

    /**
     * {@code POST /peer/v1/ballot} and {@code POST /peer/v1/fetch} (PROTOCOL.md "Views: the wire"): authenticated as
     * the other peer routes, read strictly before the node sees them (400), and refused when their {@code from} is
     * not the signer (401). A ballot message is single-use (each is signed afresh; a replayed JOIN could otherwise
     * re-admit a bank), a fetch harmless to repeat (a read).
     */
    private static void registerViews(JavalinConfig config, PeerEndpoint endpoint) {
        config.routes.post(HttpTransport.BALLOT_PATH, ctx -> {
            String sender = authenticated(ctx, endpoint, PeerAuthenticator.Replay.ONCE);
            if (sender != null) {
                handle(ctx, () -> {
                    String body = ctx.body();
                    BallotCodec.Received r = BallotCodec.read(body);
                    if (!sender.equals(r.from())) {
                        throw impostor(sender, r.from(), "ballot message");
                    }
                    endpoint.onBallot(sender, body);
                    ctx.contentType("application/json").result("{\"status\":\"RECEIVED\"}");
                });
            }
        });
        config.routes.post(HttpTransport.FETCH_PATH, ctx -> {
            String sender = authenticated(ctx, endpoint, PeerAuthenticator.Replay.HARMLESS);
            if (sender != null) {
                handle(ctx, () -> {
                    String body = ctx.body();
                    FetchRequest request = BallotCodec.readFetch(body);
                    if (!sender.equals(request.from())) {
                        throw impostor(sender, request.from(), "fetch");
                    }
                    ctx.contentType("application/json").result(endpoint.fetch(sender, body));
                });
            }
        });
        config.routes.post(HttpTransport.TRANSFER_PATH, ctx -> {
            String sender = authenticated(ctx, endpoint, PeerAuthenticator.Replay.HARMLESS);
            if (sender != null) {
                handle(ctx, () -> {
                    String body = ctx.body();
                    String joiner = org.distribank.consortium.wire.Transfer.readRequest(body);
                    if (!sender.equals(joiner)) {
                        throw impostor(sender, joiner, "transfer request"); // only a bank's own first snapshot
                    }
                    ctx.contentType("application/json").result(endpoint.transfer(sender, body));
                });
            }
        });
    }

    /** Largest link frame read (a sender's frames are at most its {@code maxFrameBytes}), as for the HTTP body. */
    private static final long MAX_FRAME_BYTES = 64L << 20;

    private static void registerLink(JavalinConfig config, PeerEndpoint endpoint) {
        config.routes.wsBeforeUpgrade(WebSocketTransport.LINK_PATH, ctx -> {
            try {
                ctx.attribute(LINK_PEER, authenticate(ctx, endpoint.authenticator(), PeerAuthenticator.Replay.ONCE));
            } catch (PeerAuthenticator.Refused e) {
                LOG.warn("peer link upgrade from {} refused: {}", ctx.ip(), e.getMessage());
                // no upgrade; Javalin does not write a result on this path, so the body goes out here
                ctx.status(401).contentType("application/json");
                ctx.res().getOutputStream().write(Json.error("UNAUTHORIZED", e.getMessage()).getBytes(StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
            }
        });
        Map<Session, LinkSession> sessions = new ConcurrentHashMap<>();
        config.routes.ws(WebSocketTransport.LINK_PATH, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setMaxTextMessageSize(MAX_FRAME_BYTES);
                ctx.session.setMaxFrameSize(MAX_FRAME_BYTES);
                ctx.session.setIdleTimeout(Duration.ofMinutes(5)); // the sender pings every few seconds
                String peer = ctx.attribute(LINK_PEER);
                if (peer == null) { // never upgraded without one; refuse rather than guess
                    ctx.session.close(1008, "unauthenticated", Callback.NOOP);
                    return;
                }
                sessions.put(ctx.session, new LinkSession(ctx.session, peer));
            });
            ws.onMessage(ctx -> {
                LinkSession link = sessions.get(ctx.session);
                if (link == null) {
                    ctx.session.close(1008, "unauthenticated", Callback.NOOP);
                    return;
                }
                link.onFrame(endpoint, ctx.message());
            });
            ws.onClose(ctx -> sessions.remove(ctx.session));
            ws.onError(ctx -> sessions.remove(ctx.session));
        });
    }

    /**
     * Mounts a Server-Sent Events stream of {@code source}'s protocol events at {@code path} (a bank mounts its
     * node's at {@code /api/v1/events}, behind its operator check, registered before this). Each event is
     * {@code event: <TYPE>} with the event's JSON as data and its index at this peer as SSE id; a client that
     * reconnects with {@code Last-Event-ID} (or asks {@code ?since=N}) gets what it missed first. A slow client
     * misses events (told in a comment) rather than slowing the protocol.
     */
    public static void registerEvents(JavalinConfig config, String path, EventSource source) {
        EventStreamRoute.register(config, path, source);
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
        /** The peer this connection speaks for, proven at the upgrade. */
        private final String peer;
        private final AtomicInteger outstanding = new AtomicInteger();
        private volatile long lastAckNanos = System.nanoTime();

        LinkSession(Session session, String peer) {
            this.session = session;
            this.peer = peer;
        }

        void onFrame(PeerEndpoint endpoint, String batch) {
            outstanding.incrementAndGet();
            CompletableFuture<PeerEndpoint.LinkAck> ack;
            try {
                ack = endpoint.onBatch(peer, batch);
            } catch (PeerEndpoint.UnavailableException e) {
                outstanding.decrementAndGet();
                session.close(1013, "unavailable", Callback.NOOP); // try again later
                return;
            } catch (PeerAuthenticator.Refused e) {
                outstanding.decrementAndGet();
                session.close(1008, "not the authenticated peer", Callback.NOOP);
                return;
            } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
                outstanding.decrementAndGet();
                LOG.warn("link from {}: malformed frame refused, connection closed: {}", peer, e.getMessage());
                session.close(1008, "malformed peer batch", Callback.NOOP);
                return;
            }
            // completes on the protocol thread, in frame order; sendText only queues the frame
            ack.whenComplete((linkAck, failure) -> {
                int left = outstanding.decrementAndGet();
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : failure;
                    session.close(cause instanceof PeerEndpoint.RefusedBatchException ? 1008 : 1011,
                            cause instanceof PeerEndpoint.RefusedBatchException ? "refused peer batch"
                                    : "batch not persisted", Callback.NOOP);
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

    /** The authenticated sender, or null after answering 401 (logged: who tried, why; never a secret). */
    private static String authenticated(Context ctx, PeerEndpoint endpoint, PeerAuthenticator.Replay replay) {
        try {
            return authenticate(ctx, endpoint.authenticator(), replay);
        } catch (PeerAuthenticator.Refused e) {
            LOG.warn("peer request {} {} from {} refused: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
            error(ctx, 401, "UNAUTHORIZED", e.getMessage());
            return null;
        }
    }

    /**
     * The request attribute a TLS layer in front of the routes sets to the bank that its verified client
     * certificate names (absent without TLS).
     */
    public static final String PEER_CERTIFICATE_ATTRIBUTE = "distribank.peerCertificateId";

    /**
     * The bank that signed the request; over mutual TLS it must also be the bank the connection's certificate
     * names, so a stolen key alone, or a certificate alone, speaks for nobody.
     */
    public static String authenticate(Context ctx, PeerAuthenticator authenticator, PeerAuthenticator.Replay replay) {
        String sender = authenticator.authenticate(request(ctx, replay));
        String certified = ctx.attribute(PEER_CERTIFICATE_ATTRIBUTE);
        if (certified != null && !certified.equals(sender)) {
            throw new PeerAuthenticator.Refused("signed by " + sender + " over a connection certified for " + certified);
        }
        return sender;
    }

    /** What a peer credential covers, as this server received it (the target still URL-encoded). */
    public static PeerAuthenticator.Request request(Context ctx, PeerAuthenticator.Replay replay) {
        String query = ctx.queryString();
        String target = ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
        return new PeerAuthenticator.Request(ctx.method().name(), target, ctx::header, ctx.bodyAsBytes(), replay);
    }

    /** A request that names another sender than the one it proved: refused and logged. */
    private static PeerAuthenticator.Refused impostor(String sender, String claimed, String what) {
        String shown = claimed.length() > 40 ? claimed.substring(0, 40) + "..." : claimed;
        LOG.warn("peer {} sent a {} claiming to be from {}: refused", sender, what, shown.replaceAll("[^\\x21-\\x7e]", "?"));
        return new PeerAuthenticator.Refused("a " + what + " from " + sender + " must say \"from\":\"" + sender + "\"");
    }

    private static void handle(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (PeerAuthenticator.Refused e) {
            error(ctx, 401, "UNAUTHORIZED", e.getMessage());
        } catch (PeerEndpoint.UnavailableException e) {
            error(ctx, 503, "UNAVAILABLE", e.getMessage());
        } catch (PeerEndpoint.NotReadyException e) {
            error(ctx, 503, "NOT_READY", e.getMessage());
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            // authenticated by now: a peer sent something no honest peer sends (or a bug of ours); say so
            LOG.warn("peer request {} {} from {} refused as malformed: {}", ctx.method(), ctx.path(),
                    ctx.header(org.distribank.consortium.auth.SignedRequests.PEER), e.getMessage());
            error(ctx, 400, "BAD_REQUEST", "malformed peer request: " + e.getMessage());
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).contentType("application/json").result(Json.error(code, message));
    }
}
