package org.distribank.bank.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows how far each other bank's data server holds the common delivery order ("applied position"), so that
 * the origin of a transaction can tell when a leg bank has it durable without one HTTP call per transaction.
 * Delivery positions are the same at every bank (one total order), and a bank's applier writes in delivery
 * order, so "bank X applied position &ge; p" means X decided the operation at p and wrote it to its data server.
 *
 * <p>Per other bank, one poller thread keeps at most one long poll open
 * ({@code GET /peer/v1/bank/applied-position?atLeast=P}), and only while someone waits: {@code P} is the
 * smallest position waited for, the answer is the position reached, which wakes every waiter up to it at once.
 * Under load one answer serves many transactions. A failed poll is retried with backoff; waiters are bounded by
 * their own timeout (the caller then answers 202 PENDING). The known position only grows: what a data server
 * acknowledged stays durable, even if that bank restarts and reports a lower position while it replays.
 */
public final class AppliedTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedTracker.class);
    private static final long POLL_WAIT_MS = 5_000;

    /** Asks {@code bank} for its applied position once it reaches {@code atLeast} (bounded wait); -1 on failure. */
    @FunctionalInterface
    public interface Poll {
        long appliedPosition(String bank, long atLeast, long waitMs);
    }

    private final Poll poll;
    private final Map<String, Follower> followers = new HashMap<>();
    private volatile boolean running = true;

    public AppliedTracker(List<String> otherBanks, Poll poll) {
        this.poll = poll;
        for (String b : otherBanks) {
            followers.put(b, new Follower(b));
        }
    }

    public static AppliedTracker of(List<String> otherBanks, PeerBankClient client) {
        return new AppliedTracker(otherBanks, client::appliedPosition);
    }

    /** Waits (bounded) until {@code bank}'s data server holds everything up to {@code position}. */
    public boolean awaitApplied(String bank, long position, long timeoutMs) {
        Follower f = followers.get(bank);
        return f != null && f.await(position, timeoutMs);
    }

    /** The highest position {@code bank} reported durable so far (0 before its first answer). */
    public long known(String bank) {
        Follower f = followers.get(bank);
        return f == null ? 0 : f.known;
    }

    @Override
    public void close() {
        running = false;
        followers.values().forEach(Follower::stop);
    }

    private final class Follower implements Runnable {
        private final String bank;
        private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>(); // guarded by this
        private volatile long known;
        private Thread thread; // guarded by this, started at the first wait

        Follower(String bank) {
            this.bank = bank;
        }

        boolean await(long position, long timeoutMs) {
            if (known >= position) {
                return true;
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (this) {
                if (known >= position) {
                    return true;
                }
                if (!running) {
                    return false;
                }
                waiters.computeIfAbsent(position, p -> new ArrayList<>()).add(f);
                if (thread == null) {
                    thread = new Thread(this, "applied-tracker-" + bank);
                    thread.setDaemon(true);
                    thread.start();
                }
                notifyAll(); // the poller, if idle (the only thread that waits on this monitor)
            }
            try {
                f.get(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                synchronized (this) {
                    List<CompletableFuture<Void>> l = waiters.get(position);
                    if (l != null && l.remove(f) && l.isEmpty()) {
                        waiters.remove(position);
                    }
                }
                return known >= position;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return known >= position;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void run() {
            long backoff = 20;
            while (running) {
                long target;
                synchronized (this) {
                    while (running && waiters.isEmpty()) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (!running) {
                        return;
                    }
                    target = waiters.firstKey();
                }
                long reached = poll.appliedPosition(bank, target, POLL_WAIT_MS);
                if (reached < 0) {
                    LOG.debug("bank {} did not answer its applied position; retrying in {} ms", bank, backoff);
                    synchronized (this) {
                        try {
                            wait(backoff); // backoff between polls of an unreachable bank
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    backoff = Math.min(backoff * 2, 1_000);
                    continue;
                }
                backoff = 20;
                advance(reached);
            }
        }

        private void advance(long reached) {
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            synchronized (this) {
                if (reached > known) {
                    known = reached;
                }
                NavigableMap<Long, List<CompletableFuture<Void>>> due = waiters.headMap(known, true);
                due.values().forEach(ready::addAll);
                due.clear();
            }
            ready.forEach(w -> w.complete(null));
        }

        void stop() {
            Thread t;
            synchronized (this) {
                t = thread;
                notifyAll();
            }
            if (t != null) {
                t.interrupt();
            }
        }
    }
}
