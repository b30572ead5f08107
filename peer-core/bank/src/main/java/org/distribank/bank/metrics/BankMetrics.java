package org.distribank.bank.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.execution.Applier;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.DecidedOperation;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.bank.ledger.RoundTripObserver;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bank's metrics, served as Prometheus text at {@code GET /metrics} (API.md) behind the operator token. It only
 * reads what the bank's parts already expose and listens to decisions ({@link BankMachine#onDecided}) and protocol
 * events: no other class counts anything for it. The names (Prometheus forms) are in peer-core/BANK.md
 * ("Metrics"); packaging/grafana/distribank.json charts them.
 */
public final class BankMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BankMetrics.class);
    public static final String PATH = "/metrics";
    /** Own operations whose decision is awaited, for the latency timer: bounded, and forgotten after an hour. */
    private static final int MAX_TIMED = 100_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String self;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Counter ordered;
    private final Counter committed;
    private final Counter aborted;
    private final Timer committedLatency;
    private final Timer abortedLatency;
    private final Cache<String, Long> sentAt = Caffeine.newBuilder().maximumSize(MAX_TIMED)
            .expireAfterWrite(Duration.ofHours(1)).build();

    private BankMetrics(String self) {
        this.self = self;
        registry.config().commonTags("bank", self);
        ordered = Counter.builder("distribank.operations.ordered")
                .description("Operations delivered in the total order at this bank").register(registry);
        committed = Counter.builder("distribank.operations.committed")
                .description("Operations decided COMMITTED at this bank").register(registry);
        aborted = Counter.builder("distribank.operations.aborted")
                .description("Operations decided ABORTED at this bank").register(registry);
        committedLatency = latency("committed");
        abortedLatency = latency("aborted");
    }

    private Timer latency(String decision) {
        return Timer.builder("distribank.decision.latency")
                .description("This bank's own operations, from their multicast to their decision here")
                .tags("decision", decision)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * The metrics of a bank made of these parts: decisions, protocol events, the hold-back queue, the applier, the
     * data server's round trips and the JVM.
     */
    public static BankMetrics bind(String self, ConsortiumNode node, BankMachine machine, Applier applier,
                                   LedgerClient ledger) {
        BankMetrics m = new BankMetrics(self);
        machine.onDecided(m::onDecided);
        try {
            m.closeables.add(node.events().subscribe(m::onEvent));
        } catch (RuntimeException e) {
            LOG.warn("bank {}: no protocol events for the metrics: {}", self, e.getMessage());
        }
        m.bindNode(node);
        m.bindApplier(applier);
        ledger.observeRoundTrips(m.roundTrips());
        m.bindJvm();
        return m;
    }

    private void bindNode(ConsortiumNode node) {
        Gauge.builder("distribank.holdback.queue.length", node, n -> n.view().queue().size())
                .description("Operations in this bank's hold-back queue, not yet delivered").register(registry);
        Gauge.builder("distribank.delivered.position", node, n -> n.view().delivered())
                .description("Operations delivered here so far (the position of the last)").register(registry);
        Gauge.builder("distribank.peers.offline", node,
                        n -> n.view().peers().stream().filter(p -> !p.online()).count())
                .description("Peers this bank sees offline").register(registry);
        Gauge.builder("distribank.node.up", node, n -> n.stoppedBecause().isPresent() ? 0 : 1)
                .description("1 while the node runs; 0 once it stopped on its own (fail-stop)").register(registry);
        Gauge.builder("distribank.log.bytes", node, ConsortiumNode::logBytes)
                .description("Bytes of this bank's protocol log on disk (segments; truncated below snapshots)")
                .register(registry);
        Gauge.builder("distribank.snapshot.position", node, ConsortiumNode::snapshotPosition)
                .description("The delivered position of this bank's latest snapshot (0: none yet)").register(registry);
        Gauge.builder("distribank.snapshot.age.seconds", node, n -> n.snapshotAt()
                        .map(at -> Math.max(0, Duration.between(at, Instant.now()).toMillis()) / 1000.0)
                        .orElse(Double.NaN))
                .description("Seconds since this bank's latest snapshot was written (NaN: none yet)")
                .register(registry);
    }

    private void bindApplier(Applier applier) {
        Gauge.builder("distribank.applier.applied.position", applier, Applier::appliedPosition)
                .description("Decisions this bank has made durable on its data server (position)").register(registry);
        Gauge.builder("distribank.applier.enqueued.position", applier, Applier::enqueuedPosition)
                .description("Decisions handed to the applier (position)").register(registry);
        Gauge.builder("distribank.applier.backlog", applier,
                        a -> Math.max(0, a.enqueuedPosition() - a.appliedPosition()))
                .description("Decisions waiting to reach the data server").register(registry);
        Gauge.builder("distribank.applier.outcome.records.pending", applier, Applier::outcomeWritesPending)
                .description("Decided outcome records not yet written to the data server").register(registry);
        FunctionCounter.builder("distribank.applier.refusals", applier, Applier::refusals)
                .description("Writes this bank's data server refused (the applier stops and retries)")
                .register(registry);
        Gauge.builder("distribank.applier.stalled", applier, a -> a.stalledReason().isPresent() ? 1 : 0)
                .description("1 while the applier is stopped on its data server (health DEGRADED)").register(registry);
    }

    private RoundTripObserver roundTrips() {
        return (method, resource, status, nanos) -> Timer.builder("distribank.dataserver.requests")
                .description("Round trips to this bank's data server")
                .tags(Tags.of("method", method, "resource", resource, "outcome", outcome(status)))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String outcome(int status) {
        if (status == 0) {
            return "UNREACHABLE";
        }
        return switch (status / 100) {
            case 2 -> "SUCCESS";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "OTHER";
        };
    }

    private void bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
        pressure.bindTo(registry);
        closeables.add(pressure);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** On the protocol thread, inside decide: counts only. */
    private void onDecided(String id, DecidedOperation d) {
        boolean yes = d.outcome().committed();
        (yes ? committed : aborted).increment();
        Long t0 = sentAt.asMap().remove(id);
        if (t0 != null) {
            (yes ? committedLatency : abortedLatency).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /** On the protocol thread: this bank's own operations leaving (their SEND), and deliveries. */
    private void onEvent(ProtocolEvent e) {
        if (e.type() == EventType.DELIVER) {
            ordered.increment();
        } else if (e.type() == EventType.SEND && e.opId() != null && e.detail() != null
                && e.detail().startsWith("OP")) {
            sentAt.asMap().putIfAbsent(e.opId(), System.nanoTime());
        }
    }

    /** The Prometheus text of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * {@code GET /metrics} with {@code Authorization: Bearer <operator token>}: the metrics tell how busy the bank
     * is and when, which is not for its customers nor anyone on the network (DEPLOYMENT.md, "Metrics").
     */
    public void register(JavalinConfig config, String operatorToken) {
        byte[] expected = ("Bearer " + operatorToken).getBytes(StandardCharsets.UTF_8);
        config.routes.get(PATH, ctx -> {
            if (!authorized(ctx, expected)) {
                return;
            }
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape());
        });
    }

    private static boolean authorized(Context ctx, byte[] expected) {
        String h = ctx.header("Authorization");
        if (h != null && MessageDigest.isEqual(expected, h.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        ctx.status(401).contentType("application/json").result("{\"error\":\"UNAUTHORIZED\",\"message\":\""
                + (h == null ? "The operator token is missing." : "The operator token is wrong.") + "\"}");
        return false;
    }

    public String self() {
        return self;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("bank {}: closing a metric binder: {}", self, e.getMessage());
            }
        }
        registry.close();
    }
}
