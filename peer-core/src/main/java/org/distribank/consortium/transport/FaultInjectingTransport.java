package org.distribank.consortium.transport;

import java.io.IOException;
import java.util.List;
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
 * partition, so the failure detector is not made flaky by the random faults. Streams get the same
 * faults per frame (a frame lost, sent twice, delayed in order, or a stale copy sent later; an ack
 * lost), and a partition closes them: a frame or an ack across a cut ends the stream, and a new
 * one cannot be opened until {@link #heal}.
 */
public final class FaultInjectingTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingTransport.class);

    private final Transport inner;
    private final FaultOptions faults;
    private final Random random;
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Set<FaultyStream> streams = ConcurrentHashMap.newKeySet();
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

    /** Requests to {@code peer} fail until {@link #heal}; its open streams are closed at once. */
    public void cut(String peer) {
        cut.add(peer);
        for (FaultyStream s : List.copyOf(streams)) {
            if (s.to.equals(peer)) {
                s.close("partitioned from " + peer);
            }
        }
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
    public boolean streaming() {
        return inner.streaming();
    }

    @Override
    public Stream openStream(String to, StreamListener listener) {
        FaultyStream s = new FaultyStream(to, listener);
        if (cut.contains(to)) {
            s.close("partitioned from " + to);
            return s;
        }
        streams.add(s);
        s.inner = inner.openStream(to, s);
        return s;
    }

    /** Faults per frame and per ack on one stream. */
    private final class FaultyStream implements Stream, StreamListener {
        private final String to;
        private final StreamListener listener;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile Stream inner;
        /** Delayed frames keep their order: each is due no earlier than the previous one. */
        private long lastDueNanos;

        FaultyStream(String to, StreamListener listener) {
            this.to = to;
            this.listener = listener;
        }

        @Override
        public synchronized void send(String batchJson) {
            Stream s = inner;
            if (s == null || closed.get()) {
                return;
            }
            if (cut.contains(to)) {
                close("partitioned from " + to);
                return;
            }
            if (roll() < faults.dropRate / 2) {
                injected.incrementAndGet();
                return; // lost: the sender resends after its ack timeout
            }
            if (roll() < faults.reorderRate) {
                injected.incrementAndGet();
                stale.schedule(() -> s.send(batchJson), 1 + (long) (roll() * 20), TimeUnit.MILLISECONDS);
            }
            int copies = roll() < faults.duplicateRate ? 2 : 1;
            if (copies == 2) {
                injected.incrementAndGet();
            }
            long now = System.nanoTime();
            long due = Math.max(lastDueNanos, now + (long) (roll() * faults.maxDelayMs * 1_000_000L));
            lastDueNanos = due;
            for (int i = 0; i < copies; i++) {
                if (due <= now) {
                    s.send(batchJson);
                } else {
                    stale.schedule(() -> s.send(batchJson), due - now, TimeUnit.NANOSECONDS);
                }
            }
        }

        @Override
        public void close() {
            close("closed by this side");
        }

        private void close(String why) {
            Stream s = inner;
            if (s != null) {
                s.close();
            }
            onClosed(why);
        }

        @Override
        public void onAck(long ack) {
            if (cut.contains(to)) {
                close("partitioned from " + to);
                return;
            }
            if (roll() < faults.dropRate / 2) {
                injected.incrementAndGet();
                return; // the answer lost; a later ack covers it (they are cumulative)
            }
            listener.onAck(ack);
        }

        @Override
        public void onClosed(String why) {
            if (closed.compareAndSet(false, true)) {
                streams.remove(this);
                listener.onClosed(why);
            }
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
