package org.distribank.consortium.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.distribank.consortium.cluster.TestCluster;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.QueueEntry;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.transport.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What observers get: the view, live events, the SSE route and the ShiViz export. */
class ObserveTest {

    @TempDir
    Path dir;

    @Test
    void viewShowsPeersClockQueueWithPerEntryAcksDeliveredAndHash() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(15_000).start()) {
            c.node("b1").submit("one", "key=x;delta=1").get(10, TimeUnit.SECONDS);
            c.awaitDelivered(1, Duration.ofSeconds(5));
            ConsortiumView v = c.node("b2").view();
            assertThat(v.self()).isEqualTo("b2");
            assertThat(v.peers()).extracting(p -> p.id()).containsExactly("b1", "b2", "b3");
            assertThat(v.peers()).allSatisfy(p -> {
                assertThat(p.online()).isTrue();
                assertThat(p.lastSeenMs()).isPositive();
            });
            assertThat(v.clock().entries()).containsOnlyKeys("b1", "b2", "b3");
            assertThat(v.delivered()).isEqualTo(1);
            assertThat(v.logHash()).isEqualTo(c.node("b1").view().logHash()).hasSize(64);
            // the API.md shape: the clock is a plain map
            assertThat(Json.GSON.toJson(v)).contains("\"clock\":{\"b1\":").contains("\"logHash\":\"")
                    .contains("\"lastSeenMs\":").contains("\"delivered\":1");
            assertThat(Json.GSON.fromJson(Json.GSON.toJson(v), ConsortiumView.class).clock()).isEqualTo(v.clock());

            // b3 paused: b1's next operation waits in every queue, acked by all but b3
            c.pause("b3");
            var pending = c.node("b1").submit("two", "key=x;delta=1");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b2").view().queue().size() == 1);
            QueueEntry e = c.node("b2").view().queue().get(0);
            assertThat(e.id()).isEqualTo("two");
            assertThat(e.origin()).isEqualTo("b1");
            assertThat(e.state()).isEqualTo("QUEUED");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b2").view().queue().get(0).acks()
                    .equals(List.of("b1", "b2")));
            c.resume("b3");
            pending.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b2").view().queue().isEmpty());
        }
    }

    @Test
    void listenersSeeEveryKindOfEventStampedWithTheClock() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).start()) { // short detector: PEER_DOWN is expected
            List<ProtocolEvent> seen = new CopyOnWriteArrayList<>();
            AutoCloseable sub = c.node("b2").events().subscribe(seen::add);
            c.node("b1").submit("e1", "key=x;delta=1;voters=b1,b2").get(10, TimeUnit.SECONDS);
            c.node("b2").submit("e2", "key=x;delta=1;veto=b2:NO_WAY").get(10, TimeUnit.SECONDS);
            c.pause("b3");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(
                    e -> e.type() == EventType.PEER_DOWN && "b3".equals(e.peer())));
            c.resume("b3");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(
                    e -> e.type() == EventType.PEER_UP && "b3".equals(e.peer())));
            sub.close();
            assertThat(seen).extracting(ProtocolEvent::type).contains(EventType.SEND, EventType.RECEIVE,
                    EventType.ACK, EventType.DELIVER, EventType.VOTE, EventType.COMMIT, EventType.ABORT);
            assertThat(seen).allSatisfy(e -> {
                assertThat(e.self()).isEqualTo("b2");
                assertThat(e.clock().entries()).containsKeys("b1", "b2", "b3");
            });
            ProtocolEvent abort = seen.stream().filter(e -> e.type() == EventType.ABORT).findFirst().orElseThrow();
            assertThat(abort.opId()).isEqualTo("e2");
            assertThat(abort.detail()).contains("NO_WAY");
            // a message's events carry its kind and its sender's sequence number as fields, not only in words
            ProtocolEvent opSent = seen.stream().filter(e -> e.type() == EventType.SEND && "e2".equals(e.opId())
                    && "OP".equals(e.message())).findFirst().orElseThrow();
            assertThat(opSent.seq()).isPositive();
            assertThat(opSent.detail()).isEqualTo("OP seq=" + opSent.seq());
            assertThat(seen).filteredOn(e -> e.type() == EventType.RECEIVE && "e1".equals(e.opId())
                    && "OP".equals(e.message())).singleElement().satisfies(r -> {
                        assertThat(r.peer()).isEqualTo("b1");
                        assertThat(r.seq()).isPositive();
                    });
            assertThat(seen).filteredOn(e -> e.type() == EventType.DELIVER).allSatisfy(e -> {
                assertThat(e.message()).isNull();
                assertThat(e.seq()).isNull();
            });
            assertThat(c.node("b2").events().recent()).isNotEmpty();
        }
    }

    @Test
    void shivizExportParsesWithTheDocumentedRegexAndClocksTickPerHost() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(15_000).start()) {
            for (int i = 0; i < 10; i++) {
                c.node("b" + (1 + i % 3)).submit("s" + i, "key=x;delta=1").get(10, TimeUnit.SECONDS);
            }
            c.awaitDelivered(10, Duration.ofSeconds(5));
            List<List<ProtocolEvent>> all = new ArrayList<>();
            c.members().forEach(m -> all.add(m.node.events().recent()));
            String log = ShiVizExport.format(all);
            Matcher m = Pattern.compile(ShiVizExport.REGEX.replace("{.*}", "\\{.*\\}")).matcher(log);
            Map<String, Long> lastOwn = new HashMap<>();
            int events = 0;
            while (m.find()) {
                events++;
                String host = m.group("host");
                VectorClock clock = new VectorClock(Json.GSON.fromJson(m.group("clock"),
                        new com.google.gson.reflect.TypeToken<Map<String, Long>>() { }.getType()));
                long own = clock.get(host);
                assertThat(own).as("own entry of %s ticks at each event", host)
                        .isEqualTo(lastOwn.getOrDefault(host, own - 1) + 1);
                lastOwn.put(host, own);
            }
            assertThat(events).isEqualTo(log.split("\n").length / 2).isGreaterThan(30);
            assertThat(log).contains("DELIVER s0");
        }
    }

    /** b1's event stream served by a Javalin of its own on a loopback port. */
    private static Javalin eventsServer(TestCluster c) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            EventStreamRoute.register(cfg, "/api/v1/events", c.node("b1").events());
        }).start("127.0.0.1", 0);
    }

    @Test
    void sseRouteStreamsEventsAsTheyHappen() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(15_000).start()) {
            Javalin web = eventsServer(c);
            OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
            try (Response resp = http.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + web.port() + "/api/v1/events")
                    .header("Accept", "text/event-stream").build()).execute()) {
                assertThat(resp.header("Content-Type")).contains("text/event-stream");
                BufferedReader in = new BufferedReader(new InputStreamReader(resp.body().byteStream(),
                        StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith(":");
                var submitted = c.node("b1").submit("sse", "key=x;delta=1");
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null && !line.equals("event: COMMIT")) {
                    lines.add(line);
                }
                assertThat(line).isEqualTo("event: COMMIT");
                assertThat(in.readLine()).startsWith("data: ").contains("\"opId\":\"sse\"").contains("\"clock\"");
                assertThat(lines).contains("event: SEND", "event: DELIVER");
                submitted.get(5, TimeUnit.SECONDS);
            } finally {
                web.stop();
            }
        }
    }

    @Test
    void sseRouteResumesAfterTheLastEventIdWithoutAGapOrARepeat() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(15_000).start()) {
            for (int i = 0; i < 3; i++) {
                c.node("b1").submit("r" + i, "key=x;delta=1").get(10, TimeUnit.SECONDS);
            }
            List<ProtocolEvent> kept = c.node("b1").events().recent();
            long resumeAfter = kept.get(5).index();
            long lastKept = kept.get(kept.size() - 1).index();
            Javalin web = eventsServer(c);
            OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
            try (Response resp = http.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + web.port() + "/api/v1/events")
                    .header("Accept", "text/event-stream").header("Last-Event-ID", Long.toString(resumeAfter))
                    .build()).execute()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(resp.body().byteStream(),
                        StandardCharsets.UTF_8));
                List<Long> ids = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        ids.add(Long.parseLong(line.substring(4).trim()));
                        if (ids.get(ids.size() - 1) >= lastKept) {
                            break;
                        }
                    }
                }
                assertThat(ids).first().isEqualTo(resumeAfter + 1);
                for (int i = 1; i < ids.size(); i++) {
                    assertThat(ids.get(i)).as("event ids follow each other").isEqualTo(ids.get(i - 1) + 1);
                }
                assertThat(ids).last().isEqualTo(lastKept);
            } finally {
                web.stop();
            }
        }
    }

    @Test
    void aResumeIndexIsReadFromTheHeaderOrTheQueryAndAnythingElseMeansLiveOnly() {
        assertThat(EventStreamRoute.since("41", null)).isEqualTo(41);
        assertThat(EventStreamRoute.since(null, "7")).isEqualTo(7);
        assertThat(EventStreamRoute.since(null, null)).isEqualTo(-1);
        assertThat(EventStreamRoute.since("x", null)).isEqualTo(-1);
        assertThat(EventStreamRoute.since("-5", null)).isZero();
    }
}
