package org.distribank.app.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;

/**
 * {@code ./distribank bench soak --minutes M}: 4 banks as processes under a steady, paced load (by default 70 % of
 * what 64 closed-loop clients commit on this machine, measured first), printing every minute each bank's live heap
 * after a full GC ({@code jcmd GC.class_histogram}, which collects first), its bytes on disk (protocol log,
 * snapshots and position files) and its snapshot position; at the end one bank is killed with SIGKILL, started
 * again, and the time until it serves customers is printed. What it shows: whether a bank's memory and disk stay
 * flat over time (they depend on accounts and traffic in flight, not on history) and how long a restart takes
 * after a long run.
 */
public final class SoakBenchmark {

    /**
     * @param minutes          minutes under load (rows are printed once a minute)
     * @param banks            banks of the consortium
     * @param clients          client threads sharing the paced load
     * @param rate             transfers/s to send; 0: 70 % of the committed rate of {@code clients} closed-loop
     * @param calibrateSeconds seconds of the closed-loop measurement behind {@code rate = 0}
     * @param heapMb           each bank process's maximum heap ({@code -Xmx})
     * @param restartBank      the bank killed and restarted at the end
     */
    public record Options(int minutes, int banks, int clients, int rate, int calibrateSeconds, int heapMb,
                          String restartBank) {

        public Options {
            if (minutes < 1 || banks < 2 || banks > LaunchOptions.MAX_BANKS || clients < 1 || rate < 0
                    || calibrateSeconds < 1 || heapMb < 64) {
                throw new IllegalArgumentException("minutes, clients and calibrateSeconds must be positive, banks 2.."
                        + LaunchOptions.MAX_BANKS + ", rate 0 or more, heapMb at least 64");
            }
            if (restartBank == null || restartBank.isBlank()) {
                throw new IllegalArgumentException("restartBank is required");
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private int minutes = 30;
            private int banks = 4;
            private int clients = 64;
            private int rate;
            private int calibrateSeconds = 30;
            private int heapMb = 1024;
            private String restartBank = "b2";

            private Builder() {
            }

            public Builder minutes(int minutes) { this.minutes = minutes; return this; }
            public Builder banks(int banks) { this.banks = banks; return this; }
            public Builder clients(int clients) { this.clients = clients; return this; }
            public Builder rate(int rate) { this.rate = rate; return this; }
            public Builder calibrateSeconds(int seconds) { this.calibrateSeconds = seconds; return this; }
            public Builder heapMb(int heapMb) { this.heapMb = heapMb; return this; }
            public Builder restartBank(String id) { this.restartBank = id; return this; }

            public Options build() {
                return new Options(minutes, banks, clients, rate, calibrateSeconds, heapMb, restartBank);
            }
        }
    }

    /** One bank's figures at the end of a minute. */
    record Sample(String bank, long liveHeapBytes, long diskBytes, long logBytes, long snapshotPosition,
                  long delivered) {
    }

    /** What a run measured: the samples of every minute, and the restart's time to serve (ms). */
    public record Result(List<List<Sample>> minutes, long restartMs) {
    }

    private static final long MB = 1024 * 1024;

    public static Result run(PrintStream out, Options o) throws IOException, InterruptedException {
        return new SoakBenchmark().runAll(out, o);
    }

    private Result runAll(PrintStream out, Options o) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("distribank-bench-soak");
        BankBenchmark load = new BankBenchmark();
        LaunchOptions lo = LaunchOptions.builder().banks(o.banks()).dataDir(dir.resolve("data")).bcryptCost(4)
                .processes(true).javaOptions(List.of("-Xmx" + o.heapMb() + "m")).build();
        try (RunningConsortium c = ConsortiumLauncher.start(lo)) {
            List<BankBenchmark.Client> clients = load.setUp(c, o.clients(), false);
            int rate = o.rate();
            if (rate == 0) {
                double closedLoop = load.committedPerSecond(clients, o.calibrateSeconds());
                rate = Math.max(1, (int) Math.round(closedLoop * 0.7));
                out.printf(Locale.ROOT, "calibration: %d clients closed-loop committed %.0f/s; paced load: %d/s (70 %%)%n",
                        o.clients(), closedLoop, rate);
            }
            out.printf(Locale.ROOT, "soak: %d banks as processes (-Xmx%dm), %d clients sharing %d transfers/s for "
                    + "%d min; %d cores%n", o.banks(), o.heapMb(), o.clients(), rate, o.minutes(),
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "%6s %5s %13s %9s %8s %10s %10s %12s %9s %9s %7s%n", "minute", "bank",
                    "live heap MB", "disk MB", "log MB", "snapshot", "delivered", "committed/s", "p50 ms", "p99 ms",
                    "other");
            List<List<Sample>> minutes = new ArrayList<>();
            Pacer pacer = new Pacer(rate, o.clients(), load, clients);
            try {
                for (int m = 1; m <= o.minutes(); m++) {
                    Pacer.Minute figures = pacer.runFor(Duration.ofMinutes(1));
                    List<Sample> samples = new ArrayList<>();
                    for (RunningConsortium.BankInfo b : c.banks()) {
                        samples.add(sample(c, b));
                    }
                    minutes.add(samples);
                    for (Sample s : samples) {
                        out.printf(Locale.ROOT, "%6d %5s %13.1f %9.1f %8.1f %10s %10d %12.0f %9.1f %9.1f %7d%n", m,
                                s.bank(), s.liveHeapBytes() < 0 ? Double.NaN : s.liveHeapBytes() / (double) MB,
                                s.diskBytes() / (double) MB, s.logBytes() / (double) MB, s.snapshotPosition() < 0 ? "-" : Long.toString(
                                        s.snapshotPosition()), s.delivered(), figures.committedPerSecond(),
                                figures.p50Ms(), figures.p99Ms(), figures.other());
                    }
                    out.flush();
                }
            } finally {
                pacer.stop();
            }
            long restartMs = restart(c, o.restartBank());
            out.printf(Locale.ROOT, "restart: %s killed (SIGKILL) after %d min, serving again %.1f s after its start%n",
                    o.restartBank(), o.minutes(), restartMs / 1000.0);
            summary(out, minutes, restartMs);
            return new Result(minutes, restartMs);
        } finally {
            load.shutdown();
            BankBenchmark.deleteQuietly(dir);
        }
    }

