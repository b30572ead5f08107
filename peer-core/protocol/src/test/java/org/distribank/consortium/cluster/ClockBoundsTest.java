package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.distribank.consortium.clock.LogicalClock;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clock entries and sequence numbers no honest peer could send are refused whole, before the log: the
 * consortium keeps ordering, and keeps ordering after every peer restarts from its log.
 */
class ClockBoundsTest {

    @TempDir
    Path dir;
    private final OkHttpClient http = new OkHttpClient();

    /** b2 (authenticated as itself, its first message: seq 1) sends b1 a batch with this clock. */
    private static String batch(String seq, String clock) {
        return "{\"from\":\"b2\",\"messages\":[{\"seq\":" + seq + ",\"type\":\"OP\",\"clock\":" + clock
                + ",\"id\":\"bad-" + clock.hashCode() + "\",\"payload\":\"" + CounterStateMachine.payload("x", 1000)
                + "\"}]}";
    }

    private int post(TestCluster c, String body) throws Exception {
        Request.Builder b = new Request.Builder().url(c.url("b1") + HttpTransport.MESSAGES_PATH)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json")));
        c.signedHeaders("b2", "b1", "POST", HttpTransport.MESSAGES_PATH, body).forEach(b::header);
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            if (r.code() != 200) {
                var o = JsonParser.parseString(text).getAsJsonObject();
                assertThat(o.get("error").getAsString()).isEqualTo("BAD_REQUEST");
                assertThat(o.get("message").getAsString()).isNotBlank();
            }
            return r.code();
        }
    }

    private int sendOnLink(TestCluster c, String frame) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        Request.Builder up = new Request.Builder().url(c.url("b1") + WebSocketTransport.LINK_PATH);
        c.signedHeaders("b2", "b1", "GET", WebSocketTransport.LINK_PATH, "").forEach(up::header);
        WebSocket ws = http.newWebSocket(up.build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket w, String text) {
                closed.complete(0); // an ack: taken
            }

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
        ws.send(frame);
        try {
            return closed.get(10, TimeUnit.SECONDS);
        } finally {
            ws.cancel();
        }
    }

    private static void orderFromEveryPeer(TestCluster c, String prefix) throws Exception {
        for (String p : c.ids()) {
            Outcome o = c.node(p).submit(prefix + p, CounterStateMachine.payload("x", 1)).get(20, TimeUnit.SECONDS);
            assertThat(o.committed()).isTrue();
        }
    }

    @Test
    void impossibleClocksAreRefusedNeverStoredAndTheConsortiumKeepsOrderingAcrossRestarts() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            long max = LogicalClock.MAX_ENTRY;
            List<String> refused = List.of(
                    batch("1", "[" + (Long.MAX_VALUE - 1) + ",1,0]"), // near overflow: out of range
                    batch("1", "[0,1," + Long.MAX_VALUE + "]"),
                    batch("1", "[0,1," + (max + 1) + "]"),
                    batch("1", "[" + max + "," + max + "," + max + "]"), // in range, but nobody has seen that
                    batch("1", "[5,1,0]"), // b1's own entry ahead of b1's clock
                    batch("1", "[0,1000,0]"), // b2's own entry beyond its 1 send and what it could have received
                    batch("1", "[0,1," + ((1L << 32) + 10) + "]"), // b3's entry far beyond what b1 knows of b3
                    batch(Long.toString(Long.MAX_VALUE - 1), "[0,1,0]"), // a sequence number near overflow
                    "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"ACK\",\"clock\":[0,1,0]},"
                            + "{\"seq\":3,\"type\":\"ACK\",\"clock\":[0,2,0]}]}", // a batch is a run of sequence numbers
                    "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"ACK\",\"clock\":[0,1,0]},"
                            + "{\"seq\":2,\"type\":\"ACK\",\"clock\":[0,1,0]}]}"); // own entry grows on every send
            for (String body : refused) {
                assertThat(post(c, body)).as(body).isEqualTo(400);
            }
            assertThat(sendOnLink(c, batch("1", "[0,1," + max + "]"))).isEqualTo(1008);
            assertThat(c.node("b1").view().queue()).isEmpty();
            assertThat(c.node("b1").view().clock().entries().values()).allMatch(v -> v == 0);

            orderFromEveryPeer(c, "before-restart-");
            c.awaitDelivered(3, Duration.ofSeconds(20));

            // every peer restarts from its log: no refused frame is in it, every link resumes
            for (String p : c.ids()) {
                c.stop(p);
            }
            for (String p : c.ids()) {
                c.startPeer(p);
            }
            c.awaitAllOnline(Duration.ofSeconds(20));
            c.awaitDelivered(3, Duration.ofSeconds(20));
            orderFromEveryPeer(c, "after-restart-");
            c.awaitDelivered(6, Duration.ofSeconds(20));
            for (TestCluster.Member m : c.members()) {
                assertThat(m.machine.value("x")).isEqualTo(6);
                assertThat(m.node.view().logHash()).isEqualTo(c.node("b1").view().logHash());
            }
        }
    }

    @Test
    void clockSumsNeverWrap() {
        assertThatThrownBy(() -> LogicalClock.sum(new long[] {Long.MAX_VALUE, 1})).isInstanceOf(ArithmeticException.class);
        LogicalClock clock = new LogicalClock("b1", List.of("b1", "b2"));
        assertThat(clock.refusal("b2", 1, new long[] {0, Long.MAX_VALUE}, clock.entries(), null)).isNotNull();
        assertThat(clock.refusal("b2", 1, new long[] {0, 1}, clock.entries(), null)).isNull();
    }
}
