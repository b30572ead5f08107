package org.distribank.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a server that closes a connection idle for longer than its timeout (a bank's Jetty, after 30 s) must not
 * make the app's next call fail with "unexpected end of stream". The app's pool keeps idle connections for less than
 * a bank's idle timeout, and a call on a connection the server closed is retried on a fresh one. Here the server's
 * idle timeout is 300 ms, so the pool (20 s) still holds the connection the server closed.
 */
class HttpJsonIdleTest {

    @Test
    void aCallAfterTheServerClosedAnIdleConnectionSucceeds() {
        AtomicInteger posts = new AtomicInteger();
        Javalin server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.addConnector((s, http) -> {
                ServerConnector c = new ServerConnector(s, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost("127.0.0.1");
                c.setPort(0);
                c.setIdleTimeout(300);
                return c;
            });
            cfg.routes.get("/hello", ctx -> ctx.json(java.util.Map.of("ok", true)));
            cfg.routes.post("/write", ctx -> ctx.json(java.util.Map.of("n", posts.incrementAndGet())));
        }).start();
        try {
            HttpJson http = new HttpJson("http://127.0.0.1:" + server.port());
            assertThat(http.get("/hello", null).get("ok").getAsBoolean()).isTrue();
            // the server closes the idle connection; the client's pool still holds it (its keep-alive is longer)
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                    idle(server));
            assertThat(HttpJson.client().connectionPool().idleConnectionCount()).isPositive();

            assertThat(http.get("/hello", null).get("ok").getAsBoolean()).as("a read after the close").isTrue();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                    idle(server));
            JsonObject written = http.post("/write", null, new JsonObject());
            assertThat(written.get("n").getAsInt()).as("a write after the close, done once").isEqualTo(1);
        } finally {
            server.stop();
        }
    }

    /** Whether the server holds no open connection (it closed the idle one). */
    private static boolean idle(Javalin server) {
        for (org.eclipse.jetty.server.Connector c : server.jettyServer().server().getConnectors()) {
            if (!c.getConnectedEndPoints().isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
