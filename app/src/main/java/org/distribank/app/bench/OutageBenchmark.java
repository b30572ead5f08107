package org.distribank.app.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;

/**
 * {@code ./distribank bench outage}: what the consortium does while one bank is down. Banks as processes, one
 * funded account per client, closed-loop clients paying 1 cent over every ordered pair of banks (client {@code i}
 * on pair {@code i mod pairs}, so some pay to or from the bank that goes down and the others do not), through three
 * phases: before (no fault), down ({@code kill -9} or SIGSTOP of one bank), after (restarted or resumed). Prints per
 * phase and per kind of transfer (touching the down bank or not) the committed rate, latency and answers by kind;
 * then the pause from the fault to the first commit not touching the down bank, the time from the restart to the
 * first commit touching it, and an audit once every bank is back. The figure issue 15 (views) is judged by: today
 * the whole consortium stops while one bank is down.
 */
public final class OutageBenchmark {

    /** How the bank goes down. */
    public enum Fault {
        /** {@code kill -9}, then started again on its data. */
        KILL,
        /** SIGSTOP, then SIGCONT: a bank that holds its connections open and answers nothing. */
        PAUSE
    }

    /**
     * Options of a run: an immutable, validated record; {@link #builder()} has the command's defaults.
     *
     * @param banks         banks of the consortium (3.. : two must remain)
     * @param clients       closed-loop clients
     * @param secondsBefore seconds without a fault
     * @param secondsDown   seconds the bank is down
     * @param secondsAfter  seconds of load once a transfer of each kind sent after the restart or resume has
     *                      committed (waited for at most {@link #AFTER_LIMIT})
     * @param fault         kill or pause
     * @param down          the bank that goes down
     * @param views         view changes on in every bank (issue 15): the others vote the down bank out and go on
     */
    public record Options(int banks, int clients, int secondsBefore, int secondsDown, int secondsAfter, Fault fault,
                          String down, boolean views) {

        public Options {
            if (banks < 3 || banks > LaunchOptions.MAX_BANKS) {
                throw new IllegalArgumentException("banks must be 3.." + LaunchOptions.MAX_BANKS + " (one goes down, "
                        + "transfers cross the others), got " + banks);
            }
            if (clients < 1 || secondsBefore < 1 || secondsDown < 1 || secondsAfter < 1) {
                throw new IllegalArgumentException("clients and every phase's seconds must be 1 or more");
            }
            if (fault == null) {
                throw new IllegalArgumentException("fault is required");
            }
            if (down == null || !down.matches("b[1-9][0-9]*") || Integer.parseInt(down.substring(1)) > banks) {
                throw new IllegalArgumentException("down must be one of b1..b" + banks + ", got " + down);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private int banks = 4;
            private int clients = 32;
            private int secondsBefore = 15;
            private int secondsDown = 20;
            private int secondsAfter = 15;
            private Fault fault = Fault.KILL;
            private String down = "b4";
            private boolean views;

            private Builder() {
            }

            public Builder banks(int banks) { this.banks = banks; return this; }
            public Builder clients(int clients) { this.clients = clients; return this; }
            public Builder secondsBefore(int seconds) { this.secondsBefore = seconds; return this; }
            public Builder secondsDown(int seconds) { this.secondsDown = seconds; return this; }
            public Builder secondsAfter(int seconds) { this.secondsAfter = seconds; return this; }
            public Builder fault(Fault fault) { this.fault = fault; return this; }
            public Builder down(String down) { this.down = down; return this; }
            public Builder views(boolean on) { this.views = on; return this; }

            public Options build() {
                return new Options(banks, clients, secondsBefore, secondsDown, secondsAfter, fault, down, views);
            }
        }
    }

    public enum Phase { BEFORE, DOWN, AFTER }

    /** One transfer a client sent: whether it touches the down bank, when (ms from the start) and how it ended. */
    public record Sample(boolean touching, double sentMs, double answeredMs, BankBenchmark.Result result) {
    }

    /** One row of the table: the answers of one kind of transfer that arrived during one phase. */
    public record Row(Phase phase, boolean touching, double seconds, double committedPerSecond, double p50Ms,
                      double p99Ms, Map<BankBenchmark.Result, Long> answers) {
    }

    /**
     * What a run measured. Times are ms from the start of the load. {@code detectedMs} is when a survivor's operator
     * view first showed the down bank offline or outside the view (empty if none did while it was down); the
     * {@code first...} figures are ms from the fault or the restart, of transfers sent after it.
     */
    public record Report(List<Row> rows, List<Sample> samples, double faultMs, Optional<Double> detectedMs,
                         String detectedBy, double recoveredMs, Optional<Double> firstCommitNotTouchingMs,
                         Optional<Double> firstCommitTouchingAfterMs, long deposited, Optional<Long> audited) {

        /** Whether the audit after the run found exactly the money deposited. */
        public boolean addsUp() {
            return audited.isPresent() && audited.get() == deposited;
        }
    }

    /** The longest wait for commits after the restart: a bank not committing by then is reported, not waited for. */
    static final Duration AFTER_LIMIT = Duration.ofMinutes(2);
    /** The bound of each client call: past the bank's answer wait (5 s, then 202) with room to spare. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A customer's app that hears a refusal or nothing waits this long before the next transfer. Without it the
     * clients refused at once (503) would spin and take the CPU from the transfers that could commit.
     */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long POLL_MS = 100;

    private final BankBenchmark http = new BankBenchmark(CALL_TIMEOUT);
    private final ConcurrentLinkedQueue<TimedSample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Set at the restart/resume: a commit of each kind sent after it counts the latch down once. */
    private volatile long recoveredAt = Long.MAX_VALUE;
    private final AtomicBoolean[] committedAfterRecovery = {new AtomicBoolean(), new AtomicBoolean()};
    private CountDownLatch everyKindCommittedAgain;

    private record TimedSample(boolean touching, long sent, long answered, BankBenchmark.Result result) {
    }

    private record Load(BankBenchmark.Client client, boolean touching) {
    }

    public static Report run(PrintStream out, Options o) throws IOException, InterruptedException {
        return new OutageBenchmark().runAll(out, o);
    }

    private Report runAll(PrintStream out, Options o) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("distribank-bench-outage");
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        // banks as processes start slowly on a machine others load too: a longer bound than the launcher's 90 s
        LaunchOptions lo = LaunchOptions.builder().banks(o.banks()).dataDir(dir.resolve("data")).bcryptCost(4)
                .processes(true).readyTimeout(Duration.ofMinutes(3)).views(o.views()).build();
        RunningConsortium c;
        try {
            c = ConsortiumLauncher.start(lo); // stops what it started when it fails
        } catch (IOException | RuntimeException e) {
            BankBenchmark.deleteQuietly(dir);
            throw e;
        }
        // Ctrl-C: the JVM runs its hooks, not the finally below; a paused bank would outlive us (close() resumes it)
        Thread cleanup = new Thread(() -> {
            c.close();
            BankBenchmark.deleteQuietly(dir);
        }, "bench-outage-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<Load> loads = setUp(c, o);
            out.printf(Locale.ROOT, "outage benchmark: %d banks as processes, one shared data server, fsync on; %d "
                            + "closed-loop clients paying 1 cent over every ordered pair of banks (%d touching %s); "
                            + "%s down (%s) after %d s for %d s, then back until %d s after both kinds commit again; %d cores, load average %.2f%n",
                    o.banks(), o.clients(), loads.stream().filter(Load::touching).count(), o.down(), o.down(),
                    o.fault() == Fault.KILL ? "kill -9, then started again" : "SIGSTOP, then SIGCONT",
                    o.secondsBefore(), o.secondsDown(), o.secondsAfter(), Runtime.getRuntime().availableProcessors(),
                    load);
            out.flush();
            Report report = measure(c, loads, o);
            print(out, report, o);
            return report;
        } finally {
            running.set(false);
            http.shutdown();
            c.close();
            BankBenchmark.deleteQuietly(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (close() is idempotent)
            }
        }
    }

