package org.distribank.bank.execution;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * API threads waiting (bounded) for an operation to be decided at this bank. A waiter parks on the operation's own
 * future, completed when the machine decides it ({@link BankMachine#onDecided}), so a decision wakes only the
 * threads waiting for that operation. Kept out of {@link BankMachine}, which stays single-threaded logic.
 */
public final class DecisionWaiters {

    /** One operation's future and how many threads wait on it (guarded by the map's compute). */
    private static final class Waiting {
        final CompletableFuture<DecidedOperation> future = new CompletableFuture<>();
        int threads;
    }

    private final BankMachine machine;
    /**
     * Only while a thread waits: the last waiter to time out removes the entry, so ids never decided leave nothing
     * behind and the map is bounded by the threads waiting (the HTTP server's pool).
     */
    private final ConcurrentHashMap<String, Waiting> waiters = new ConcurrentHashMap<>();

    public DecisionWaiters(BankMachine machine) {
        this.machine = machine;
        machine.onDecided(this::decided);
    }

    private void decided(String id, DecidedOperation d) {
        Waiting w = waiters.remove(id);
        if (w != null) {
            w.future.complete(d);
        }
    }

    /**
     * The decision of {@code opId} here, waiting up to {@code timeoutMs} for it. The future is registered before
     * the machine is read, and the machine records a decision before telling this class: a decision is never
     * missed.
     */
    public Optional<DecidedOperation> await(String opId, long timeoutMs) {
        Optional<DecidedOperation> d = machine.decided(opId);
        if (d.isPresent() || timeoutMs <= 0) {
            return d;
        }
        Waiting w = waiters.compute(opId, (k, v) -> {
            Waiting x = v == null ? new Waiting() : v;
            x.threads++;
            return x;
        });
        try {
            d = machine.decided(opId);
            if (d.isPresent()) {
                return d;
            }
            return Optional.of(w.future.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return machine.decided(opId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            waiters.computeIfPresent(opId, (k, v) -> v != w || --v.threads > 0 ? v : null);
        }
    }

    /** Operations some thread waits for now. */
    public int size() {
        return waiters.size();
    }
}
