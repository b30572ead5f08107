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

    private final BankMachine machine;
    private final ConcurrentHashMap<String, CompletableFuture<DecidedOperation>> waiters = new ConcurrentHashMap<>();

    public DecisionWaiters(BankMachine machine) {
        this.machine = machine;
        machine.onDecided(this::decided);
    }

    private void decided(String id, DecidedOperation d) {
        CompletableFuture<DecidedOperation> f = waiters.remove(id);
        if (f != null) {
            f.complete(d);
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
        CompletableFuture<DecidedOperation> f = waiters.computeIfAbsent(opId, k -> new CompletableFuture<>());
        d = machine.decided(opId);
        if (d.isPresent()) {
            waiters.remove(opId, f);
            f.complete(d.get());
            return d;
        }
        try {
            return Optional.of(f.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return machine.decided(opId); // the future stays for other waiters; the decision removes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
