package org.distribank.consortium.link;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of one reliable FIFO link. A loop, not a timer: as soon as a request returns it
 * sends everything durable after the receiver's ack in the next one, so batches grow with load, up to a count
 * and a size in bytes ({@link LinkOptions}).
 * A failed request is retried from the last ack after an exponential backoff; the receiver drops
 * duplicates by sequence number.
 */
public final class LinkSender implements Runnable, OutboundLink {

    private static final Logger LOG = LoggerFactory.getLogger(LinkSender.class);

    private final String self;
    private final String peer;
    private final Outbox outbox;
    private final Transport transport;
    private final int maxBatch;
    private final long maxFrameBytes;
    private final long retryMinMs;
    private final long retryMaxMs;
    private final BooleanSupplier paused;
    private volatile long acked;
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile long requests;

    /** The link from {@code self} to {@code peer}, which holds everything up to {@code acked}. */
    public LinkSender(String self, String peer, long acked, Outbox outbox, Transport transport, LinkOptions options,
                      BooleanSupplier paused) {
        this.self = self;
        this.peer = peer;
        this.acked = acked;
        this.outbox = outbox;
        this.transport = transport;
        this.maxBatch = options.maxBatchMessages();
        this.maxFrameBytes = options.maxFrameBytes();
        this.retryMinMs = options.retryMinMs();
        this.retryMaxMs = options.retryMaxMs();
        this.paused = paused;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void start() {
        Thread t = new Thread(this, "link-" + self + "-" + peer);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** New durable messages: wake the loop. */
    @Override
    public void signal() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public long acked() {
        return acked;
    }

    @Override
    public long requests() {
        return requests;
    }

    @Override
    public void run() {
        long backoff = retryMinMs;
        long vectorSent = 0;
        long lastSentNanos = System.nanoTime();
        long refreshNanos = Math.max(1_000, retryMaxMs) * 1_000_000L;
        while (running) {
            long version = outbox.vectorVersion(); // read before the batch is built: it carries this one or newer
            Outbox.Frame batch = paused.getAsBoolean() ? null : outbox.frameAfter(self, acked, maxBatch, maxFrameBytes);
            String json = batch != null ? batch.json() : null;
            if (json == null && !paused.getAsBoolean() && version > 0
                    && ((vectorSent == 0 ? version > 0 : outbox.newsVersion() > vectorSent)
                        || System.nanoTime() - lastSentNanos > refreshNanos)) {
                // nothing to say but news of what this peer holds (or a while since it said it): a vector batch
                json = outbox.vectorFrame(self, 0);
            }
            if (json == null) {
                // idle; a signal wakes us at once, the bound only re-checks pause and stop
                LockSupport.parkNanos(200_000_000L);
                continue;
            }
            try {
                long ack = transport.sendBatch(peer, json);
                requests++;
                vectorSent = version;
                lastSentNanos = System.nanoTime();
                if (ack > outbox.durableSeq()) {
                    // more than we ever sent: not an honest receiver; forgetting unsent messages would hurt us
                    throw new IOException("ack " + ack + " beyond the " + outbox.durableSeq() + " messages sent");
                }
                if (ack > acked) {
                    acked = ack;
                }
                backoff = retryMinMs;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.debug("link {} -> {}: {} (retry in {} ms)", self, peer, e.getMessage(), backoff);
                LockSupport.parkNanos(backoff * 1_000_000L); // retransmission backoff
                backoff = Math.min(retryMaxMs, backoff * 2);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            LockSupport.unpark(t);
        }
    }

    @Override
    public void join() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(5_000);
        }
    }
}
