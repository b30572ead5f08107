package org.distribank.consortium.link;

import java.util.function.BooleanSupplier;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of one reliable FIFO link over a stream ({@link Transport#openStream}). No
 * thread of its own: the protocol thread, at the end of each burst, writes everything durable
 * after what it already sent as frames of at most {@code maxBatchMessages} messages and {@code maxFrameBytes}
 * bytes ({@link #signal}); frames go out without waiting for acks, up to a window of unacknowledged messages,
 * frames and bytes (a transport refuses a frame past its queue: OkHttp's WebSocket holds 16 MiB). Acks are cumulative and arrive on the
 * transport's thread; the protocol thread reads them lazily ({@link #acked}) to trim the outbox.
 *
 * <p>Recovery is go-back-N from the last ack: when the stream closes (peer gone, restarted,
 * partitioned) it is reopened after a backoff ({@code retryMinMs}..{@code retryMaxMs}, doubling,
 * reset by an ack); when acks stop advancing for {@code ackTimeoutMs} while messages are
 * outstanding (a frame lost) it resends from the ack. The receiver drops duplicates by sequence
 * number. A stream not open within {@code openTimeoutMs} ({@code max(1000, retryMaxMs)}) is
 * abandoned and reopened: a handshake that is never answered (a peer that stopped while accepting
 * it leaves the connection up and silent) would otherwise hold the link, resending into a stream
 * that never opens, until the transport's own read timeout. The node's timer calls {@link #tick}
 * for all three.
 *
 * <p>Each frame also carries this peer's own ack for the opposite direction ({@link #carryAck}),
 * and the receiver's frames to us carry its ack for this link ({@link #ackedByReceiver}): under
 * two-way traffic, as the protocol's ACKs and votes make it, acks need no frames of their own.
 */
public final class StreamLink implements OutboundLink {

    private static final Logger LOG = LoggerFactory.getLogger(StreamLink.class);

    private final String self;
    private final String peer;
    private final Outbox outbox;
    private final Transport transport;
    private final int maxBatch;
    private final long maxFrameBytes;
    /** Most messages sent and not yet acknowledged. */
    private final long window;
    private final long retryMinMs;
    private final long retryMaxMs;
    private final long ackTimeoutNanos;
    private final long openTimeoutNanos;
    private final BooleanSupplier paused;

    /** Most frames sent and not yet acknowledged (a frame is in flight until an ack covers its last message). */
    private final int maxFramesInFlight;
    // guarded by this
    private final java.util.ArrayDeque<Long> inFlight = new java.util.ArrayDeque<>();
    /** The UTF-8 bytes of each frame in {@link #inFlight}, in the same order; guarded by this. */
    private final java.util.ArrayDeque<Long> inFlightBytes = new java.util.ArrayDeque<>();
    /** Their sum: no new frame while it reaches {@code maxFrameBytes} (so under two frames' bytes queue). */
    private long bytesInFlight;
    private Attempt current;
    private long sentUpTo;
    private long lastProgressNanos;
    private long backoffMs;
    private long nextConnectNanos;
    private boolean running;

    private volatile long acked;
    private volatile long frames;
    /** What this peer holds durably from the receiver, for the next frame to carry. */
    private volatile long ackToCarry;
    /** The ack the last frame sent carried. */
    private volatile long ackCarried;
    /** An ack owed to the receiver that the next frame is to carry ({@link #oweAck}); guarded by this. */
    private long owedAck;
    private Runnable owedSender;
    /** The receive vector version the last frame on the current stream carried (guarded by this). */
    private long vectorSent;
    /** When the last frame of any kind left on this link (guarded by this). */
    private long lastFrameNanos;
    /** With nothing sent for this long, the link repeats the receive vector (a lost frame, a restarted peer). */
    private final long vectorRefreshNanos;
    /**
     * The last frame was a vector frame with news and nothing went after it: it is said once more after the ack
     * timeout. A vector frame is not acknowledged, so a lost one would otherwise hold decisions at the peer until
     * the idle refresh (guarded by this).
     */
    private boolean vectorRepeatDue;

    /** The link from {@code self} to {@code peer}, which holds everything up to {@code acked}. */
    public StreamLink(String self, String peer, long acked, Outbox outbox, Transport transport, LinkOptions options,
                      BooleanSupplier paused) {
        this.self = self;
        this.peer = peer;
        this.acked = acked;
        this.sentUpTo = acked;
        this.outbox = outbox;
        this.transport = transport;
        this.maxBatch = options.maxBatchMessages();
        this.maxFrameBytes = options.maxFrameBytes();
        this.window = 4L * maxBatch;
        this.retryMinMs = options.retryMinMs();
        this.retryMaxMs = options.retryMaxMs();
        this.backoffMs = retryMinMs;
        this.ackTimeoutNanos = Math.max(100, retryMaxMs) * 1_000_000L;
        this.openTimeoutNanos = Math.max(1_000, retryMaxMs) * 1_000_000L;
        this.vectorRefreshNanos = Math.max(1_000, retryMaxMs) * 1_000_000L;
        this.paused = paused;
        this.maxFramesInFlight = options.maxFramesInFlight();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public synchronized void start() {
        running = true;
        connect();
        pump(); // a restarted peer may hold durable messages that no new traffic will signal
    }

    @Override
    public void signal() {
        pump();
    }

    @Override
    public long acked() {
        return acked;
    }

    @Override
    public void carryAck(long durablyReceived) {
        if (durablyReceived > ackToCarry) {
            ackToCarry = durablyReceived;
        }
    }

    @Override
    public long ackCarried() {
        return ackCarried;
    }

    /**
     * The receiver's ack riding on its data frame to us. It is durable there whichever connection
     * brought it, so it counts for the current stream too. Never past what we made durable (a
     * confused peer must not make us forget unsent messages).
     */
    @Override
    public synchronized void ackedByReceiver(long ack) {
        if (ack <= acked || ack > outbox.durableSeq()) {
            return;
        }
        advance(ack);
        pump();
    }

    @Override
    public synchronized boolean oweAck(long upTo, Runnable sendNow) {
        if (ackCarried >= upTo) {
            return true; // a frame sent meanwhile carried it
        }
        if (!running || current == null || paused.getAsBoolean() || !waitingForAck()) {
            return false;
        }
        if (owedSender == null || upTo >= owedAck) {
            owedAck = upTo;
            owedSender = sendNow; // a later ack covers an earlier one
        }
        return true;
    }

    private boolean waitingForAck() {
        return inFlight.size() >= maxFramesInFlight || sentUpTo - acked >= window || bytesInFlight >= maxFrameBytes;
    }

    private void clearInFlight() {
        inFlight.clear();
        inFlightBytes.clear();
        bytesInFlight = 0;
    }

    /** The owed ack, if no frame carried it: after a pump that sent nothing, or when the link fails. */
    private void settleOwedAck(boolean force) {
        Runnable send = owedSender;
        if (send == null) {
            return;
        }
        if (ackCarried >= owedAck) {
            owedSender = null;
        } else if (force || !waitingForAck()) {
            owedSender = null;
            send.run(); // only queues a frame on the other connection
        }
    }

    private void advance(long ack) {
        acked = ack;
        if (sentUpTo < ack) {
            sentUpTo = ack;
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst() <= ack) {
            inFlight.pollFirst();
            bytesInFlight -= inFlightBytes.pollFirst();
        }
        lastProgressNanos = System.nanoTime();
    }

    @Override
    public long requests() {
        return frames;
    }

    /** Timer: reconnect when due, abandon a stream that does not open, resend when acks stalled, and send what waits. */
    public synchronized void tick() {
        if (!running || paused.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        if (current == null) {
            if (now - nextConnectNanos < 0) {
                return;
            }
            connect();
        } else if (!current.open && now - current.startedNanos > openTimeoutNanos) {
            // Resending would only queue more behind a handshake that is not answered: start over.
            LOG.info("link {} -> {}: not open after {} ms; abandoned, reconnecting", self, peer,
                    (now - current.startedNanos) / 1_000_000);
            current.stream.close(); // onClosed: current = null, the next connect after the backoff
            return;
        } else if (acked < sentUpTo && now - lastProgressNanos > ackTimeoutNanos) {
            LOG.debug("link {} -> {}: no ack past {} for {} ms, resending", self, peer, acked,
                    (now - lastProgressNanos) / 1_000_000);
            sentUpTo = acked;
            clearInFlight();
            lastProgressNanos = now;
        }
        // Whatever is durable and unsent goes now. Signals come only with new messages, so without
        // this a link reopened after a crash, with nothing new to say, would never resend its backlog.
        pump();
        if (current != null && current.open && inFlight.isEmpty() && outbox.vectorVersion() > 0
                && (now - lastFrameNanos > vectorRefreshNanos
                    || (vectorRepeatDue && now - lastFrameNanos > ackTimeoutNanos))) {
            vectorSent = 0; // idle for a while: say the vector again (a frame lost, or a peer that restarted)
            sendVector(current);
            vectorRepeatDue = false;
        }
        settleOwedAck(true); // bounded: an owed ack waits one timer period at most
    }

    private synchronized void pump() {
        Attempt a = current;
        if (!running || a == null || paused.getAsBoolean()) {
            settleOwedAck(true);
            return;
        }
        sendDurable(a);
        if (inFlight.isEmpty() && (vectorSent == 0 ? outbox.vectorVersion() > 0 : outbox.newsVersion() > vectorSent)) {
            // a new stream says the vector at once (a restarted peer forgot what it knew only from vectors)
            sendVector(a); // nothing to say but news of what this peer holds: operations wait on it to be final
            vectorRepeatDue = true;
        }
        settleOwedAck(false);
    }

    /** A frame of no messages with this peer's receive vector (and its ack); nothing waits for its ack. */
    private void sendVector(Attempt a) {
        long version = outbox.vectorVersion();
        long carrying = ackToCarry;
        frames++;
        vectorSent = version;
        lastFrameNanos = System.nanoTime();
        a.stream.send(outbox.vectorFrame(self, carrying));
        ackCarried = carrying;
    }

    private void sendDurable(Attempt a) {
        long durable = outbox.durableSeq();
        while (sentUpTo < durable && current == a) {
            long room = window - (sentUpTo - acked);
            if (room <= 0 || inFlight.size() >= maxFramesInFlight || bytesInFlight >= maxFrameBytes) {
                return; // an ack makes room and pumps again
            }
            long upTo = Math.min(durable, sentUpTo + Math.min(maxBatch, room));
            long carrying = ackToCarry;
            long version = outbox.vectorVersion(); // read before the frame is built: it carries this one or newer
            Outbox.Frame frame = outbox.frameBetween(self, sentUpTo, upTo, carrying, maxFrameBytes);
            if (frame == null) {
                return;
            }
            if (acked >= sentUpTo) {
                lastProgressNanos = System.nanoTime(); // the ack timer starts with the first outstanding frame
            }
            sentUpTo = frame.upTo();
            inFlight.add(frame.upTo());
            inFlightBytes.add(frame.bytes());
            bytesInFlight += frame.bytes();
            frames++;
            vectorSent = version;
            lastFrameNanos = System.nanoTime();
            vectorRepeatDue = false; // a data frame carries the vector, and its ack is awaited (and resent)
            a.stream.send(frame.json());
            ackCarried = carrying;
        }
    }

    private void connect() {
        Attempt a = new Attempt();
        a.startedNanos = System.nanoTime();
        current = a;
        sentUpTo = acked; // go back to what the receiver holds; it drops any duplicate
        vectorSent = 0; // and the receive vector goes again on the new stream
        clearInFlight();
        lastProgressNanos = System.nanoTime();
        a.stream = transport.openStream(peer, a);
        if (a.closed) {
            current = null;
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        settleOwedAck(true);
        Attempt a = current;
        current = null;
        if (a != null && a.stream != null) {
            a.stream.close();
        }
    }

    @Override
    public synchronized void halt() {
        running = false;
        owedSender = null;
        Attempt a = current;
        current = null;
        if (a != null && a.stream != null) {
            a.stream.close();
        }
    }

    @Override
    public void join() {
        // no thread of its own
    }

    /** One opened stream; its callbacks are ignored once a newer one replaced it. */
    private final class Attempt implements Transport.StreamListener {
        Transport.Stream stream;
        boolean closed;
        /** The transport said the stream is established (or an ack came on it); guarded by StreamLink.this. */
        boolean open;
        long startedNanos;

        @Override
        public void onOpen() {
            synchronized (StreamLink.this) {
                open = true;
            }
        }

        @Override
        public void onAck(long ack) {
            synchronized (StreamLink.this) {
                open = true;
                if (current != this || ack <= acked) {
                    return;
                }
                if (ack > outbox.durableSeq()) {
                    // more than we ever sent: not an honest receiver; forgetting unsent messages would hurt us
                    LOG.warn("link {} -> {}: ack {} beyond the {} messages sent; link closed", self, peer, ack,
                            outbox.durableSeq());
                    stream.close();
                    return;
                }
                advance(ack);
                backoffMs = retryMinMs;
                pump(); // what was held back by the window goes now (nothing, if there is none)
            }
        }

        @Override
        public void onClosed(String why) {
            synchronized (StreamLink.this) {
                closed = true;
                if (current != this) {
                    return;
                }
                current = null;
                settleOwedAck(true); // no frame of this link will carry it now
                if (running) {
                    LOG.debug("link {} -> {}: stream closed ({}), reconnecting in {} ms", self, peer, why, backoffMs);
                }
                nextConnectNanos = System.nanoTime() + backoffMs * 1_000_000L;
                backoffMs = Math.min(retryMaxMs, backoffMs * 2);
            }
        }
    }
}
