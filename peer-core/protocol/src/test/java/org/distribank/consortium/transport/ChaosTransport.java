package org.distribank.consortium.transport;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test kit's random fault injection, wrapping any transport ({@link FaultOptions}, seeded): requests and
 * frames dropped, duplicated, delayed (frames in order), or a stale copy sent later; acks lost. Heartbeats are
 * never faulted, so the failure detector is not made flaky by them. With {@link FaultOptions#none()} every call
 * goes straight through. The operator's cut and slowed links are {@link org.distribank.consortium.LinkControls},
 * which a test cluster wraps around this.
 */
public final class ChaosTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosTransport.class);

    private final Transport inner;
    private final FaultOptions faults;
    private final boolean any;
    private final Random random;
    private final AtomicLong injected = new AtomicLong();
    /** Delayed frames and stale copies; one thread, so frames due in order leave in order. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-timer");
        t.setDaemon(true);
        return t;
    });

    public ChaosTransport(Transport inner, FaultOptions faults) {
        this.inner = inner;
        this.faults = faults;
        this.any = faults.any();
        this.random = new Random(faults.seed());
    }

    /** How many faults were injected so far (so a test can tell it really was faulty). */
    public long injectedFaults() {
        return injected.get();
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    /** True with probability {@code rate}; no roll when the rate is 0. */
    private boolean chance(double rate) {
        return rate > 0 && roll() < rate;
    }

    @Override
    public long sendBatch(String to, String batchJson) throws IOException {
        if (!any) {
            return inner.sendBatch(to, batchJson);
        }
        if (faults.maxDelayMs() > 0) {
            try {
                Thread.sleep((long) (roll() * faults.maxDelayMs())); // the injected delay itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        if (chance(faults.dropRate() / 2)) {
            injected.incrementAndGet();
            throw new IOException("injected: request to " + to + " lost");
        }
        if (chance(faults.reorderRate())) {
            injected.incrementAndGet();
            // a stale copy arrives later, after newer requests: the receiver must drop it
            schedule(() -> {
                try {
                    inner.sendBatch(to, batchJson);
                } catch (IOException | RuntimeException e) {
                    LOG.trace("stale copy to {} failed", to, e);
                }
            }, (1 + (long) (roll() * 20)) * 1_000_000L);
        }
        long ack = inner.sendBatch(to, batchJson);
        if (chance(faults.duplicateRate())) {
            injected.incrementAndGet();
            ack = Math.max(ack, inner.sendBatch(to, batchJson));
        }
        if (chance(faults.dropRate() / 2)) {
            injected.incrementAndGet();
            throw new IOException("injected: answer from " + to + " lost");
        }
        return ack;
    }

    @Override
    public void heartbeat(String to, String from) throws IOException {
        inner.heartbeat(to, from);
    }

    /** Not faulted (the ballot's own simulation loses, repeats and reorders its messages): straight through. */
    @Override
    public void sendBallot(String to, String json) throws IOException {
        inner.sendBallot(to, json);
    }

    @Override
    public String fetch(String to, String json) throws IOException {
        return inner.fetch(to, json);
    }

    @Override
    public String transfer(String to, String json) throws IOException {
        return inner.transfer(to, json);
    }

    @Override
    public boolean streaming() {
        return inner.streaming();
    }

    @Override
    public Stream openStream(String to, StreamListener listener) {
        if (!any) {
            return inner.openStream(to, listener);
        }
        ChaosStream s = new ChaosStream(to, listener);
        s.inner = inner.openStream(to, s);
        return s;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        inner.close();
    }

    private boolean schedule(Runnable task, long inNanos) {
        try {
            timer.schedule(task, Math.max(0, inNanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closing
        }
    }

    /**
     * Faults per frame and per ack on one stream. A delayed frame is due no sooner than the one ahead of it, and
     * the single timer thread runs tasks due at the same time in the order they were scheduled: FIFO holds. While
     * any delayed frame waits, undelayed ones queue behind it too.
     */
    private final class ChaosStream implements Stream, StreamListener {
        private final String to;
        private final StreamListener listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Stream inner;
        // guarded by this
        private long lastDueNanos;
        private int waiting;

        ChaosStream(String to, StreamListener listener) {
            this.to = to;
            this.listener = listener;
        }

        @Override
        public synchronized void send(String batchJson) {
            Stream s = inner;
            if (s == null || closed.get()) {
                return;
            }
            if (chance(faults.dropRate() / 2)) {
                injected.incrementAndGet();
                return; // lost: the sender resends after its ack timeout
            }
            if (chance(faults.reorderRate())) {
                injected.incrementAndGet();
                schedule(() -> s.send(batchJson), (1 + (long) (roll() * 20)) * 1_000_000L);
            }
            int copies = 1;
            if (chance(faults.duplicateRate())) {
                injected.incrementAndGet();
                copies = 2;
            }
            long delayNanos = faults.maxDelayMs() > 0 ? (long) (roll() * faults.maxDelayMs() * 1_000_000L) : 0;
            for (int i = 0; i < copies; i++) {
                if (delayNanos == 0 && waiting == 0) {
                    s.send(batchJson);
                    continue;
                }
                long now = System.nanoTime();
                long due = now + delayNanos;
                if (waiting > 0 && due - lastDueNanos < 0) {
                    due = lastDueNanos; // never before the frame ahead of it
                }
                lastDueNanos = due;
                waiting++;
                if (!schedule(() -> {
                    if (!closed.get()) {
                        s.send(batchJson);
                    }
                    synchronized (this) {
                        waiting--;
                    }
                }, due - now)) {
                    waiting--;
                }
            }
        }

        @Override
        public void close() {
            Stream s = inner;
            if (s != null) {
                s.close();
            }
            onClosed("closed by this side");
        }

        @Override
        public void onOpen() {
            if (!closed.get()) {
                listener.onOpen();
            }
        }

        @Override
        public void onAck(long ack) {
            if (chance(faults.dropRate() / 2)) {
                injected.incrementAndGet();
                return; // the answer lost; a later ack covers it (they are cumulative)
            }
            listener.onAck(ack);
        }

        @Override
        public void onClosed(String why) {
            if (closed.compareAndSet(false, true)) {
                listener.onClosed(why);
            }
        }
    }
}
