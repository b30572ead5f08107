package org.distribank.bank.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.distribank.common.tls.Pki;
import org.distribank.common.tls.TlsContext;
import org.distribank.common.tls.TlsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook for the peer routes: the verified bank id of the connection's client certificate, in the request
 * attribute {@value PeerCertificates#ATTRIBUTE}, on HTTP routes and in a WebSocket's context after the upgrade.
 */
class PeerCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void theVerifiedPeerIdReachesHttpAndWebSocketRoutes() throws Exception {
        Pki.init(dir, "CA");
        for (String n : List.of("b1", "b2")) {
            Pki.issue(dir, n, List.of(), List.of("127.0.0.1"));
        }
        TlsContext server = tls("b1").load();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.addConnector(server.connector("127.0.0.1", 0, TlsContext.ClientAuth.WANT));
            PeerCertificates.register(cfg, Set.of("b1", "b2"));
            cfg.routes.post("/peer/v1/heartbeat", ctx -> ctx.result(String.valueOf(
                    (Object) ctx.attribute(PeerCertificates.ATTRIBUTE))));
            cfg.routes.ws("/peer/v1/link", ws -> ws.onConnect(ctx -> ctx.send(String.valueOf(
                    (Object) ctx.attribute(PeerCertificates.ATTRIBUTE)))));
        }).start();
        try {
            String url = "https://127.0.0.1:" + app.port();
            TlsContext b2 = tls("b2").load();
            OkHttpClient client = new OkHttpClient.Builder().sslSocketFactory(b2.socketFactory(), b2.trustManager())
                    .build();
            try (Response r = client.newCall(new Request.Builder().url(url + "/peer/v1/heartbeat")
                    .post(RequestBody.create("{\"from\":\"b2\"}", MediaType.get("application/json"))).build())
                    .execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string()).isEqualTo("b2");
            }
            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket ws = client.newWebSocket(new Request.Builder().url(url + "/peer/v1/link").build(),
                    new WebSocketListener() {
                        @Override
                        public void onMessage(WebSocket w, String text) {
                            first.complete(text);
                        }

                        @Override
                        public void onFailure(WebSocket w, Throwable t, Response r) {
                            first.completeExceptionally(t);
                        }
                    });
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("b2");
            ws.cancel();
        } finally {
            app.stop();
        }
    }

    @Test
    void theClaimedSenderIsTheTopLevelFrom() {
        assertThat(PeerCertificates.claimedSender(bytes("{\"from\":\"b3\",\"messages\":[]}"))).isEqualTo("b3");
        assertThat(PeerCertificates.claimedSender(bytes("{\"messages\":[{\"from\":\"x\"}],\"from\":\"b1\"}")))
                .isEqualTo("b1");
        assertThat(PeerCertificates.claimedSender(bytes("{\"messages\":[]}"))).isNull();
        assertThat(PeerCertificates.claimedSender(bytes("not json"))).isNull();
        assertThat(PeerCertificates.claimedSender(bytes("{\"from\":7}"))).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TlsOptions tls(String name) {
        return new TlsOptions(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve("ca.crt"));
    }
}
