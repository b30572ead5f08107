package org.distribank.consortium.transport;

import java.io.IOException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport for tests that drops, duplicates, delays and reorders requests (seeded random),
 * and can cut this peer off from chosen peers (a partition). Heartbeats are only subject to the
 * partition, so the failure detector is not made flaky by the random faults.
 */
public final class FaultInjectingTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingTransport.class);

    private final Transport inner;
    private final FaultOptions faults;
    private final Random random;
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong injected = new java.util.concurrent.atomic.AtomicLong();
    private final ScheduledExecutorService stale = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-reorder");
        t.setDaemon(true);
        return t;
    });

    public FaultInjectingTransport(Transport inner, FaultOptions faults) {
        this.inner = inner;
        this.faults = faults;
        this.random = new Random(faults.seed);
    }

    /** Requests to {@code peer} fail until {@link #heal}. */
    public void cut(String peer) {
        cut.add(peer);
    }

    public void heal(String peer) {
        cut.remove(peer);
    }

    public void healAll() {
        cut.clear();
    }

    /** How many faults were injected so far (so a test can tell it really was faulty). */
    public long injectedFaults() {
        return injected.get();
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    @Override
    public long sendBatch(String to, String batchJson) throws IOException {
        if (cut.contains(to)) {
            throw new IOException("partitioned from " + to);
        }
        if (faults.maxDelayMs > 0) {
            sleep((long) (roll() * faults.maxDelayMs));
        }
        if (roll() < faults.dropRate / 2) {
            injected.incrementAndGet();
            throw new IOException("injected: request to " + to + " lost");
        }
        if (roll() < faults.reorderRate) {
            injected.incrementAndGet();
            // a stale copy arrives later, after newer requests: the receiver must drop it
            stale.schedule(() -> {
                try {
                    inner.sendBatch(to, batchJson);
                } catch (IOException | RuntimeException e) {
                    LOG.trace("stale copy to {} failed", to, e);
                }
            }, 1 + (long) (roll() * 20), TimeUnit.MILLISECONDS);
        }
        long ack = inner.sendBatch(to, batchJson);
        if (roll() < faults.duplicateRate) {
            injected.incrementAndGet();
            ack = Math.max(ack, inner.sendBatch(to, batchJson));
        }
        if (roll() < faults.dropRate / 2) {
            injected.incrementAndGet();
            throw new IOException("injected: answer from " + to + " lost");
        }
        return ack;
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms); // bounded by FaultOptions.maxDelayMs: the injected delay itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void heartbeat(String to, String from) throws IOException {
        if (cut.contains(to)) {
            throw new IOException("partitioned from " + to);
        }
        inner.heartbeat(to, from);
    }

    @Override
    public void close() {
        stale.shutdownNow();
        inner.close();
    }
}
