package org.distribank.consortium.sample;

import com.google.gson.JsonObject;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.distribank.consortium.Consortium;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.observe.EventStreamRoute;
import org.distribank.consortium.observe.ShiVizExport;
import org.distribank.consortium.transport.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer with the sample counter machine, as its own process:
 * {@code java -cp ... org.distribank.consortium.sample.StandalonePeer --config peer.json}.
 * Besides the peer endpoint it serves {@code GET /health}, {@code GET /api/v1/consortium},
 * {@code GET /api/v1/events} (SSE), {@code GET /api/v1/shiviz} and {@code POST /api/v1/operations}
 * ({@code {"id","payload"}} → the outcome; 503 naming an offline peer). The operator routes are
 * guarded by this peer's own {@code operatorToken}; the peer routes by the peers' own keys.
 */
public final class StandalonePeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandalonePeer.class);

    private final ConsortiumNode node;
    private final CounterStateMachine machine;
    private final Javalin server;

    public StandalonePeer(PeerConfig config) {
        this.machine = new CounterStateMachine(config.self());
        this.node = Consortium.createNode(config.toOptions(), machine);
        byte[] auth = ("Bearer " + config.operatorToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            ConsortiumRoutes.register(cfg, node);
            cfg.routes.before("/api/*", ctx -> {
                String h = ctx.header("Authorization");
                if (h == null || !java.security.MessageDigest.isEqual(auth,
                        h.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    ctx.status(401).contentType("application/json")
                            .result(Json.error("UNAUTHORIZED", "missing or wrong credential"));
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
            cfg.routes.get("/api/v1/consortium", ctx -> ctx.contentType("application/json")
                    .result(Json.GSON.toJson(node.view())));
            cfg.routes.get("/api/v1/shiviz", ctx -> ctx.contentType("text/plain")
                    .result(ShiVizExport.format(java.util.List.of(node.events().recent()))));
            cfg.routes.get("/api/v1/counters/{key}", ctx -> ctx.contentType("application/json")
                    .result("{\"value\":" + machine.value(ctx.pathParam("key")) + "}"));
            cfg.routes.post("/api/v1/operations", ctx -> {
                JsonObject o = Json.GSON.fromJson(ctx.body(), JsonObject.class);
                try {
                    CompletableFuture<Outcome> f = node.submit(o.get("id").getAsString(),
                            o.get("payload").getAsString());
                    Outcome out = f.get(10, TimeUnit.SECONDS);
                    ctx.contentType("application/json").result(Json.GSON.toJson(out));
                } catch (PeerOfflineException e) {
                    ctx.status(503).contentType("application/json").result(Json.error("PEER_OFFLINE", e.getMessage()));
                } catch (TimeoutException e) {
                    ctx.status(202).contentType("application/json").result("{\"status\":\"PENDING\"}");
                }
            });
            EventStreamRoute.register(cfg, "/api/v1/events", node.events());
        });
        server.start("127.0.0.1", config.port());
    }

    public void start() {
        node.start();
    }

    public int port() {
        return server.port();
    }

    public ConsortiumNode node() {
        return node;
    }

    @Override
    public void close() {
        node.close(); // first: waiting peer requests get their answer while the server still runs
        server.stop();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--config".equals(args[0])) {
            throw new IllegalArgumentException("usage: StandalonePeer --config FILE");
        }
        PeerConfig config = PeerConfig.read(Path.of(args[1]));
        StandalonePeer peer = new StandalonePeer(config);
        peer.start();
        LOG.info("peer {} listening on {}", config.self(), peer.port());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            peer.close();
            stop.countDown();
        }));
        stop.await();
    }
}
