package org.distribank.consortium.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.transport.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers as separate JVMs; one is SIGKILLed mid-run and restarted from its data; all agree after. */
class MultiProcessTest {

    /** Each peer's own operator token. */
    private static String operatorToken(String id) {
        return "operator-token-of-" + id;
    }

    @TempDir
    Path dir;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Path> configs = new LinkedHashMap<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(15)).build();

    @AfterEach
    void killAll() {
        processes.values().forEach(Process::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void launch(String id) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StandalonePeer.class.getName(),
                "--config", configs.get(id).toString());
        File out = dir.resolve(id + ".out").toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out));
        processes.put(id, pb.start());
    }

    private String get(String id, String path) throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(urls.get(id) + path)
                .header("Authorization", "Bearer " + operatorToken(id)).build()).execute()) {
            return r.code() == 200 ? r.body().string() : null;
        }
    }

    private boolean healthy(String id) {
        try {
            return get(id, "/health") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private int submit(String id, String opId) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("id", opId);
        o.addProperty("payload", "key=x;delta=1");
        try (Response r = http.newCall(new Request.Builder().url(urls.get(id) + "/api/v1/operations")
                .header("Authorization", "Bearer " + operatorToken(id))
                .post(RequestBody.create(o.toString(), MediaType.get("application/json"))).build()).execute()) {
            return r.code();
        }
    }

    private JsonObject view(String id) throws IOException {
        String body = get(id, "/api/v1/consortium");
        return body == null ? null : Json.GSON.fromJson(body, JsonObject.class);
    }

    @Test
    void aSigkilledPeerRestartsFromItsDataAndAllAgree() throws Exception {
        List<String> ids = List.of("b1", "b2", "b3");
        List<PeerInfo> peers = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, KeyPair> keys = new LinkedHashMap<>();
        for (String id : ids) {
            ports.put(id, freePort());
            urls.put(id, "http://127.0.0.1:" + ports.get(id));
            keys.put(id, PeerKeys.generate());
            peers.add(new PeerInfo(id, "Bank " + id, urls.get(id), PeerKeys.encode(keys.get(id).getPublic())));
        }
        for (String id : ids) {
            Path cfg = dir.resolve(id + ".json");
            new PeerConfig(id, ports.get(id), dir.resolve("data-" + id).toString(),
                    PeerKeys.encode(keys.get(id).getPrivate()), operatorToken(id), 200L, 1500L, peers).write(cfg);
            configs.put(id, cfg);
            launch(id);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(this::healthy));

        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String origin = ids.get(i % 3);
            String opId = "mp-" + i;
            calls.add(pool.submit(() -> {
                try {
                    return submit(origin, opId);
                } catch (IOException e) {
                    return -1; // the victim's own clients lose their connection
                }
            }));
            if (i == 150) {
                processes.get("b2").destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
            }
        }
        launch("b2");
        await().atMost(Duration.ofSeconds(60)).until(() -> healthy("b2"));
        for (Future<Integer> f : calls) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // b2 takes operations again; a 503 names a peer its fresh detector has not heard yet (a client retries it)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> submit("b2", "after-restart") == 200);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<JsonObject> views = new ArrayList<>();
            for (String id : ids) {
                JsonObject v = view(id);
                if (v == null || v.getAsJsonArray("queue").size() > 0) {
                    return false;
                }
                views.add(v);
            }
            return views.stream().map(v -> v.get("logHash").getAsString()).distinct().count() == 1
                    && views.stream().map(v -> v.get("delivered").getAsLong()).distinct().count() == 1;
        });
        long delivered = view("b1").get("delivered").getAsLong();
        assertThat(delivered).isGreaterThanOrEqualTo(200);
        for (String id : ids) {
            assertThat(get(id, "/api/v1/counters/x")).isEqualTo("{\"value\":" + delivered + "}");
        }
    }
}
