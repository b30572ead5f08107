package org.distribank.dataserver.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Account locks with leases, in memory. A lease ends by itself, so a business server that vanishes
 * never blocks an account for longer than its lease. Locks are deliberately not persisted: after a
 * data server restart every account is unlocked (a holder renews, or its lease would have ended anyway).
 * Expiry is checked lazily on every access; an expired lease is the same as no lease.
 */
public final class LockTable {

    /** The outcome of {@link #acquire}: granted or not, and the owner and remaining lease as they now stand. */
    public record Outcome(boolean granted, String owner, long leaseMs) {
    }

    private record Lease(String owner, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public LockTable() {
        this(System::nanoTime);
    }

    LockTable(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Takes or renews the lock for {@code owner}; refused while another owner's lease is running. */
    public Outcome acquire(String business, String account, String owner, long leaseMs) {
        long now = nanoClock.getAsLong();
        Lease after = leases.compute(key(business, account), (k, current) -> {
            if (current == null || expired(current, now) || current.owner.equals(owner)) {
                return new Lease(owner, now + leaseMs * 1_000_000L);
            }
            return current;
        });
        return new Outcome(after.owner.equals(owner), after.owner, remainingMs(after, now));
    }

    /** Released, or not held at all; {@link HeldByOther} when another owner's lease is running. */
    public void release(String business, String account, String owner) {
        long now = nanoClock.getAsLong();
        Lease[] other = new Lease[1];
        leases.compute(key(business, account), (k, current) -> {
            if (current == null || expired(current, now) || current.owner.equals(owner)) {
                return null;
            }
            other[0] = current;
            return current;
        });
        if (other[0] != null) {
            throw new HeldByOther(other[0].owner, remainingMs(other[0], now));
        }
    }

    /** The owner of a running lease if it is not {@code owner}, else null. */
    public Outcome heldByOther(String business, String account, String owner) {
        Lease current = leases.get(key(business, account));
        long now = nanoClock.getAsLong();
        if (current == null || expired(current, now) || current.owner.equals(owner)) {
            return null;
        }
        return new Outcome(false, current.owner, remainingMs(current, now));
    }

    private static boolean expired(Lease lease, long now) {
        return now - lease.expiresAtNanos >= 0;
    }

    private static long remainingMs(Lease lease, long now) {
        return Math.max(0, (lease.expiresAtNanos - now) / 1_000_000L);
    }

    private static String key(String business, String account) {
        return business + '\u0000' + account;
    }

    /** Thrown when an owner tries to release a lock another owner holds. */
    public static final class HeldByOther extends RuntimeException {
        private final String owner;
        private final long leaseMs;

        HeldByOther(String owner, long leaseMs) {
            super("held by " + owner, null, false, false);
            this.owner = owner;
            this.leaseMs = leaseMs;
        }

        public String owner() {
            return owner;
        }

        public long leaseMs() {
            return leaseMs;
        }
    }
}
