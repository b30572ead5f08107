package org.distribank.consortium.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.distribank.consortium.cluster.TestCluster;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.storage.CrashableFiles;
import org.distribank.consortium.storage.NioSegmentFiles;
import org.distribank.consortium.transport.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer's event history: on disk, bounded by count and age, surviving restarts and crashes, replayed by the stream. */
class EventHistoryTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private static ProtocolEvent event(long index, long timeMs) {
        return new ProtocolEvent(index, timeMs, "b1", EventType.SEND, "all", "op" + index, "OP seq=" + index,
                new VectorClock(Map.of("b1", index)), null, "OP", index);
    }

    private EventHistory history(CrashableFiles files, int maxEvents, long maxAgeMs) {
        return new EventHistory(files, maxEvents, maxAgeMs, 4_096, true, now::get);
    }

    private static List<ProtocolEvent> replayAll(EventHistory h) {
        List<ProtocolEvent> out = new ArrayList<>();
        h.replay(0, Long.MAX_VALUE, 0, out::add);
        return out;
    }

    @Test
    void eventsComeBackAfterARestartWithEveryFieldAndTheNextIndexFollowsThem() throws Exception {
        CrashableFiles files = new CrashableFiles(new NioSegmentFiles(dir));
        EventHistory h = history(files, 1_000, 60_000);
        assertThat(h.open()).isZero();
        for (long i = 1; i <= 50; i++) {
            h.offer(event(i, now.get() + i));
        }
        h.close();

        EventHistory again = history(files, 1_000, 60_000);
        assertThat(again.open()).as("the newest index kept").isEqualTo(50);
        List<ProtocolEvent> back = replayAll(again);
        assertThat(back).hasSize(50);
        assertThat(back.get(0)).isEqualTo(event(1, now.get() + 1));
        assertThat(back).extracting(ProtocolEvent::index).isSorted();
        List<ProtocolEvent> window = new ArrayList<>();
        again.replay(10, 20, now.get() + 15, window::add);
        assertThat(window).extracting(ProtocolEvent::index).containsExactly(15L, 16L, 17L, 18L, 19L, 20L);
        again.close();
        try (Stream<Path> names = Files.list(dir)) {
            assertThat(names.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("events-\\d{8}\\.seg"));
        }
    }

    @Test
    void aCrashKeepsEveryEventThatWasOnDiskAndNothingTorn() throws Exception {
        CrashableFiles files = new CrashableFiles(new NioSegmentFiles(dir));
        EventHistory h = history(files, 10_000, 60_000);
        h.open();
        for (long i = 1; i <= 300; i++) {
            h.offer(event(i, now.get()));
        }
        assertThat(h.awaitDurable(300, 10_000)).isTrue();
        for (long i = 301; i <= 2_000; i++) {
            h.offer(event(i, now.get())); // some of these are not forced yet when the crash comes
        }
        files.crash(); // first the disk loses what was not forced and refuses the process, then the process dies
        h.abandon();

        EventHistory after = history(new CrashableFiles(new NioSegmentFiles(dir)), 10_000, 60_000);
        long newest = after.open();
        assertThat(newest).isBetween(300L, 2_000L);
        List<ProtocolEvent> back = replayAll(after);
        assertThat(back).extracting(ProtocolEvent::index)
                .as("every durable event, in order, no gap")
                .containsExactlyElementsOf(Stream.iterate(1L, i -> i + 1).limit(newest).toList());
        after.close();
    }

    @Test
    void theHistoryKeepsTheNewestEventsUpToItsCountPlusOneSegment() throws Exception {
        CrashableFiles files = new CrashableFiles(new NioSegmentFiles(dir));
        EventHistory h = history(files, 100, 60_000);
        h.open();
        for (long i = 1; i <= 600; i++) {
            h.offer(event(i, now.get()));
            if (i % 10 == 0) {
                assertThat(h.awaitDurable(i, 10_000)).isTrue(); // small batches, many segments
            }
        }
        List<ProtocolEvent> back = replayAll(h);
        int perSegment = 4_096 / Json.GSON.toJson(event(1_000, now.get())).length() + 1;
        assertThat(back.size()).isBetween(100, 100 + perSegment);
        assertThat(back.get(back.size() - 1).index()).as("the newest is kept").isEqualTo(600);
        assertThat(back).extracting(ProtocolEvent::index).as("a contiguous run up to the newest")
                .containsExactlyElementsOf(Stream.iterate(601L - back.size(), i -> i + 1).limit(back.size()).toList());
        try (Stream<Path> names = Files.list(dir)) {
            assertThat(names.count()).as("segment files on disk").isLessThan(600 / perSegment / 2);
        }
        h.close();
    }

    @Test
    void eventsOlderThanTheMaximumAgeAreNeitherReplayedNorKeptOnDisk() throws Exception {
        CrashableFiles files = new CrashableFiles(new NioSegmentFiles(dir));
        EventHistory h = history(files, 100_000, 60_000);
        h.open();
        long start = now.get();
        for (long i = 1; i <= 400; i++) {
            h.offer(event(i, start + i * 100)); // 40 s of events
            if (i % 50 == 0) {
                assertThat(h.awaitDurable(i, 10_000)).isTrue();
            }
        }
        assertThat(replayAll(h)).hasSize(400);
        now.set(start + 60_000 + 30_000); // the first 30 s are now older than a minute
        h.offer(event(401, now.get()));
        assertThat(h.awaitDurable(401, 10_000)).isTrue();
        List<ProtocolEvent> back = replayAll(h);
        assertThat(back).allSatisfy(e -> assertThat(e.timeMs()).isGreaterThanOrEqualTo(start + 30_000));
        assertThat(back).extracting(ProtocolEvent::index).contains(300L, 401L).doesNotContain(299L, 1L);
        assertThat(h.size()).as("old segments deleted").isLessThan(400);
        h.close();
    }

    @Test
    void aNodesEventStreamReplaysItsHistoryAfterARestartAndFromATime() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(15_000)) {
            // memory keeps only the last 50 events: the rest must come from disk
            c.tune = b -> b.historyEvents(10_000).eventLogCapacity(50);
            c.start();
            for (int i = 0; i < 10; i++) {
                c.node("b1").submit("h" + i, "key=x;delta=1").get(10, TimeUnit.SECONDS);
            }
            long beforeRestart = c.node("b1").events().recent().stream().mapToLong(ProtocolEvent::index).max()
                    .orElseThrow();
            assertThat(beforeRestart).isGreaterThan(50);
            c.stop("b1");
            c.restart("b1");
            c.node("b1").submit("after", "key=x;delta=1").get(10, TimeUnit.SECONDS);

            Javalin web = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                EventStreamRoute.register(cfg, "/api/v1/events", c.node("b1").events());
            }).start("127.0.0.1", 0);
            try {
                List<ProtocolEvent> all = read(web, "?since=0", "after");
                assertThat(all).extracting(ProtocolEvent::opId).contains("h0", "h9", "after");
                assertThat(all).extracting(ProtocolEvent::index).as("numbered on across the restart")
                        .isSorted().doesNotHaveDuplicates();
                assertThat(all.stream().filter(e -> "after".equals(e.opId())).findFirst().orElseThrow().index())
                        .isGreaterThan(beforeRestart);
                long h5 = all.stream().filter(e -> "h5".equals(e.opId())).mapToLong(ProtocolEvent::timeMs).min()
                        .orElseThrow();
                List<ProtocolEvent> fromH5 = read(web, "?from=" + h5, "after");
                assertThat(fromH5).allSatisfy(e -> assertThat(e.timeMs()).isGreaterThanOrEqualTo(h5));
                assertThat(fromH5).extracting(ProtocolEvent::opId).contains("h5", "after").doesNotContain("h0");
            } finally {
                web.stop();
            }
        }
    }

    /** The stream's events until the COMMIT of {@code lastOp}. */
    private static List<ProtocolEvent> read(Javalin web, String query, String lastOp) throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
        List<ProtocolEvent> out = new ArrayList<>();
        try (Response resp = http.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + web.port() + "/api/v1/events" + query)
                .header("Accept", "text/event-stream").build()).execute()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(resp.body().byteStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    ProtocolEvent e = Json.GSON.fromJson(line.substring(6), ProtocolEvent.class);
                    out.add(e);
                    if (e.type() == EventType.COMMIT && lastOp.equals(e.opId())) {
                        break;
                    }
                }
            }
        }
        return out;
    }
}
