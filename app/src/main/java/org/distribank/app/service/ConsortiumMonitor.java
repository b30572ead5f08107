package org.distribank.app.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distribank.app.client.AuditResult;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.EventStreamClient;
import org.distribank.app.client.OperatorClient;
import org.distribank.consortium.entity.ProtocolEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every bank of a connection: polls each bank's consortium view every {@code pollMs} (one
 * task per bank, so a bank that hangs delays only itself), follows each bank's event stream, and
 * keeps the events in an {@link EventLog}. Listeners are called on the monitor's threads.
 */
public final class ConsortiumMonitor implements AutoCloseable {

    /** What the monitor reports. Implementations hand the news to their own thread quickly. */
    public interface Listener {
        void status(BankStatus status);

        default void event(ProtocolEvent event) {
        }

        default void streamConnected(String bank, boolean connected) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsortiumMonitor.class);

    private final ConsortiumConnection connection;
    private final long pollMs;
    private final EventLog log;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, BankStatus> latest = new ConcurrentHashMap<>();
    private final List<EventStreamClient> streams = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService pollers;

    public ConsortiumMonitor(ConsortiumConnection connection, long pollMs, int eventsPerBank) {
        this.connection = connection;
        this.pollMs = pollMs;
        this.log = new EventLog(eventsPerBank);
    }

    public ConsortiumConnection connection() {
        return connection;
    }

    public EventLog eventLog() {
        return log;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    public Optional<BankStatus> latest(String bank) {
        return Optional.ofNullable(latest.get(bank));
    }

    public synchronized void start() {
        if (pollers != null) {
            return;
        }
        List<BankRef> banks = connection.banks();
        pollers = Executors.newScheduledThreadPool(banks.size(), r -> {
            Thread t = new Thread(r, "monitor");
            t.setDaemon(true);
            return t;
        });
        for (BankRef b : banks) {
            pollers.scheduleWithFixedDelay(() -> poll(b), 0, pollMs, TimeUnit.MILLISECONDS);
            connection.operator(b.id()).ifPresent(op -> streams.add(new EventStreamClient(op, this::onEvent,
                    up -> listeners.forEach(l -> l.streamConnected(b.id(), up)))));
        }
    }

    private void onEvent(ProtocolEvent e) {
        log.add(e);
        listeners.forEach(l -> l.event(e));
    }

    /** Polls bank {@code b} now (also run by the schedule). Never throws. */
    public void poll(BankRef b) {
        BankStatus s;
        Optional<OperatorClient> op = connection.operator(b.id());
        try {
            if (!connection.bankRunning(b.id())) {
                s = new BankStatus(b.id(), false, null, BankStatus.STOPPED, System.currentTimeMillis());
            } else if (op.isPresent()) {
                s = new BankStatus(b.id(), true, op.get().consortium(), null, System.currentTimeMillis());
            } else {
                boolean up = new OperatorClient(b.id(), b.url(), null).healthy();
                s = new BankStatus(b.id(), up, null, up ? null : "not answering", System.currentTimeMillis());
            }
        } catch (BankApiException e) {
            s = new BankStatus(b.id(), false, null, e.getMessage(), System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.debug("poll of {} failed", b.id(), e);
            s = new BankStatus(b.id(), false, null, String.valueOf(e.getMessage()), System.currentTimeMillis());
        }
        latest.put(b.id(), s);
        BankStatus fin = s;
        listeners.forEach(l -> l.status(fin));
    }

    /** An audit through the first bank that answers; throws when none does. */
    public AuditResult audit() {
        BankApiException last = new BankApiException(0, "NO_TOKEN", "An audit needs the operator token.");
        for (BankRef b : connection.banks()) {
            Optional<OperatorClient> op = connection.operator(b.id());
            if (op.isEmpty() || !connection.bankRunning(b.id())) {
                continue;
            }
            try {
                return op.get().audit();
            } catch (BankApiException e) {
                last = e;
            }
        }
        throw last;
    }

    @Override
    public synchronized void close() {
        streams.forEach(EventStreamClient::close);
        streams.clear();
        if (pollers != null) {
            pollers.shutdownNow();
            pollers = null;
        }
    }
}
