package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peer routes need the sender's own signature; a peer speaks only as itself; bad input is a 400, never a 500.
 */
class PeerEndpointAuthTest {

    @TempDir
    Path dir;
    private final OkHttpClient http = new OkHttpClient();

    private Response post(String url, Map<String, String> headers, String body) throws Exception {
        Request.Builder b = new Request.Builder().url(url)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json")));
        headers.forEach(b::header);
        return http.newCall(b.build()).execute();
    }

    /** A request to {@code to}'s {@code path} signed by {@code from}'s own key. */
    private static Map<String, String> signed(TestCluster c, String from, String to, String method, String path,
                                              String body) {
        return c.signedHeaders(from, to, method, path, body);
    }

    private static void assertUnauthorized(Response r) throws Exception {
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.header("Content-Type")).contains("application/json");
        JsonObject body = JsonParser.parseString(r.body().string()).getAsJsonObject();
        assertThat(body.get("error").getAsString()).isEqualTo("UNAUTHORIZED");
        assertThat(body.get("message").getAsString()).isNotBlank();
    }

    @Test
    void aMissingWrongOrStaleSignatureIs401WithAJsonErrorAndChangesNothing() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).start()) {
            String batch = "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"OP\",\"clock\":{\"b2\":1},"
                    + "\"id\":\"forged\",\"payload\":\"key=x;delta=1\"}]}";
            String heartbeat = "{\"from\":\"b2\"}";
            String url = c.url("b1");
            for (String path : new String[] {"/peer/v1/messages", "/peer/v1/heartbeat"}) {
                String body = path.endsWith("messages") ? batch : heartbeat;
                Map<String, String> good = signed(c, "b2", "b1", "POST", path, body);
                List<Map<String, String>> bad = new ArrayList<>();
                bad.add(Map.of()); // none
                bad.add(Map.of("Authorization", "Bearer some-shared-secret")); // the old scheme
                Map<String, String> otherBody = new HashMap<>(good);
                bad.add(otherBody); // sent with another body below
                Map<String, String> wrongSig = new HashMap<>(good);
                wrongSig.put(SignedRequests.SIGNATURE, signed(c, "b2", "b1", "POST", path, body + " ")
                        .get(SignedRequests.SIGNATURE));
                bad.add(wrongSig);
                Map<String, String> noSig = new HashMap<>(good);
                noSig.remove(SignedRequests.SIGNATURE);
                bad.add(noSig);
                // signed by b2 for b3: b3 cannot replay it to b1
                bad.add(signed(c, "b2", "b3", "POST", path, body));
                // signed with b3's key but naming b2
                Map<String, String> otherKey = new HashMap<>(signed(c, "b3", "b1", "POST", path, body));
                otherKey.put(SignedRequests.PEER, "b2");
                bad.add(otherKey);
                // an hour old: stale, whatever its signature
                SignedRequests staleSigner = new SignedRequests("b2", privateKeyOf(c, "b2"), Map.of(),
                        Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
                Map<String, String> stale = new HashMap<>();
                staleSigner.sign("b1", "POST", path, body.getBytes(StandardCharsets.UTF_8), stale::put);
                bad.add(stale);
                if (path.endsWith("heartbeat")) {
                    // a heartbeat may be sent again while recent (its sender re-signs every few seconds), not later
                    SignedRequests oldSigner = new SignedRequests("b2", privateKeyOf(c, "b2"), Map.of(),
                            Clock.offset(Clock.systemUTC(), Duration.ofMillis(-SignedRequests.RECENT_MS - 5_000)));
                    Map<String, String> old = new HashMap<>();
                    oldSigner.sign("b1", "POST", path, body.getBytes(StandardCharsets.UTF_8), old::put);
                    bad.add(old);
                    for (int i = 0; i < 2; i++) {
                        try (Response r = post(url + path, good, body)) {
                            assertThat(r.code()).isEqualTo(200);
                        }
                    }
                }
                for (Map<String, String> headers : bad) {
                    try (Response r = post(url + path, headers, headers == otherBody ? body + " " : body)) {
                        assertUnauthorized(r);
                    }
                }
            }
            assertThat(c.node("b1").view().queue()).isEmpty();
            assertThat(c.node("b1").view().clock().get("b2")).isZero();
        }
    }

    @Test
    void aBankWithItsOwnKeyCannotSendAFrameOrAHeartbeatAsAnotherBank() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            // b2, correctly authenticated as itself, writes "from":"b3"
            String forged = "{\"from\":\"b3\",\"messages\":[{\"seq\":1,\"type\":\"OP\",\"clock\":{\"b3\":1},"
                    + "\"id\":\"forged\",\"payload\":\"key=x;delta=1\"}]}";
            try (Response r = post(c.url("b1") + "/peer/v1/messages",
                    signed(c, "b2", "b1", "POST", "/peer/v1/messages", forged), forged)) {
                assertUnauthorized(r);
            }
            String beat = "{\"from\":\"b3\"}";
            try (Response r = post(c.url("b1") + "/peer/v1/heartbeat",
                    signed(c, "b2", "b1", "POST", "/peer/v1/heartbeat", beat), beat)) {
                assertUnauthorized(r);
            }
            // the same on a link b2 opened as itself: the connection closes, nothing is taken
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = linkFromB2(c, closed);
            ws.send(forged);
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(c.node("b1").view().queue()).isEmpty();
            assertThat(c.node("b1").view().clock().get("b3")).isZero();
            assertThat(c.node("b1").outcome("forged")).isEmpty();
            // and the consortium orders as before, b3's own messages included
            assertThat(c.node("b3").submit("real", "key=x;delta=1").get(10, TimeUnit.SECONDS).committed()).isTrue();
            c.awaitDelivered(1, Duration.ofSeconds(10));
            assertThat(c.node("b1").outcome("forged")).isEmpty();
        }
    }

    private static java.security.PrivateKey privateKeyOf(TestCluster c, String id) {
        return c.privateKey(id);
    }

    /** A plain HTTP/1.1 WebSocket upgrade request, so the refusal's status and body can be read. */
    private Response upgrade(String url, Map<String, String> headers) throws Exception {
        Request.Builder b = new Request.Builder().url(url + WebSocketTransport.LINK_PATH)
                .header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.forEach(b::header);
        return http.newCall(b.build()).execute();
    }

    @ParameterizedTest(name = "{0} transport")
    @EnumSource(TransportKind.class)
    void aLinkUpgradeWithoutTheRightCredentialIs401WithAJsonErrorAndChangesNothing(TransportKind transport)
            throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null)) {
            c.transport = transport;
            c.start();
            Map<String, String> good = signed(c, "b2", "b1", "GET", WebSocketTransport.LINK_PATH, "");
            Map<String, String> forOtherPath = signed(c, "b2", "b1", "GET", "/peer/v1/other", "");
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong"),
                    forOtherPath, signed(c, "b2", "b3", "GET", WebSocketTransport.LINK_PATH, ""))) {
                try (Response r = upgrade(c.url("b1"), headers)) {
                    assertUnauthorized(r);
                }
            }
            // a link upgrade is single-use: a copy of a good one is refused
            Request.Builder first = new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH);
            good.forEach(first::header);
            CompletableFuture<Integer> opened = new CompletableFuture<>();
            WebSocket ok = http.newWebSocket(first.build(), new WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws, Response response) {
                    opened.complete(response.code());
                }

                @Override
                public void onFailure(WebSocket ws, Throwable t, Response response) {
                    opened.complete(response == null ? -1 : response.code());
                }
            });
            assertThat(opened.get(10, TimeUnit.SECONDS)).isEqualTo(101);
            ok.close(1000, null);
            try (Response r = upgrade(c.url("b1"), good)) {
                assertUnauthorized(r);
            }
            // an OkHttp WebSocket with a wrong credential fails with the 401 and never opens
            CompletableFuture<Integer> refused = new CompletableFuture<>();
            http.newWebSocket(new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH)
                    .header("Authorization", "Bearer wrong").build(), new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket ws, Response response) {
                            refused.complete(response.code());
                            ws.cancel();
                        }

                        @Override
                        public void onFailure(WebSocket ws, Throwable t, Response response) {
                            refused.complete(response == null ? -1 : response.code());
                        }
                    });
            assertThat(refused.get(10, TimeUnit.SECONDS)).isEqualTo(401);
            assertThat(c.node("b1").view().queue()).isEmpty();
            // with the credential, links work over this transport
            assertThat(c.node("b2").submit("allowed", "key=x;delta=1").get(10, TimeUnit.SECONDS).committed()).isTrue();
        }
    }

    @Test
    void aStreamingLinkSignedByItsSenderCarriesBatchesAndCumulativeAcks() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            String batch = "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"ACK\",\"clock\":{\"b2\":1}}]}";
            // b2 has sent nothing yet, so this frame (as b2's link would send it) is new to b1
            Request.Builder up = new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH);
            signed(c, "b2", "b1", "GET", WebSocketTransport.LINK_PATH, "").forEach(up::header);
            WebSocket ws = http.newWebSocket(up.build(), new WebSocketListener() {
                        @Override
                        public void onMessage(WebSocket w, String text) {
                            answer.complete(text);
                        }

                        @Override
                        public void onFailure(WebSocket w, Throwable t, Response response) {
                            answer.completeExceptionally(t);
                        }
                    });
            ws.send(batch);
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("{\"ack\":1}");
            ws.close(1000, null);
        }
    }

    @Test
    void aMalformedFrameClosesTheLinkWith1008AndChangesNothing() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = linkFromB2(c, closed);
            ws.send("{\"from\":\"b9\",\"messages\":[]}");
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(c.node("b1").view().queue()).isEmpty();
        }
    }

    @Test
    void malformedBatchesAre400() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            for (String body : new String[] {"not json", "{}", "{\"from\":\"b2\",\"messages\":\"x\"}"}) {
                try (Response r = post(c.url("b1") + "/peer/v1/messages",
                        signed(c, "b2", "b1", "POST", "/peer/v1/messages", body), body)) {
                    assertThat(r.code()).as(body).isEqualTo(400);
                    assertThat(r.body().string()).contains("\"error\":\"BAD_REQUEST\"");
                }
            }
        }
    }

    /** A link b2 opens to b1 as itself (signed upgrade); {@code closed} completes with the code b1 closes it with. */
    private WebSocket linkFromB2(TestCluster c, CompletableFuture<Integer> closed) {
        Request.Builder up = new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH);
        signed(c, "b2", "b1", "GET", WebSocketTransport.LINK_PATH, "").forEach(up::header);
        return http.newWebSocket(up.build(), new WebSocketListener() {
            @Override
            public void onClosing(WebSocket w, int code, String reason) {
                closed.complete(code);
                w.close(1000, null);
            }

            @Override
            public void onFailure(WebSocket w, Throwable t, Response response) {
                closed.completeExceptionally(t);
            }
        });
    }
}
