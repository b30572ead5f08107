package org.distribank.app.ui.consortium;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.ConsortiumMonitor;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * Hands the monitor's news to the UI thread in batches, at most about ten times a second, so a busy
 * consortium never floods the JavaFX thread. The monitor's threads only enqueue; a drain on the UI
 * thread hands each page's ViewModel (a {@link Sink}) the new events and the latest status of each
 * bank. It keeps the last {@link #HISTORY} events so a page opened later starts with them.
 */
public final class LiveFeed implements ConsortiumMonitor.Listener {

    /** What a page's ViewModel hears, always on the UI thread. */
    public interface Sink {
        /** The latest status of the banks that changed (on attach: of every bank known). */
        default void statuses(Map<String, BankStatus> latest) {
        }

        /** New protocol events, in arrival order (on attach: the history kept). */
        default void events(List<ProtocolEvent> batch) {
        }
    }

    public static final long DRAIN_MS = 100;
    public static final int HISTORY = 10_000;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-feed");
        t.setDaemon(true);
        return t;
    });

    private final UiTasks tasks;
    private final ConcurrentLinkedQueue<ProtocolEvent> pendingEvents = new ConcurrentLinkedQueue<>();
    private final Map<String, BankStatus> pendingStatus = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private volatile long lastDrainNanos;
    // UI thread only
    private final ArrayDeque<ProtocolEvent> history = new ArrayDeque<>();
    private final Map<String, BankStatus> statuses = new LinkedHashMap<>();

    public LiveFeed(UiTasks tasks) {
        this.tasks = tasks;
    }

    /** Listens to {@code monitor}, starting from what it already knows of each bank. */
    public static LiveFeed attach(ConsortiumMonitor monitor, UiTasks tasks) {
        LiveFeed f = new LiveFeed(tasks);
        monitor.connection().banks().forEach(b -> monitor.latest(b.id()).ifPresent(f::status));
        monitor.addListener(f);
        return f;
    }

    /** Adds a sink (UI thread): it first hears the current statuses and the history, then the news. */
    public void addSink(Sink s) {
        sinks.add(s);
        if (!statuses.isEmpty()) {
            s.statuses(new LinkedHashMap<>(statuses));
        }
        if (!history.isEmpty()) {
            s.events(new ArrayList<>(history));
        }
    }

    @Override
    public void status(BankStatus status) {
        pendingStatus.put(status.bank(), status);
        schedule();
    }

    @Override
    public void event(ProtocolEvent event) {
        pendingEvents.add(event);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastDrainNanos);
            TIMER.schedule(() -> tasks.onUi(this::drain), Math.max(0, DRAIN_MS - since), TimeUnit.MILLISECONDS);
        }
    }

    /** Hands everything pending to the sinks; runs on the UI thread (public for tests). */
    public void drain() {
        lastDrainNanos = System.nanoTime();
        scheduled.set(false);
        List<ProtocolEvent> batch = new ArrayList<>();
        ProtocolEvent e;
        while ((e = pendingEvents.poll()) != null) {
            batch.add(e);
        }
        Map<String, BankStatus> changed = new LinkedHashMap<>();
        for (String bank : List.copyOf(pendingStatus.keySet())) {
            BankStatus s = pendingStatus.remove(bank);
            if (s != null) {
                changed.put(bank, s);
            }
        }
        statuses.putAll(changed);
        for (ProtocolEvent x : batch) {
            history.addLast(x);
            if (history.size() > HISTORY) {
                history.pollFirst();
            }
        }
        for (Sink s : sinks) {
            if (!changed.isEmpty()) {
                s.statuses(changed);
            }
            if (!batch.isEmpty()) {
                s.events(batch);
            }
        }
    }
}
