package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Peer routes need the consortium credential; bad input is a 400, never a 500. */
class PeerEndpointAuthTest {

    @TempDir
    Path dir;
    private final OkHttpClient http = new OkHttpClient();

    private Response post(String url, String auth, String body) throws Exception {
        Request.Builder b = new Request.Builder().url(url)
                .post(RequestBody.create(body, MediaType.get("application/json")));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.newCall(b.build()).execute();
    }

    @Test
    void missingOrWrongCredentialIs401WithAJsonErrorAndChangesNothing() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            String batch = "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"OP\",\"clock\":{\"b2\":1},"
                    + "\"id\":\"forged\",\"payload\":\"key=x;delta=1\"}]}";
            for (String auth : new String[] {null, "Bearer wrong", TestCluster.CREDENTIAL}) {
                for (String path : new String[] {"/peer/v1/messages", "/peer/v1/heartbeat"}) {
                    try (Response r = post(c.url("b1") + path, auth, batch)) {
                        assertThat(r.code()).isEqualTo(401);
                        assertThat(r.header("Content-Type")).contains("application/json");
                        assertThat(r.body().string()).contains("\"error\":\"UNAUTHORIZED\"").contains("\"message\"");
                    }
                }
            }
            assertThat(c.node("b1").view().queue()).isEmpty();
        }
    }

    /** A plain HTTP/1.1 WebSocket upgrade request, so the refusal's status and body can be read. */
    private Response upgrade(String url, String auth) throws Exception {
        Request.Builder b = new Request.Builder().url(url + WebSocketTransport.LINK_PATH)
                .header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.newCall(b.build()).execute();
    }

    @ParameterizedTest(name = "{0} transport")
    @ValueSource(strings = {NodeOptions.WEBSOCKET, NodeOptions.HTTP})
    void aLinkUpgradeWithoutTheRightCredentialIs401WithAJsonErrorAndChangesNothing(String transport)
            throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null)) {
            c.transport = transport;
            c.start();
            for (String auth : new String[] {null, "Bearer wrong", TestCluster.CREDENTIAL}) {
                try (Response r = upgrade(c.url("b1"), auth)) {
                    assertThat(r.code()).as("auth %s", auth).isEqualTo(401);
                    assertThat(r.header("Content-Type")).contains("application/json");
                    assertThat(r.body().string()).contains("\"error\":\"UNAUTHORIZED\"").contains("\"message\"");
                }
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
    void aStreamingLinkWithTheCredentialCarriesBatchesAndCumulativeAcks() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            String batch = "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"ACK\",\"clock\":{\"b2\":1}}]}";
            // b2 has sent nothing yet, so this frame (as b2's link would send it) is new to b1
            WebSocket ws = http.newWebSocket(new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH)
                    .header("Authorization", "Bearer " + TestCluster.CREDENTIAL).build(), new WebSocketListener() {
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
            WebSocket ws = http.newWebSocket(new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH)
                    .header("Authorization", "Bearer " + TestCluster.CREDENTIAL).build(), new WebSocketListener() {
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
            ws.send("{\"from\":\"b9\",\"messages\":[]}");
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(c.node("b1").view().queue()).isEmpty();
        }
    }

    @Test
    void malformedBatchesAre400() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            String auth = "Bearer " + TestCluster.CREDENTIAL;
            for (String body : new String[] {"not json", "{}", "{\"from\":\"b9\",\"messages\":[]}",
                    "{\"from\":\"b2\",\"messages\":\"x\"}"}) {
                try (Response r = post(c.url("b1") + "/peer/v1/messages", auth, body)) {
                    assertThat(r.code()).as(body).isEqualTo(400);
                    assertThat(r.body().string()).contains("\"error\":\"BAD_REQUEST\"");
                }
            }
        }
    }
}
