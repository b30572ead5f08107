package org.distribank.app.service.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.ConsortiumMonitor;
import org.distribank.consortium.entity.ProtocolEvent;

/**
 * The protocol events of the scenario being run: from the moment it began, those of its own operations and those
 * of no operation (ACKs, links, views, peers up and down), so other traffic (the overview's audits, a load run)
 * stays out of its diagram. Waiters are woken on every event kept.
 */
final class ScenarioEvents implements ConsortiumMonitor.Listener {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ProtocolEvent> events = new ArrayList<>();
    private final Set<String> ops = ConcurrentHashMap.newKeySet();
    private volatile long sinceMs = Long.MAX_VALUE;

    /** Starts a new recording: nothing kept before now. */
    void begin() {
        lock.lock();
        try {
            events.clear();
            ops.clear();
            sinceMs = System.currentTimeMillis();
        } finally {
            lock.unlock();
        }
    }

    /** Stops recording (a scenario reset). */
    void stop() {
        begin();
        sinceMs = Long.MAX_VALUE;
    }

    /** Keeps the events of operation {@code id} from now on (registered before it is submitted). */
    void follow(String id) {
        ops.add(id);
    }

    @Override
    public void status(BankStatus status) {
        // polls are read by the steps themselves, when they need them
    }

    @Override
    public void event(ProtocolEvent e) {
        if (e.timeMs() < sinceMs || (e.opId() != null && !ops.contains(e.opId()))) {
            return;
        }
        lock.lock();
        try {
            events.add(e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<ProtocolEvent> snapshot() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for a new event (a step's condition is then checked again). */
    void awaitChange(long millis) throws InterruptedException {
        lock.lock();
        try {
            changed.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }
}
