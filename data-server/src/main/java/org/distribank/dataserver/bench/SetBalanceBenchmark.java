package org.distribank.dataserver.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.DataServerOptions;

/**
 * Durable {@code setBalance} throughput and latency over real HTTP on loopback, against a real server with
 * its H2 files in a temporary directory. Each client sends one request at a time and waits for the durable
 * answer; every row runs for a fixed duration. The table goes to the given stream (the launcher's stdout).
 */
public final class SetBalanceBenchmark {

    private static final String BUSINESS = "bench";
    private static final String TOKEN = "bench-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");

    private SetBalanceBenchmark() {
    }

    /** One row of the table. */
    public record Row(int clients, long operations, long failures, double opsPerSecond, double p50Ms, double p99Ms) {
    }

    public static List<Row> run(PrintStream out, int secondsPerRow, int... clientCounts) throws IOException {
        Path dir = Files.createTempDirectory("distribank-bench-");
        List<Row> rows = new ArrayList<>();
        try (DataServer server = DataServer.start(DataServerOptions.builder().port(0).dataDir(dir)
                .business(BUSINESS, TOKEN).build())) {
            // One keep-alive connection per client: the pool must hold them all, or connections churn.
            OkHttpClient http = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                    .socketFactory(NoDelaySocketFactory.INSTANCE)
                    .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30)).build();
            String url = server.url();
            setUp(http, url, Arrays.stream(clientCounts).max().orElse(1));
            out.printf("Durable setBalance over HTTP on loopback (%d s per row, %d CPUs, H2 group commit + fsync)%n",
                    secondsPerRow, Runtime.getRuntime().availableProcessors());
            out.printf("%8s %12s %10s %10s %10s %9s%n", "clients", "ops", "ops/s", "p50 ms", "p99 ms", "errors");
            for (int clients : clientCounts) {
                Row row = measure(http, url, clients, secondsPerRow);
                rows.add(row);
                out.printf("%8d %12d %10.0f %10.2f %10.2f %9d%n", row.clients(), row.operations(),
                        row.opsPerSecond(), row.p50Ms(), row.p99Ms(), row.failures());
                out.flush();
            }
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        } finally {
            deleteTree(dir);
        }
        return rows;
    }

    private static void setUp(OkHttpClient http, String url, int accounts) {
        send(http, url + "/v1/banks/" + BUSINESS + "/customers", "POST", "{\"cpf\":\"12345678909\",\"name\":\"Bench\","
                + "\"username\":\"bench\",\"password_hash\":\"$2a$10$benchbenchbenchbenchbe\"}", 201);
        for (int i = 0; i < accounts; i++) {
            send(http, url + "/v1/banks/" + BUSINESS + "/accounts", "POST", "{\"account_id\":\"a" + i
                    + "\",\"type\":\"JOINT\",\"holders\":[{\"cpf\":\"12345678909\",\"role\":\"HOLDER\"}]}", 201);
        }
    }

    private static Row measure(OkHttpClient http, String url, int clients, int seconds) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                // Each client credits its own account (no lock contention: this measures the durable write path).
                long[] latencies = new long[1 << 16];
                int n = 0;
                long failures = 0;
                String prefix = "c" + clients + "-" + client + "-";
                for (long i = 0; System.nanoTime() < deadline; i++) {
                    String body = "{\"business_id\":\"" + BUSINESS + "\",\"account_id\":\"a" + client
                            + "\",\"value\":1,\"operation_id\":\"" + prefix + i + "\"}";
                    long t0 = System.nanoTime();
                    boolean ok = send(http, url + "/setBalance", "POST", body, 200);
                    long t = System.nanoTime() - t0;
                    if (!ok) {
                        failures++;
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = t;
                }
                long[] result = Arrays.copyOf(latencies, n + 1);
                result[n] = failures;
                return result;
            }));
        }
        List<Long> all = new ArrayList<>();
        long failures = 0;
        try {
            for (Future<long[]> f : futures) {
                long[] r = f.get(seconds + 60L, TimeUnit.SECONDS);
                for (int i = 0; i < r.length - 1; i++) {
                    all.add(r[i]);
                }
                failures += r[r.length - 1];
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark client failed", e);
        } finally {
            pool.shutdownNow();
        }
        double elapsedS = (System.nanoTime() - start) / 1e9;
        all.sort(Comparator.naturalOrder());
        return new Row(clients, all.size(), failures, all.size() / elapsedS, percentileMs(all, 0.50),
                percentileMs(all, 0.99));
    }

    private static double percentileMs(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static boolean send(OkHttpClient http, String url, String method, String body, int expected) {
        Request request = new Request.Builder().url(url).header("auth-token", TOKEN)
                .method(method, RequestBody.create(body, JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            response.body().bytes();
            return response.code() == expected;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