    /**
     * Every ordered pair of banks, by distance first (b1→b2, b2→b3, ..., then b1→b3, ...), so that a few clients
     * already cover every bank as payer and payee; client {@code i} pays on pair {@code i mod pairs}.
     */
    private List<Load> setUp(RunningConsortium c, Options o) throws IOException, InterruptedException {
        List<RunningConsortium.BankInfo> banks = c.banks();
        List<String> sinks = http.sinks(banks);
        List<int[]> pairs = new ArrayList<>();
        for (int d = 1; d < banks.size(); d++) {
            for (int from = 0; from < banks.size(); from++) {
                pairs.add(new int[] {from, (from + d) % banks.size()});
            }
        }
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
            int[] p = pairs.get(i % pairs.size());
            RunningConsortium.BankInfo from = banks.get(p[0]);
            RunningConsortium.BankInfo to = banks.get(p[1]);
            loads.add(new Load(http.payingFrom(from, i, to, sinks.get(p[1])),
                    from.id().equals(o.down()) || to.id().equals(o.down())));
        }
        return loads;
    }

    private Report measure(RunningConsortium c, List<Load> loads, Options o) throws IOException,
            InterruptedException {
        everyKindCommittedAgain = new CountDownLatch((int) loads.stream().map(Load::touching).distinct().count());
        ExecutorService pool = Executors.newFixedThreadPool(loads.size());
        long start = System.nanoTime();
        long fault;
        long recovered;
        long end;
        long detected = -1;
        String detectedBy = null;
        try {
            for (Load l : loads) {
                pool.submit(() -> client(l));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.secondsBefore())); // the measured span itself
            if (o.fault() == Fault.KILL) {
                c.killBank(o.down()); // returns once the process is gone
            } else {
                c.pauseBank(o.down()); // returns once kill -STOP has exited
            }
            fault = System.nanoTime();
            long downUntil = fault + TimeUnit.SECONDS.toNanos(o.secondsDown());
            while (System.nanoTime() < downUntil) {
                if (detected < 0) {
                    detectedBy = detectedBy(c, o.down());
                    if (detectedBy != null) {
                        detected = System.nanoTime();
                    }
                }
                long left = downUntil - System.nanoTime();
                if (left > 0) {
                    // between looks at the survivors' views; the phase's end bounds it
                    Thread.sleep(Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                }
            }
            // taken before the restart: nothing answered before this moment can have involved the bank again
            recovered = System.nanoTime();
            recoveredAt = recovered;
            if (o.fault() == Fault.KILL) {
                c.restartBank(o.down());
            } else {
                c.resumeBank(o.down());
            }
            // the phase measures the consortium back at work: secondsAfter once both kinds commit again
            everyKindCommittedAgain.await(AFTER_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.secondsAfter())); // the measured span itself
            end = System.nanoTime();
        } finally {
            running.set(false);
            pool.shutdown();
            // every client call is bounded by CALL_TIMEOUT (and one sign-in again): they end by then
            if (!pool.awaitTermination(3 * CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        long deposited = BankBenchmark.FUNDING * loads.size();
        Optional<Long> audited = audit(c);
        return report(start, fault, detected, detectedBy, recovered, end, deposited, audited);
    }

    /** One closed-loop client: transfer after transfer until the run ends, each answer kept with its times. */
    private void client(Load l) {
        while (running.get()) {
            long sent = System.nanoTime();
            BankBenchmark.Result r = http.transfer(l.client());
            long answered = System.nanoTime();
            samples.add(new TimedSample(l.touching(), sent, answered, r));
            if (r == BankBenchmark.Result.COMMITTED && sent >= recoveredAt
                    && committedAfterRecovery[l.touching() ? 1 : 0].compareAndSet(false, true)) {
                everyKindCommittedAgain.countDown();
            }
            if (r == BankBenchmark.Result.OFFLINE || r == BankBenchmark.Result.OTHER) {
                LockSupport.parkNanos(RETRY_PAUSE_NANOS); // a customer's app pausing before it tries again
            }
        }
    }

    /**
     * The first survivor whose operator view shows {@code down} offline (today's failure detector) or outside its
     * view's members (with views), or null.
     */
    private static String detectedBy(RunningConsortium c, String down) {
        for (RunningConsortium.BankInfo b : c.banks()) {
            if (b.id().equals(down)) {
                continue;
            }
            JsonObject v = c.consortiumView(b.id());
            if (v == null) {
                continue;
            }
            if (v.has("peers")) {
                for (JsonElement e : v.getAsJsonArray("peers")) {
                    JsonObject p = e.getAsJsonObject();
                    if (down.equals(p.get("id").getAsString()) && p.has("online") && !p.get("online").getAsBoolean()) {
                        return b.id();
                    }
                }
            }
            if (v.has("view") && v.get("view").isJsonObject() && v.getAsJsonObject("view").has("members")) {
                boolean member = false;
                for (JsonElement m : v.getAsJsonObject("view").getAsJsonArray("members")) {
                    member |= down.equals(m.getAsString());
                }
                if (!member) {
                    return b.id();
                }
            }
        }
        return null;
    }

    /**
     * Once every bank is back (its view shows every other online), an audit through the first bank's operator API:
     * its total, or empty when no audit answered within the bounds.
     */
    private Optional<Long> audit(RunningConsortium c) throws InterruptedException {
        try {
            c.awaitReady(Duration.ofMinutes(2));
        } catch (IOException e) {
            return Optional.empty();
        }
        RunningConsortium.BankInfo b = c.banks().get(0);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            try {
                BankBenchmark.Answer a = http.post(b.url() + "/api/v1/audits", c.operatorToken(b.id()), "{}");
                if (a.status() == 200 && a.json().has("total")) {
                    return Optional.of(a.json().get("total").getAsLong());
                }
            } catch (IOException e) {
                // not answered within the call's bound: try again until the deadline
            }
            Thread.sleep(500); // between attempts of an audit refused while a bank catches up; the deadline bounds it
        }
        return Optional.empty();
    }

    private Report report(long start, long fault, long detected, String detectedBy, long recovered, long end,
                          long deposited, Optional<Long> audited) {
        List<TimedSample> all = new ArrayList<>(samples);
        long[] bounds = {start, fault, recovered, end};
        List<Row> rows = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (boolean touching : new boolean[] {true, false}) {
                long from = bounds[phase.ordinal()];
                long to = bounds[phase.ordinal() + 1];
                Map<BankBenchmark.Result, Long> answers = new EnumMap<>(BankBenchmark.Result.class);
                for (BankBenchmark.Result r : BankBenchmark.Result.values()) {
                    answers.put(r, 0L);
                }
                List<Long> latencies = new ArrayList<>();
                for (TimedSample s : all) {
                    if (s.touching() == touching && s.answered() >= from && s.answered() < to) {
                        answers.merge(s.result(), 1L, Long::sum);
                        if (s.result() == BankBenchmark.Result.COMMITTED) {
                            latencies.add(s.answered() - s.sent());
                        }
                    }
                }
                Collections.sort(latencies);
                long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
                double seconds = (to - from) / 1e9;
                rows.add(new Row(phase, touching, seconds, sorted.length / seconds,
                        BankBenchmark.pct(sorted, 0.50) / 1e6, BankBenchmark.pct(sorted, 0.99) / 1e6, answers));
            }
        }
        List<Sample> out = all.stream().map(s -> new Sample(s.touching(), ms(s.sent(), start), ms(s.answered(), start),
                s.result())).toList();
        return new Report(rows, out, ms(fault, start), detected < 0 ? Optional.empty() : Optional.of(ms(detected, start)),
                detectedBy, ms(recovered, start), firstCommit(all, false, fault, recovered),
                firstCommit(all, true, recovered, end), deposited, audited);
    }

    /** ms from {@code after} to the first COMMITTED answer of a transfer of that kind sent at or after it. */
    private static Optional<Double> firstCommit(List<TimedSample> all, boolean touching, long after, long until) {
        return all.stream().filter(s -> s.touching() == touching && s.sent() >= after && s.answered() < until
                        && s.result() == BankBenchmark.Result.COMMITTED)
                .map(s -> ms(s.answered(), after)).min(Double::compare);
    }

    private static double ms(long t, long from) {
        return (t - from) / 1e6;
    }

    private static void print(PrintStream out, Report r, Options o) {
        out.printf(Locale.ROOT, "%-7s %-18s %8s %12s %9s %9s %10s %8s %17s %12s %7s%n", "phase", "transfers",
                "seconds", "committed/s", "p50 ms", "p99 ms", "COMMITTED", "ABORTED", "503 BANK_OFFLINE",
                "202 PENDING", "other");
        for (Row row : r.rows()) {
            Map<BankBenchmark.Result, Long> a = row.answers();
            out.printf(Locale.ROOT, "%-7s %-18s %8.1f %12.1f %9.1f %9.1f %10d %8d %17d %12d %7d%n",
                    row.phase().name().toLowerCase(Locale.ROOT),
                    (row.touching() ? "touching " : "not touching ") + o.down(), row.seconds(),
                    row.committedPerSecond(), row.p50Ms(), row.p99Ms(), a.get(BankBenchmark.Result.COMMITTED),
                    a.get(BankBenchmark.Result.ABORTED), a.get(BankBenchmark.Result.OFFLINE),
                    a.get(BankBenchmark.Result.PENDING), a.get(BankBenchmark.Result.OTHER));
        }
        String restart = o.fault() == Fault.KILL ? "restart" : "resume";
        out.printf(Locale.ROOT, "views: %s%n", o.views() ? "on (a bank down is voted out; the others go on)"
                : "off (a bank down stops every new operation: the behaviour before issue 15)");
        out.printf(Locale.ROOT, "fault: %s %s at %.1f s; %s%n", o.down(),
                o.fault() == Fault.KILL ? "killed (SIGKILL)" : "paused (SIGSTOP)", r.faultMs() / 1000,
                r.detectedMs().map(d -> String.format(Locale.ROOT, "seen offline by %s %.1f s after it", r.detectedBy(),
                        (d - r.faultMs()) / 1000)).orElse("no survivor saw it offline while it was down"));
        out.printf(Locale.ROOT, "pause from the fault to the first commit not touching %s (sent after the fault): %s%n",
                o.down(), r.firstCommitNotTouchingMs().map(OutageBenchmark::seconds)
                        .orElse(String.format(Locale.ROOT, "none in %.1f s", (r.recoveredMs() - r.faultMs()) / 1000)));
        double afterSeconds = r.rows().get(r.rows().size() - 1).seconds();
        out.printf(Locale.ROOT, "from the %s to the first commit touching %s (sent after the %s): %s%n", restart,
                o.down(), restart, r.firstCommitTouchingAfterMs().map(OutageBenchmark::seconds)
                        .orElse(String.format(Locale.ROOT, "none in %.1f s", afterSeconds)));
        out.printf(Locale.ROOT, "audit (every bank back): %s%n", r.audited()
                .map(t -> String.format(Locale.ROOT, "total %,d cents, deposited %,d: %s", t, r.deposited(),
                        t == r.deposited() ? "adds up" : "DOES NOT ADD UP"))
                .orElse("no answer (a bank did not come back, or every audit was refused)"));
        out.flush();
    }

    private static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
