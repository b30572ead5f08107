package org.distribank.app.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;
import org.distribank.bank.identity.Cpf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./distribank bench bank}: 4 banks embedded in this JVM (real HTTP on 127.0.0.1, protocol log and data
 * servers durable, fsync on), one account per client funded by a deposit, each client sending committed cross-bank
 * transfers (its own source account, so clients rarely conflict) for a bounded time per row. Rows: committed
 * transfers/s, p50/p99 latency of committed transfers, aborted count, other answers (202/5xx/errors).
 */
public final class BankBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(BankBenchmark.class);
    /** Cents each client's account is funded with. */
    static final long FUNDING = 1_000_000_000L;

    private static final MediaType JSON = MediaType.get("application/json");
    /**
     * Blocking calls on each client's own thread (no selector or executor hand-off per request, which cost the
     * java.net.http client about 6 % of the CPU the banks share with it), one kept-alive connection per client.
     */
    private final OkHttpClient http;

    BankBenchmark() {
        this(Duration.ofSeconds(30));
    }

    /** @param timeout the bound of each call, whole (a paused bank accepts connections and never answers) */
    BankBenchmark(Duration timeout) {
        http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .connectionPool(new ConnectionPool(512, 5, TimeUnit.MINUTES))
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * Options of a run: an immutable, validated record; {@link #builder()} has the command's defaults.
     *
     * @param banks               banks of the consortium (2..16: transfers cross banks)
     * @param seconds             measured seconds per row
     * @param warmupSeconds       warm-up seconds per row
     * @param jitWarmupSeconds    one warm-up at the largest client count before the first row
     * @param clients             concurrent clients, one row each
     * @param separateDataServers one data server per bank (default: one shared)
     * @param remoteDebit         each transfer debits the client's account at another bank, through a consent
     */
    public record Options(int banks, int seconds, int warmupSeconds, int jitWarmupSeconds, List<Integer> clients,
                          boolean separateDataServers, boolean remoteDebit, boolean views, boolean history) {

        public Options {
            if (banks < 2 || banks > LaunchOptions.MAX_BANKS) {
                throw new IllegalArgumentException("banks must be 2.." + LaunchOptions.MAX_BANKS + ", got " + banks);
            }
            if (seconds < 1 || warmupSeconds < 0 || jitWarmupSeconds < 0) {
                throw new IllegalArgumentException("seconds must be positive and warm-ups 0 or more");
            }
            clients = List.copyOf(clients);
            if (clients.isEmpty() || clients.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("client counts must be 1 or more, got " + clients);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private int banks = 4;
            private int seconds = 5;
            private int warmupSeconds = 2;
            private int jitWarmupSeconds = 60;
            private List<Integer> clients = List.of(1, 16, 64);
            private boolean separateDataServers;
            private boolean remoteDebit;
            private boolean views = true;
            private boolean history = true;

            private Builder() {
            }

            public Builder banks(int banks) { this.banks = banks; return this; }
            public Builder seconds(int seconds) { this.seconds = seconds; return this; }
            public Builder warmupSeconds(int seconds) { this.warmupSeconds = seconds; return this; }
            public Builder jitWarmupSeconds(int seconds) { this.jitWarmupSeconds = seconds; return this; }
            public Builder clients(List<Integer> clients) { this.clients = clients; return this; }
            public Builder separateDataServers(boolean separate) { this.separateDataServers = separate; return this; }
            public Builder remoteDebit(boolean remoteDebit) { this.remoteDebit = remoteDebit; return this; }
            /** View changes in every bank (the launcher's default); off gives the rounds before views. */
            public Builder views(boolean views) { this.views = views; return this; }
            /** Each bank's event history on disk (the default); off measures what it costs. */
            public Builder history(boolean history) { this.history = history; return this; }

            public Options build() {
                return new Options(banks, seconds, warmupSeconds, jitWarmupSeconds, clients, separateDataServers,
                        remoteDebit, views, history);
            }
        }
    }

    /**
     * A client signed in at {@code origin} as {@code user}, paying from {@code fromBank}/{@code account} (its origin,
     * or linked); {@code token} is its current session, renewed when the bank says it expired.
     */
    record Client(String origin, String url, String user, AtomicReference<String> token, String fromBank,
                  String account, String toBank, String toAccount) {
    }

    public static void run(PrintStream out, Options o) throws IOException, InterruptedException {
        new BankBenchmark().runAll(out, o);
    }

    /** Closes this benchmark's HTTP client. */
    void shutdown() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private void runAll(PrintStream out, Options o) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("distribank-bench-bank");
        int maxClients = o.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        LaunchOptions lo = LaunchOptions.builder().banks(o.banks()).dataDir(dir.resolve("data")).bcryptCost(4)
                .separateDataServers(o.separateDataServers()).views(o.views())
                .historyEvents(o.history() ? org.distribank.bank.BankOptions.DEFAULT_HISTORY_EVENTS : 0).build();
        try (RunningConsortium c = ConsortiumLauncher.start(lo)) {
            List<Client> clients = setUp(c, maxClients, o.remoteDebit());
            out.printf(Locale.ROOT, "bank benchmark: %d banks in one JVM, HTTP on 127.0.0.1, fsync on, views %s, event history %s, %s; "
                            + "cross-bank 1-leg transfers%s; %d s per row after %d s warm-up (and %d s at %d clients before the "
                            + "first row); %d cores, load average %.2f%n",
                    o.banks(), o.views() ? "on" : "off", o.history() ? "on" : "off", o.separateDataServers() ? "one data server per bank" : "one shared data server",
                    o.remoteDebit() ? " debiting another bank's account through a consent" : "", o.seconds(), o.warmupSeconds(), o.jitWarmupSeconds(), maxClients,
                    Runtime.getRuntime().availableProcessors(), load);
            // the JIT compiler keeps about one core busy for the first 30-50 s of load: warm up once, at full load
            measure(clients, o.jitWarmupSeconds(), null);
            out.printf(Locale.ROOT, "%8s %14s %9s %9s %9s %7s %12s%n", "clients", "committed/s", "p50 ms", "p99 ms",
                    "aborted", "other", "cpu us/tx");
            for (int n : o.clients()) {
                row(out, clients.subList(0, n), o);
            }
        } finally {
            shutdown();
            deleteQuietly(dir);
        }
    }

    List<Client> setUp(RunningConsortium c, int n, boolean remoteDebit) throws IOException,
            InterruptedException {
        List<RunningConsortium.BankInfo> banks = c.banks();
        List<String> sinks = sinks(banks);
        // By default each client pays from its own account at its origin bank into another bank: the remote leg only
        // credits, so it carries no consent. With --remote-debit the client pays at its origin from its account at
        // the bank before it, through a consent of that bank linked at the origin (API.md v1.1): the remote leg
        // carries the consent and that bank judges it in its vote. The voters are two banks either way (the debited
        // and the credited one), but with --remote-debit the origin is a third bank, which waits for both legs'
        // banks to apply before it answers: the runs differ by that bank as well as by the consent.
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int originIdx = i % banks.size();
            RunningConsortium.BankInfo origin = banks.get(originIdx);
            RunningConsortium.BankInfo to = banks.get((originIdx + 1) % banks.size());
            String toAccount = sinks.get(banks.indexOf(to));
            if (!remoteDebit) {
                clients.add(payingFrom(origin, i, to, toAccount));
                continue;
            }
            RunningConsortium.BankInfo from = banks.get((originIdx + banks.size() - 1) % banks.size());
            Funded funded = funded(from, i);
            String here = funded.user() + "h";
            open(origin.url(), here, cpf(100_000 + i));
            String token = login(origin.url(), here);
            Answer consent = post(from.url() + "/api/v1/consents", funded.token(), "{\"account\":\""
                    + funded.account() + "\",\"grantee\":\"" + origin.id() + "\",\"limit\":" + FUNDING + "}");
            Answer linked = consent.status == 201 ? post(origin.url() + "/api/v1/linked-accounts", token,
                    "{\"consent\":\"" + str(consent.json, "consent") + "\"}") : consent;
            if (linked.status != 201) {
                throw new IOException("consent or link failed: " + linked.status + " " + linked.json.get("error"));
            }
            clients.add(new Client(origin.id(), origin.url(), here, new AtomicReference<>(token), from.id(),
                    funded.account(), to.id(), toAccount));
        }
        return clients;
    }

    /** One sink account per bank, in the order of {@code banks}: each receives every transfer to its bank. */
    List<String> sinks(List<RunningConsortium.BankInfo> banks) throws IOException {
        List<String> sinks = new ArrayList<>();
        for (RunningConsortium.BankInfo b : banks) {
            sinks.add(open(b.url(), "sink" + b.id(), cpf(900_000 + banks.indexOf(b))));
        }
        return sinks;
    }

    /**
     * Client number {@code seq}: its own account at {@code from}, funded with {@link #FUNDING} cents, paying there
     * into {@code toAccount} at {@code to}.
     */
    Client payingFrom(RunningConsortium.BankInfo from, int seq, RunningConsortium.BankInfo to, String toAccount)
            throws IOException, InterruptedException {
        Funded funded = funded(from, seq);
        return new Client(from.id(), from.url(), funded.user(), new AtomicReference<>(funded.token()), from.id(),
                funded.account(), to.id(), toAccount);
    }

    /** A customer's account opened at a bank and funded by a committed deposit, with the customer's session. */
    private record Funded(String user, String account, String token) {
    }

    private Funded funded(RunningConsortium.BankInfo at, int seq) throws IOException, InterruptedException {
        String user = "client" + seq;
        String account = open(at.url(), user, cpf(100_000 + seq));
        String token = login(at.url(), user);
        JsonObject d = post(at.url() + "/api/v1/deposits", token, "{\"account\":\"" + account
                + "\",\"amount\":" + FUNDING + "}").json;
        if (!"COMMITTED".equals(str(d, "status"))) {
            throw new IOException("funding deposit failed: " + d);
        }
        return new Funded(user, account, token);
    }

    private void row(PrintStream out, List<Client> clients, Options o) throws InterruptedException {
        measure(clients, o.warmupSeconds(), null);
        AtomicLong aborted = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long[][] lat = measure(clients, o.seconds(), new AtomicLong[] {aborted, other});
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        long[] all = Stream.of(lat).flatMapToLong(Arrays::stream).sorted().toArray();
        out.printf(Locale.ROOT, "%8d %14.0f %9.1f %9.1f %9d %7d %12.0f%n", clients.size(), all.length / elapsed,
                pct(all, 0.50) / 1e6, pct(all, 0.99) / 1e6, aborted.get(), other.get(),
                all.length == 0 ? 0.0 : cpu / 1e3 / all.length);
        out.flush();
    }

    /** CPU time of this whole JVM (clients, banks, data servers, GC, JIT), user and system. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** Runs every client for {@code seconds}; returns each client's committed latencies (ns). */
    private long[][] measure(List<Client> clients, int seconds, AtomicLong[] counters) throws InterruptedException {
        if (seconds <= 0) {
            return new long[0][];
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> fs = new ArrayList<>();
        for (Client cl : clients) {
            fs.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int k = 0;
                while (System.nanoTime() < deadline) {
                    long s = System.nanoTime();
                    Result r = transfer(cl);
                    if (r == Result.COMMITTED) {
                        if (k == lat.length) {
                            lat = Arrays.copyOf(lat, k * 2);
                        }
                        lat[k++] = System.nanoTime() - s;
                    } else if (counters != null) {
                        (r == Result.ABORTED ? counters[0] : counters[1]).incrementAndGet();
                    }
                }
                return Arrays.copyOf(lat, k);
            }));
        }
        long[][] out = new long[clients.size()][];
        try {
            for (int i = 0; i < fs.size(); i++) {
                out[i] = fs.get(i).get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * How one transfer ended for its client: {@code 200} COMMITTED or ABORTED, {@code 202} PENDING (not decided
     * within the bank's answer wait), {@code 503 BANK_OFFLINE}, or anything else (other errors, no answer in time).
     */
    enum Result { COMMITTED, ABORTED, PENDING, OFFLINE, OTHER }

    /** One cross-bank transfer of 1 cent by {@code cl}, with a fresh id. */
    Result transfer(Client cl) {
        String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"legs\":[{\"from\":{\"bank\":\"" + cl.fromBank()
                + "\",\"account\":\"" + cl.account() + "\"},\"to\":{\"bank\":\"" + cl.toBank()
                + "\",\"account\":\"" + cl.toAccount() + "\"},\"amount\":1}]}";
        Answer a;
        try {
            a = post(cl.url() + "/api/v1/transfers", cl.token().get(), body);
            if (a.status == 401) {
                // sessions live 30 minutes (a soak runs longer: SESSION_EXPIRED) and a restarted bank knows none
                // (UNAUTHORIZED): sign in again, as a customer's app does, and send the same transfer again (its id
                // makes that safe)
                cl.token().set(login(cl.url(), cl.user()));
                a = post(cl.url() + "/api/v1/transfers", cl.token().get(), body);
            }
        } catch (IOException e) {
            return Result.OTHER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.OTHER;
        }
        String status = str(a.json, "status");
        if (a.status == 200 && "COMMITTED".equals(status)) {
            return Result.COMMITTED;
        }
        if (a.status == 200 && "ABORTED".equals(status)) {
            return Result.ABORTED;
        }
        if (a.status == 202) {
            return Result.PENDING;
        }
        return a.status == 503 && "BANK_OFFLINE".equals(str(a.json, "error")) ? Result.OFFLINE : Result.OTHER;
    }

    /** Committed transfers/s of {@code clients} running closed-loop for {@code seconds}. */
    double committedPerSecond(List<Client> clients, int seconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long[][] lat = measure(clients, seconds, null);
        return Stream.of(lat).mapToLong(l -> l.length).sum() / ((System.nanoTime() - t0) / 1e9);
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // ---- HTTP ----

    record Answer(int status, JsonObject json) {
    }

    Answer post(String url, String bearer, String body) throws IOException {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            JsonElement e;
            try {
                e = JsonParser.parseString(text.isEmpty() ? "{}" : text);
            } catch (RuntimeException ex) {
                e = new JsonObject();
            }
            return new Answer(r.code(), e.isJsonObject() ? e.getAsJsonObject() : new JsonObject());
        }
    }

    private String open(String url, String username, String cpf) throws IOException {
        Answer a = post(url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\"Bench "
                + username + "\",\"cpf\":\"" + cpf + "\",\"username\":\"" + username + "\",\"password\":\"pw-"
                + username + "-secret\"}}");
        if (a.status != 201) {
            throw new IOException("opening an account failed: " + a.status + " " + a.json);
        }
        return str(a.json, "account");
    }

    private String login(String url, String username) throws IOException, InterruptedException {
        Answer a = post(url + "/api/v1/sessions", null, "{\"username\":\"" + username + "\",\"password\":\"pw-"
                + username + "-secret\"}");
        if (a.status != 201) {
            throw new IOException("sign-in failed: " + a.status);
        }
        return str(a.json, "token");
    }

    static String str(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
    }

    /** A valid CPF from a sequence number. */
    static String cpf(int seq) {
        return Cpf.withCheckDigits(String.format(Locale.ROOT, "%09d", 100_000_000 + seq * 7)).digits();
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