    private static void summary(PrintStream out, List<List<Sample>> minutes, long restartMs) {
        List<Sample> base = minutes.get(Math.min(4, minutes.size() - 1)); // minute 5, or the last one if shorter
        List<Sample> last = minutes.get(minutes.size() - 1);
        int at = minutes.indexOf(base) + 1;
        out.printf(Locale.ROOT, "%5s %24s %24s %24s%n", "bank", "live heap: last / minute " + at,
                "log: last / minute " + at, "disk: last / minute " + at);
        for (int i = 0; i < last.size(); i++) {
            out.printf(Locale.ROOT, "%5s %24.2f %24.2f %24.2f%n", last.get(i).bank(),
                    ratio(last.get(i).liveHeapBytes(), base.get(i).liveHeapBytes()),
                    ratio(last.get(i).logBytes(), base.get(i).logBytes()),
                    ratio(last.get(i).diskBytes(), base.get(i).diskBytes()));
        }
        out.printf(Locale.ROOT, "restart to serving: %.1f s%n", restartMs / 1000.0);
    }

    private static double ratio(long a, long b) {
        return a < 0 || b <= 0 ? Double.NaN : a / (double) b;
    }

    private Sample sample(RunningConsortium c, RunningConsortium.BankInfo b) throws IOException {
        JsonObject view = c.consortiumView(b.id());
        long snapshot = -1;
        long delivered = -1;
        if (view != null) {
            delivered = view.has("delivered") ? view.get("delivered").getAsLong() : -1;
            if (view.has("snapshot") && view.get("snapshot").isJsonObject()
                    && view.getAsJsonObject("snapshot").has("position")) {
                snapshot = view.getAsJsonObject("snapshot").get("position").getAsLong();
            }
        }
        Path dir = dataDir(b);
        return new Sample(b.id(), b.pid() == null ? -1 : liveHeap(b.pid()), diskBytes(dir), logBytes(dir), snapshot,
                delivered);
    }

