package org.distribank.consortium.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats and a timeout failure detector. Every {@code heartbeatMs} this peer sends a heartbeat
 * to every other; any sign of life (a heartbeat in, an answer, a link batch) refreshes
 * {@code lastSeen}. A peer silent for {@code offlineMs} is offline until heard from again.
 * At {@link #start()} every peer gets a grace period of {@code offlineMs}.
 */
public final class FailureDetector implements AutoCloseable {

    /** Told about every up/down change. */
    public interface Listener {
        void changed(String peer, boolean online);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FailureDetector.class);

    private final String self;
    private final List<String> others;
    private final long heartbeatMs;
    private final long offlineMs;
    private final Transport transport;
    private final Listener listener;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Boolean> online = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;
    private volatile boolean paused;

    public FailureDetector(String self, List<String> peerIds, long heartbeatMs, long offlineMs, Transport transport,
                           Listener listener) {
        this.self = self;
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
        this.heartbeatMs = heartbeatMs;
        this.offlineMs = offlineMs;
        this.transport = transport;
        this.listener = listener;
        long now = System.currentTimeMillis();
        for (String p : others) {
            lastSeen.put(p, now);
            online.put(p, true);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fd-" + self));
        this.senders = Executors.newCachedThreadPool(r -> daemon(r, "heartbeat-" + self));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() {
        // the grace period runs from here, not from construction (a node may be built long before
        // it starts, e.g. while the other peers of an in-process consortium are being built)
        long now = System.currentTimeMillis();
        others.forEach(p -> lastSeen.put(p, now));
        try {
            timer.scheduleAtFixedRate(this::beat, 0, heartbeatMs, TimeUnit.MILLISECONDS);
            long check = Math.max(10, Math.min(heartbeatMs, offlineMs) / 4);
            timer.scheduleAtFixedRate(this::check, check, check, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // its node stopped while starting (a fail-stop on its first frames, closing this): nothing to detect
        }
    }

    private void beat() {
        if (paused) {
            return;
        }
        for (String p : others) {
            if (!inFlight.add(p)) {
                continue; // the previous heartbeat to p is still waiting: do not pile up
            }
            senders.execute(() -> {
                try {
                    transport.heartbeat(p, self);
                    touch(p);
                } catch (Exception e) {
                    LOG.trace("heartbeat {} -> {} failed: {}", self, p, e.getMessage());
                } finally {
                    inFlight.remove(p);
                }
            });
        }
    }

    private void check() {
        if (paused) {
            return;
        }
        long now = System.currentTimeMillis();
        for (String p : others) {
            if (now - lastSeen.get(p) > offlineMs && online.replace(p, true, false)) {
                LOG.info("{}: peer {} is offline (silent {} ms)", self, p, now - lastSeen.get(p));
                listener.changed(p, false);
            }
        }
    }

    /** A sign of life from {@code peer}. */
    public void touch(String peer) {
        if (paused) {
            return; // a paused peer hears nothing
        }
        Long prev = lastSeen.get(peer);
        if (prev == null) {
            return;
        }
        lastSeen.put(peer, System.currentTimeMillis());
        if (online.replace(peer, false, true)) {
            LOG.info("{}: peer {} is back online", self, peer);
            listener.changed(peer, true);
        }
    }

    public boolean isOnline(String peer) {
        return online.getOrDefault(peer, true);
    }

    public long lastSeenMs(String peer) {
        return lastSeen.getOrDefault(peer, 0L);
    }

    public List<String> offlinePeers() {
        List<String> off = new ArrayList<>();
        for (String p : others) {
            if (!online.get(p)) {
                off.add(p);
            }
        }
        return off;
    }

    /** Paused: sends no heartbeats and judges nobody (as a SIGSTOPped process would). */
    public void setPaused(boolean paused) {
        if (!paused) {
            long now = System.currentTimeMillis();
            others.forEach(p -> lastSeen.put(p, now));
        }
        this.paused = paused;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdownNow();
    }
}
