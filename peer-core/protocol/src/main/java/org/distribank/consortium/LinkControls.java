package org.distribank.consortium;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's link controls: a transport wrapper that shapes this peer's outbound traffic, per receiving peer.
 * A bank wraps its protocol transport in one ({@link #wrap}) and gives it to
 * {@link Consortium#createNode(NodeOptions, StateMachine, Transport)}; its operator API sets the links.
 *
 * <p>{@link #cut} drops everything this peer sends to a peer — batches, stream frames, heartbeats, ballot
 * messages, fetches, and whatever else asks {@link #pass} — until {@link #heal}: open streams to it are closed at once and a new one cannot be
 * opened, so the links fall back to their retransmission and resend what was held back once healed. {@link #slow}
 * delays every batch, frame, heartbeat, ballot message and fetch to a peer by a fixed time, keeping stream frames in FIFO order (a frame
 * is never due before the one sent ahead of it). Only what this peer initiates is shaped: the answers it gives to
 * the other peer's requests are not. Every change is told to the {@link #onLinkChange} listeners (the node
 * records it as a LINK event).
 *
 * <p>With no link cut or slowed, every call goes straight to the inner transport (one volatile read on the way).
 * Random faults for tests (drops, duplicates, reordering) are the protocol's test kit's, not this class's.
 */
public final class LinkControls implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(LinkControls.class);

    private final Transport inner;
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    /** Some link is cut or slowed. False: calls go straight through. */
    private volatile boolean shaped;
    private final Object shaping = new Object();
    private final List<Consumer<LinkState>> listeners = new CopyOnWriteArrayList<>();
    private final Set<ShapedStream> streams = ConcurrentHashMap.newKeySet();
    /** Delayed frames. A thread is started only when the first task is scheduled. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "link-delay");
        t.setDaemon(true);
        return t;
    });

    private LinkControls(Transport inner) {
        this.inner = inner;
    }

    /** Controls for the links of {@code inner}, every link UP; closing them closes {@code inner}. */
    public static LinkControls wrap(Transport inner) {
        return new LinkControls(java.util.Objects.requireNonNull(inner, "inner"));
    }

    // ------------------------------------------------------------------ link shaping

    /** Traffic to {@code peer} is dropped until {@link #heal}; its open streams are closed at once. */
    public void cut(String peer) {
        LinkState changed;
        synchronized (shaping) {
            LinkState before = link(peer);
            cut.add(peer);
            changed = updated(before);
        }
        closeStreamsTo(peer);
        notify(changed);
    }

    /** Ends a {@link #cut} (a delay set by {@link #slow} stays). */
    public void heal(String peer) {
        LinkState changed;
        synchronized (shaping) {
            LinkState before = link(peer);
            cut.remove(peer);
            changed = updated(before);
        }
        notify(changed);
    }

    public void healAll() {
        for (String peer : List.copyOf(cut)) {
            heal(peer);
        }
    }

    /** Delays everything sent to {@code peer} by {@code delayMs} (0: no delay). */
    public void slow(String peer, long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs " + delayMs + " < 0");
        }
        LinkState changed;
        synchronized (shaping) {
            LinkState before = link(peer);
            if (delayMs == 0) {
                delays.remove(peer);
            } else {
                delays.put(peer, delayMs);
            }
            changed = updated(before);
        }
        retimeStreamsTo(peer, delayMs);
        notify(changed);
    }

    /**
     * Sets the link to {@code peer} as a whole: UP (no cut, no delay), CUT (no delay) or SLOW
     * ({@code delayMs} > 0, no cut). Frames already held back by a longer delay leave by the new
     * one (never later than they were due, never before the frame ahead of them). Returns the new
     * state.
     */
    public LinkState setLink(String peer, LinkMode mode, long delayMs) {
        if ((mode == LinkMode.SLOW) != (delayMs > 0) || delayMs < 0) {
            throw new IllegalArgumentException(mode + " with delayMs " + delayMs);
        }
        LinkState changed;
        LinkState now;
        synchronized (shaping) {
            LinkState before = link(peer);
            if (mode == LinkMode.CUT) {
                cut.add(peer); // cut first, so nothing slips through undelayed in between
            }
            if (delayMs == 0) {
                delays.remove(peer);
            } else {
                delays.put(peer, delayMs);
            }
            if (mode != LinkMode.CUT) {
                cut.remove(peer);
            }
            changed = updated(before);
            now = link(peer);
        }
        if (mode == LinkMode.CUT) {
            closeStreamsTo(peer);
        } else {
            retimeStreamsTo(peer, delayMs);
        }
        notify(changed);
        return now;
    }

    /** The current shape of the link to {@code peer} (CUT wins over a delay still set). */
    public LinkState link(String peer) {
        long d = delays.getOrDefault(peer, 0L);
        LinkMode m = cut.contains(peer) ? LinkMode.CUT : d > 0 ? LinkMode.SLOW : LinkMode.UP;
        return new LinkState(peer, m, d);
    }

    /** Told about every change of a link's shape (on the caller's thread; must not block). */
    @Override
    public void onLinkChange(Consumer<LinkState> listener) {
        listeners.add(listener);
    }

    /**
     * What a request to {@code peer} goes through on this link: fails at once when the link is cut,
     * waits the link's delay when it is slowed. For callers besides the protocol (a bank's own calls
     * to another bank) so that they see the same link as the protocol.
     */
    public void pass(String peer) throws IOException {
        if (!shaped) {
            return;
        }
        if (cut.contains(peer)) {
            throw new IOException("partitioned from " + peer);
        }
        Long d = delays.get(peer);
        if (d != null) {
            sleep(d);
            if (cut.contains(peer)) {
                throw new IOException("partitioned from " + peer);
            }
        }
    }

    // guarded by shaping
    private LinkState updated(LinkState before) {
        shaped = !cut.isEmpty() || !delays.isEmpty();
        LinkState after = link(before.peer());
        return after.equals(before) ? null : after;
    }

    private void retimeStreamsTo(String peer, long delayMs) {
        for (ShapedStream s : List.copyOf(streams)) {
            if (s.to.equals(peer)) {
                s.retime(delayMs * 1_000_000L);
            }
        }
    }

    private void closeStreamsTo(String peer) {
        for (ShapedStream s : List.copyOf(streams)) {
            if (s.to.equals(peer)) {
                s.close("partitioned from " + peer);
            }
        }
    }

    private void notify(LinkState changed) {
        if (changed == null) {
            return;
        }
        LOG.info("link to {}: {}", changed.peer(), changed.describe());
        for (Consumer<LinkState> l : listeners) {
            try {
                l.accept(changed);
            } catch (RuntimeException e) {
                LOG.warn("link listener failed", e);
            }
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms); // bounded: the link's delay, the very thing asked for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public long sendBatch(String to, String batchJson) throws IOException {
        pass(to);
        return inner.sendBatch(to, batchJson);
    }

    @Override
    public void heartbeat(String to, String from) throws IOException {
        pass(to);
        inner.heartbeat(to, from);
    }

    @Override
    public void sendBallot(String to, String json) throws IOException {
        pass(to);
        inner.sendBallot(to, json);
    }

    @Override
    public String fetch(String to, String json) throws IOException {
        pass(to);
        return inner.fetch(to, json);
    }

    @Override
    public String transfer(String to, String json) throws IOException {
        pass(to);
        return inner.transfer(to, json);
    }

    @Override
    public boolean streaming() {
        return inner.streaming();
    }

    @Override
    public Stream openStream(String to, StreamListener listener) {
        ShapedStream s = new ShapedStream(to, listener);
        if (cut.contains(to)) {
            s.close("partitioned from " + to);
            return s;
        }
        streams.add(s);
        s.inner = inner.openStream(to, s);
        return s;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        inner.close();
    }

    /** A frame waiting for its due time. */
    private record Held(long sentNanos, long dueNanos, String json) {
    }

    /**
     * Cuts and delays per frame and per ack on one stream. Delayed frames wait in {@link #held}
     * and leave in order from the timer thread; while any wait or are being sent, new frames queue
     * behind them, so FIFO holds whatever the delays.
     */
    private final class ShapedStream implements Stream, StreamListener {
        private final String to;
        private final StreamListener listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Stream inner;
        // guarded by this
        private ArrayDeque<Held> held = new ArrayDeque<>();
        /** Bumped when the held frames are re-timed: drains scheduled before that step aside. Guarded by this. */
        private long generation;
        /**
         * A drain is scheduled or running: frames must queue behind it. Written under this lock, read
         * without it by the fast path (false there means every earlier frame has left).
         */
        private volatile boolean draining;

        ShapedStream(String to, StreamListener listener) {
            this.to = to;
            this.listener = listener;
        }

        @Override
        public void send(String batchJson) {
            Stream s = inner;
            if (s == null || closed.get()) {
                return;
            }
            if (!shaped && !draining) {
                s.send(batchJson); // nothing to shape and nothing held back: straight through, no lock
                return;
            }
            shapedSend(s, batchJson);
        }

        private synchronized void shapedSend(Stream s, String batchJson) {
            if (closed.get()) {
                return;
            }
            if (cut.contains(to)) {
                close("partitioned from " + to);
                return;
            }
            Long linkDelay = delays.get(to);
            long delayNanos = linkDelay == null ? 0 : linkDelay * 1_000_000L;
            if (delayNanos == 0 && !draining) {
                s.send(batchJson);
                return;
            }
            long now = System.nanoTime();
            long due = now + delayNanos;
            Held last = held.peekLast();
            if (last != null && due - last.dueNanos() < 0) {
                due = last.dueNanos(); // never before the frame ahead of it
            }
            held.addLast(new Held(now, due, batchJson));
            if (!draining) {
                draining = true;
                schedule(due - now);
            }
        }

        /** The link's delay changed: held frames leave by the new one if that is sooner, in order. */
        synchronized void retime(long delayNanos) {
            if (held.isEmpty()) {
                return;
            }
            ArrayDeque<Held> retimed = new ArrayDeque<>(held.size());
            long previous = Long.MIN_VALUE;
            for (Held h : held) {
                long due = Math.min(h.dueNanos(), h.sentNanos() + delayNanos);
                if (previous != Long.MIN_VALUE && due - previous < 0) {
                    due = previous;
                }
                retimed.addLast(new Held(h.sentNanos(), due, h.json()));
                previous = due;
            }
            held = retimed;
            generation++; // the drain scheduled for the old head steps aside for this one
            schedule(held.peekFirst().dueNanos() - System.nanoTime());
        }

        // guarded by this; draining is true
        private void schedule(long inNanos) {
            long g = generation;
            try {
                timer.schedule(() -> drain(g), Math.max(0, inNanos), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                held.clear(); // the transport is closing
                draining = false;
            }
        }

        /** Timer thread: sends the frames that are due, in order, outside the lock (a send may call back). */
        private void drain(long g) {
            List<String> due = new ArrayList<>();
            Stream s;
            synchronized (this) {
                if (g != generation) {
                    return; // re-timed: a newer drain carries on
                }
                s = inner;
                if (s == null || closed.get()) {
                    held.clear();
                    draining = false;
                    return;
                }
                long now = System.nanoTime();
                while (!held.isEmpty() && held.peekFirst().dueNanos() - now <= 0) {
                    due.add(held.pollFirst().json());
                }
            }
            // still draining: send() queues behind these instead of overtaking them
            for (String json : due) {
                s.send(json);
            }
            synchronized (this) {
                if (g != generation) {
                    return; // re-timed while these were sent: the newer drain (not run yet: one timer thread) carries on
                }
                if (held.isEmpty() || closed.get()) {
                    held.clear();
                    draining = false;
                } else {
                    schedule(held.peekFirst().dueNanos() - System.nanoTime());
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
        public void onOpen() {
            if (!closed.get()) {
                listener.onOpen(); // never delayed or dropped: shaping applies to frames and acks
            }
        }

        @Override
        public void onAck(long ack) {
            if (shaped && cut.contains(to)) {
                close("partitioned from " + to);
                return;
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
}