    /** Live heap after a full GC: jcmd's class histogram collects first and ends with a "Total" line of bytes. */
    static long liveHeap(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return histogramTotalBytes(text);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The bytes column of a class histogram's {@code Total} line, or -1. */
    static long histogramTotalBytes(String histogram) {
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("Total")) {
                return Long.parseLong(f[2]);
            }
        }
        return -1;
    }

    private static Path dataDir(RunningConsortium.BankInfo b) throws IOException {
        JsonObject config = JsonParser.parseString(Files.readString(b.config())).getAsJsonObject();
        Path d = Path.of(config.get("dataDir").getAsString());
        return d.isAbsolute() ? d : b.config().getParent().resolve(d).normalize();
    }

    static long diskBytes(Path dir) throws IOException {
        return bytesOf(dir, name -> true);
    }

    /** The protocol log's segment files alone (what truncation keeps flat). */
    static long logBytes(Path dir) throws IOException {
        return bytesOf(dir, name -> name.endsWith(".seg"));
    }

    /** Bytes of the files under {@code dir} whose names pass; a file the bank renames or deletes meanwhile is skipped. */
    private static long bytesOf(Path dir, java.util.function.Predicate<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && names.test(file.getFileName().toString())) {
                    total[0] += attrs.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // gone between the listing and the look
            }
        });
        return total[0];
    }

    /** SIGKILL, start again, and the ms from the start until the bank says UP and signs a customer in. */
    private long restart(RunningConsortium c, String id) throws IOException, InterruptedException {
        c.killBank(id);
        long t0 = System.nanoTime();
        c.restartBank(id);
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (c.bankUp(id)) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(50); // polling a starting process; the deadline bounds the wait
        }
        throw new IOException(id + " did not serve within 5 minutes of its restart");
    }

    /**
     * A steady open-loop load: the clients' threads take send times from one schedule of {@code rate} per second
     * and send when theirs comes; a schedule that falls more than a second behind (the banks are slower than the
     * rate) starts again from now rather than bursting to catch up.
     */
    private static final class Pacer {
        record Minute(double committedPerSecond, double p50Ms, double p99Ms, long other) {
        }

        private final long intervalNanos;
        private final AtomicLong next = new AtomicLong(System.nanoTime());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool;
        private volatile ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicLong other = new AtomicLong();

        Pacer(int rate, int threads, BankBenchmark load, List<BankBenchmark.Client> clients) {
            this.intervalNanos = 1_000_000_000L / rate;
            this.pool = Executors.newFixedThreadPool(threads);
            for (int i = 0; i < threads; i++) {
                BankBenchmark.Client cl = clients.get(i % clients.size());
                pool.submit(() -> {
                    while (running.get()) {
                        long slot = next.getAndAdd(intervalNanos);
                        long now = System.nanoTime();
                        if (slot < now - 1_000_000_000L) {
                            next.set(now); // more than a second behind: drop the backlog of send times
                            continue;
                        }
                        if (slot > now) {
                            LockSupport.parkNanos(slot - now); // waiting for this send's time on the schedule
                        }
                        long s = System.nanoTime();
                        BankBenchmark.Result r = load.transfer(cl);
                        if (r == BankBenchmark.Result.COMMITTED) {
                            latencies.add(System.nanoTime() - s);
                        } else {
                            other.incrementAndGet();
                        }
                    }
                });
            }
        }

        /** Lets the load run for {@code d}, then returns its figures for that span. */
        Minute runFor(Duration d) throws InterruptedException {
            long t0 = System.nanoTime();
            Thread.sleep(d.toMillis()); // the measured span itself, not a wait for another thread
            ConcurrentLinkedQueue<Long> done = latencies;
            latencies = new ConcurrentLinkedQueue<>();
            long others = other.getAndSet(0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] sorted = done.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Minute(sorted.length / seconds, BankBenchmark.pct(sorted, 0.50) / 1e6,
                    BankBenchmark.pct(sorted, 0.99) / 1e6, others);
        }

        void stop() throws InterruptedException {
            running.set(false);
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
    }
}
