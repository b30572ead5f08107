package org.distribank.consortium.bench;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.distribank.consortium.Consortium;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.node.NodeImpl;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.sample.CounterStateMachine;
import org.distribank.consortium.storage.SegmentLog;

/**
 * Throughput and latency of the ordering protocol: N peers in this JVM, each with its own
 * Javalin on loopback and its own durable log (fsync on), the sample counter machine, and S
 * closed-loop submitters spread over the peers. Latency is submit → decided at the origin (with
 * the origin as the only voter that is delivery plus a local vote). Messages per operation counts
 * multicast messages (each goes to N-1 peers) of all peers during the measured window.
 */
public final class ProtocolBenchmark {

    /**
     * What to run: an immutable, validated record; {@link #builder()} has the defaults.
     *
     * @param peerCounts        consortium sizes, one block of rows each
     * @param submitterCounts   closed-loop submitters per row
     * @param warmupMs          unmeasured time at the start of each row
     * @param measureMs         measured time of each row
     * @param fsync             fsync the logs (off: not durable, for comparison only)
     * @param batchWindowMicros {@link NodeOptions#batchWindowMicros()} of every node
     * @param jitWarmupMs       an unreported warm-up row at the start (JIT); 0: none
     * @param maxFramesInFlight {@link NodeOptions#maxFramesInFlight()} of every node
     * @param transport         {@link NodeOptions#transport()} of every node
     */
    public record Options(List<Integer> peerCounts, List<Integer> submitterCounts, long warmupMs, long measureMs,
                          boolean fsync, long batchWindowMicros, long jitWarmupMs, int maxFramesInFlight,
                          TransportKind transport) {

        public Options {
            peerCounts = List.copyOf(peerCounts);
            submitterCounts = List.copyOf(submitterCounts);
            if (peerCounts.isEmpty() || peerCounts.stream().anyMatch(n -> n < 2)) {
                throw new IllegalArgumentException("peer counts must be 2 or more, got " + peerCounts);
            }
            if (submitterCounts.isEmpty() || submitterCounts.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("submitter counts must be 1 or more, got " + submitterCounts);
            }
            if (warmupMs < 0 || jitWarmupMs < 0) {
                throw new IllegalArgumentException("warm-up times must be 0 or more");
            }
            if (measureMs <= 0) {
                throw new IllegalArgumentException("measureMs must be positive, got " + measureMs);
            }
            if (batchWindowMicros < 0 || maxFramesInFlight < 1) {
                throw new IllegalArgumentException("batchWindowMicros must be 0 or more and maxFramesInFlight"
                        + " positive");
            }
            transport = transport == null ? NodeOptions.DEFAULT_TRANSPORT : transport;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** These options, measuring {@code ms} each row without a warm-up (the JIT warm-up row). */
        Options warmupRow(long ms) {
            return new Options(peerCounts, submitterCounts, 0, ms, fsync, batchWindowMicros, 0, maxFramesInFlight,
                    transport);
        }

        public static final class Builder {
            private List<Integer> peerCounts = List.of(3, 4, 8);
            private List<Integer> submitterCounts = List.of(1, 64);
            private long warmupMs = 2_000;
            private long measureMs = 4_000;
            private boolean fsync = true;
            private long batchWindowMicros = NodeOptions.DEFAULT_BATCH_WINDOW_MICROS;
            private long jitWarmupMs = 5_000;
            private int maxFramesInFlight = NodeOptions.DEFAULT_MAX_FRAMES_IN_FLIGHT;
            private TransportKind transport = NodeOptions.DEFAULT_TRANSPORT;

            private Builder() {
            }

            public Builder peerCounts(List<Integer> counts) { this.peerCounts = counts; return this; }
            public Builder submitterCounts(List<Integer> counts) { this.submitterCounts = counts; return this; }
            public Builder warmupMs(long ms) { this.warmupMs = ms; return this; }
            public Builder measureMs(long ms) { this.measureMs = ms; return this; }
            public Builder fsync(boolean fsync) { this.fsync = fsync; return this; }
            public Builder batchWindowMicros(long micros) { this.batchWindowMicros = micros; return this; }
            public Builder jitWarmupMs(long ms) { this.jitWarmupMs = ms; return this; }
            public Builder maxFramesInFlight(int n) { this.maxFramesInFlight = n; return this; }
            public Builder transport(TransportKind transport) { this.transport = transport; return this; }

            public Options build() {
                return new Options(peerCounts, submitterCounts, warmupMs, measureMs, fsync, batchWindowMicros,
                        jitWarmupMs, maxFramesInFlight, transport);
            }
        }
    }

    /** One row of the table. */
    public record Row(int peers, int submitters, long ops, double opsPerSecond, double p50Ms, double p99Ms,
                      double messagesPerOp, double requestsPerOp, double ackFramesPerOp, double fsyncMs, double syncsPerOp, double cpuMicrosPerOp,
                      double appMicrosPerOp) {
    }

    private final Options options;

    public ProtocolBenchmark(Options options) {
        this.options = options;
    }

    public List<Row> run(PrintStream out) {
        out.printf("Protocol benchmark: peers in one JVM on loopback, links over %s, fsync %s, %d s per row%n",
                options.transport() == TransportKind.HTTP ? "HTTP (a POST per batch)" : "WebSocket (a frame per batch)",
                options.fsync() ? "on" : "off", options.measureMs() / 1000);
        out.printf("%5s %10s %10s %8s %8s %8s %8s %11s %8s %9s %9s %10s %10s%n", "peers", "submitters", "ops/s", "p50 ms",
                "p99 ms", "ops", "msgs/op", "link req/op", "acks/op", "fsync ms", "fsyncs/op", "cpu µs/op",
                "app µs/op");
        if (options.jitWarmupMs() > 0) {
            // one unreported row first, so the first reported row does not pay for a cold JIT;
            // at the largest peer count: its code paths (and their JIT) are the busiest
            runRow(options.warmupRow(options.jitWarmupMs()),
                    options.peerCounts().stream().mapToInt(Integer::intValue).max().orElse(4), 64);
        }
        List<Row> rows = new ArrayList<>();
        for (int n : options.peerCounts()) {
            for (int s : options.submitterCounts()) {
                Row r = runRow(options, n, s);
                rows.add(r);
                out.printf("%5d %10d %10.0f %8.2f %8.2f %8d %8.2f %11.2f %8.2f %9.2f %9.2f %10.0f %10.0f%n", r.peers(), r.submitters(),
                        r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.ops(), r.messagesPerOp(), r.requestsPerOp(), r.ackFramesPerOp(),
                        r.fsyncMs(), r.syncsPerOp(), r.cpuMicrosPerOp(),
                        r.appMicrosPerOp());
                out.flush();
            }
        }
        out.println("msgs/op: multicast messages (OP, ACK, VOTE) sent by all peers per ordered operation;"
                + " each reaches N-1 peers. link req/op: link batches (HTTP requests or WebSocket frames) per"
                + " operation, all links. acks/op: separate WebSocket ack frames per operation (an ack riding on a data"
                + " frame the other way costs none).");
        out.println("latency: submit -> decided at the origin. fsync ms: mean duration of one group-commit fsync;"
                + " fsyncs/op: group commits of all peers per operation.");
        out.println("cpu µs/op: CPU time of the whole process (all peers, submitters, GC) during the measured"
                + " window per ordered operation; steadier than ops/s on a shared machine. app µs/op: the same"
                + " for Java threads only (no JIT compiler, no GC threads), steadier still on a busy machine.");
        return rows;
    }

    private Row runRow(Options options, int n, int submitters) {
        Path base;
        try {
            base = Files.createTempDirectory("protocol-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> urls = new ConcurrentHashMap<>();
        List<NodeImpl> nodes = new ArrayList<>();
        List<Javalin> servers = new ArrayList<>();
        try {
            List<PeerInfo> peers = new ArrayList<>();
            Map<String, String> privateKeys = new HashMap<>();
            for (int i = 1; i <= n; i++) {
                KeyPair k = PeerKeys.generate(); // each peer its own key, as in production
                privateKeys.put("b" + i, PeerKeys.encode(k.getPrivate()));
                peers.add(new PeerInfo("b" + i, "Bank " + i, "http://127.0.0.1/b" + i, PeerKeys.encode(k.getPublic())));
            }
            for (PeerInfo p : peers) {
                NodeOptions o = NodeOptions.builder()
                        .selfId(p.id())
                        .peers(peers)
                        .dataDir(base.resolve(p.id()))
                        .privateKey(privateKeys.get(p.id()))
                        .fsync(options.fsync())
                        .eventLogCapacity(0)
                        .batchWindowMicros(options.batchWindowMicros())
                        .transport(options.transport())
                        .maxFramesInFlight(options.maxFramesInFlight())
                        .build()
                        .withOwnIdentity();
                NodeImpl node = new NodeImpl(o, new CounterStateMachine(p.id()),
                        Consortium.transport(o.transport(), urls::get, o.signer()));
                Javalin web = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    ConsortiumRoutes.register(cfg, node);
                }).start("127.0.0.1", 0);
                urls.put(p.id(), "http://127.0.0.1:" + web.port());
                nodes.add(node);
                servers.add(web);
            }
            nodes.forEach(NodeImpl::start);
            return measure(options, nodes, submitters);
        } finally {
            // nodes first: a waiting peer request is answered while its server still runs (completing
            // one after the server stopped sends Javalin 7 into a loop of errors on a recycled request)
            nodes.forEach(NodeImpl::close);
            servers.forEach(Javalin::stop);
            deleteQuietly(base);
        }
    }

    private Row measure(Options options, List<NodeImpl> nodes, int submitters) {
        AtomicLong seq = new AtomicLong();
        long[][] latencies = new long[submitters][];
        int[] counts = new int[submitters];
        long warmEnd = System.nanoTime() + options.warmupMs() * 1_000_000L;
        long end = warmEnd + options.measureMs() * 1_000_000L;
        long[] syncAtStart = new long[2];
        long[] msgsAtStart = new long[1];
        long[] reqsAtStart = new long[1];
        long[] acksAtStart = new long[1];
        long[] cpuAtStart = new long[2];
        Thread[] threads = new Thread[submitters];
        Object startMark = new Object();
        boolean[] marked = {false}; // read racily outside the lock: only an optimisation
        for (int t = 0; t < submitters; t++) {
            int me = t;
            latencies[t] = new long[1 << 16];
            threads[t] = new Thread(() -> {
                NodeImpl origin = nodes.get(me % nodes.size());
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        return;
                    }
                    if (now >= warmEnd && !marked[0]) {
                        synchronized (startMark) {
                            if (!marked[0]) {
                                marked[0] = true;
                                cpuAtStart[0] = processCpuNanos();
                                cpuAtStart[1] = javaThreadsCpuNanos();
                                msgsAtStart[0] = nodes.stream().mapToLong(NodeImpl::messagesSent).sum();
                                reqsAtStart[0] = nodes.stream().mapToLong(NodeImpl::requestsSent).sum();
                                acksAtStart[0] = ConsortiumRoutes.ackFramesSent();
                                long[] st = SegmentLog.syncStats();
                                syncAtStart[0] = st[0];
                                syncAtStart[1] = st[1];
                            }
                        }
                    }
                    String id = "op-" + seq.incrementAndGet();
                    try {
                        origin.submit(id, CounterStateMachine.payload("k" + me, 1)).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("operation " + id + " failed", e);
                    }
                    long took = System.nanoTime() - now;
                    if (now >= warmEnd) {
                        if (counts[me] == latencies[me].length) {
                            latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                        }
                        latencies[me][counts[me]++] = took;
                    }
                }
            }, "bench-submitter-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long cpu = processCpuNanos() - cpuAtStart[0];
        long app = javaThreadsCpuNanos() - cpuAtStart[1];
        long msgs = nodes.stream().mapToLong(NodeImpl::messagesSent).sum() - msgsAtStart[0];
        long reqs = nodes.stream().mapToLong(NodeImpl::requestsSent).sum() - reqsAtStart[0];
        long ackFrames = ConsortiumRoutes.ackFramesSent() - acksAtStart[0];
        long[] st = SegmentLog.syncStats();
        double fsyncMs = st[0] == syncAtStart[0] ? 0 : (st[1] - syncAtStart[1]) / 1e6 / (st[0] - syncAtStart[0]);
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < submitters; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[(int) Math.min(total - 1, total * 0.50)] / 1e6;
        double p99 = total == 0 ? 0 : all[(int) Math.min(total - 1, total * 0.99)] / 1e6;
        return new Row(nodes.size(), submitters, total, total * 1000.0 / options.measureMs(), p50, p99,
                total == 0 ? 0 : (double) msgs / total, total == 0 ? 0 : (double) reqs / total,
                total == 0 ? 0 : (double) ackFrames / total, fsyncMs,
                total == 0 ? 0 : (double) (st[0] - syncAtStart[0]) / total, total == 0 ? 0 : cpu / 1e3 / total,
                total == 0 ? 0 : app / 1e3 / total);
    }

    /**
     * CPU time of all live Java threads plus that of the threads that ended since the last call
     * (a thread's time is lost when it ends: link and connection threads come and go per row).
     */
    private long javaThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        Map<Long, Long> now = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                now.put(id, t);
                sum += t;
            }
        }
        for (Map.Entry<Long, Long> e : lastThreadCpu.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                endedThreadsCpu += e.getValue();
            }
        }
        lastThreadCpu = now;
        return sum + endedThreadsCpu;
    }

    private Map<Long, Long> lastThreadCpu = new HashMap<>();
    private long endedThreadsCpu;

    /** CPU time of this whole process (every thread), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void deleteQuietly(Path base) {
        try (Stream<Path> s = Files.walk(base)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
