package org.distribank.consortium.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans protocol events out to listeners and keeps the most recent ones (for late observers and ShiViz) in memory,
 * and, with an {@link EventHistory}, the older ones on disk: then event indexes go on across restarts.
 */
public final class EventBus implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final String self;
    private final int capacity;
    private final ArrayDeque<ProtocolEvent> recent = new ArrayDeque<>();
    private final List<Consumer<ProtocolEvent>> listeners = new CopyOnWriteArrayList<>();
    private final EventHistory history;
    private long index;

    public EventBus(String self, int capacity) {
        this(self, capacity, null);
    }

    /** With {@code history} (null: none), opened here: the first event is numbered after the newest it kept. */
    public EventBus(String self, int capacity, EventHistory history) {
        this.self = self;
        this.capacity = capacity;
        this.history = history;
        this.index = history == null ? 0 : history.open();
    }

    /** Cheap check so hot paths build no event when nobody looks. */
    public boolean active() {
        return capacity > 0 || history != null || !listeners.isEmpty();
    }

    public void emit(EventType type, String peer, String opId, String detail, VectorClock clock) {
        emit(type, peer, opId, detail, clock, null, null, null);
    }

    /** A message's send or receive: {@code message} its kind, {@code seq} its sender's sequence number. */
    public void emitMessage(EventType type, String peer, String opId, String detail, VectorClock clock,
                            String message, Long seq) {
        emit(type, peer, opId, detail, clock, null, message, seq);
    }

    /**
     * A {@link EventType#VIEW} event: this peer installed {@code view} (the node calls it once the view is logged),
     * with a detail a person reads ({@code epoch 3: members b1,b2,b3; out b4}) and the view itself for programs.
     */
    public void publishView(View view, VectorClock clock) {
        if (active()) {
            emit(EventType.VIEW, null, null, describe(view), clock, view, null, null);
        }
    }

    /** {@code epoch E: members b1,b2,b3}, then {@code ; out b4} when a configured bank is not a member. */
    static String describe(View view) {
        List<String> out = view.banks().stream().filter(b -> !view.isMember(b)).toList();
        return "epoch " + view.epoch() + ": members " + String.join(",", view.members())
                + (out.isEmpty() ? "" : "; out " + String.join(",", out));
    }

    private void emit(EventType type, String peer, String opId, String detail, VectorClock clock, View view,
                      String message, Long seq) {
        if (!active()) {
            return;
        }
        ProtocolEvent e;
        synchronized (this) {
            e = new ProtocolEvent(++index, System.currentTimeMillis(), self, type, peer, opId, detail, clock, view,
                    message, seq);
            if (capacity > 0) {
                if (recent.size() == capacity) {
                    recent.pollFirst();
                }
                recent.addLast(e);
            }
            if (history != null) {
                history.offer(e); // under the lock: in index order
            }
        }
        for (Consumer<ProtocolEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("event listener failed", ex);
            }
        }
    }

    /** Emits with a lazily built detail. */
    public void emit(EventType type, String peer, String opId, Supplier<String> detail, VectorClock clock) {
        if (active()) {
            emit(type, peer, opId, detail.get(), clock);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<ProtocolEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized List<ProtocolEvent> recent() {
        return new ArrayList<>(recent);
    }

    /**
     * The kept events after index {@code afterIndex} and at or after {@code fromMs}, oldest first: from disk those
     * older than the ones in memory (waiting a little for the history's writer to reach them), then from memory.
     */
    @Override
    public void replay(long afterIndex, long fromMs, Consumer<ProtocolEvent> sink) {
        List<ProtocolEvent> kept = recent();
        long firstInMemory = kept.isEmpty() ? Long.MAX_VALUE : kept.get(0).index();
        if (history != null && afterIndex + 1 < firstInMemory) {
            long upto;
            synchronized (this) {
                upto = Math.min(index, firstInMemory - 1);
            }
            try {
                history.awaitDurable(upto, 2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            history.replay(afterIndex, upto, fromMs, sink);
        }
        for (ProtocolEvent e : kept) {
            if (e.index() > afterIndex && e.timeMs() >= fromMs) {
                sink.accept(e);
            }
        }
    }

    /** The index of the newest event (0 before the first). */
    public synchronized long lastIndex() {
        return index;
    }

    /** The history on disk, or null without one. */
    public EventHistory history() {
        return history;
    }

    /** Stops the history: {@code graceful} writes what is queued first; else it is lost, as in a crash. */
    public void closeHistory(boolean graceful) {
        if (history != null) {
            if (graceful) {
                history.close();
            } else {
                history.abandon();
            }
        }
    }
}
