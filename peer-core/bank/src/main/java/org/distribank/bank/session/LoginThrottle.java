package org.distribank.bank.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.distribank.bank.BankLimits;
import org.distribank.common.ApiException;

/**
 * Failed sign-ins, counted per (username, client address), per username and per client address. An attempt is
 * <em>reserved</em> before the password is checked (counted as a failure at once, atomically), so parallel
 * guesses cannot all slip past the count while bcrypt runs; a success gives its reservation back. A count that
 * reaches its limit locks that key for {@code loginLockout}. Records expire by themselves and the tables are
 * bounded (Caffeine), so invented usernames cannot grow memory.
 */
public final class LoginThrottle {

    /** Failures in the current window; {@code lockedUntil} once the limit was reached. */
    private record Count(int failures, Instant windowEnd, Instant lockedUntil) {
    }

    /** What {@link #reserve} took, to be settled by {@link #succeeded} or {@link #failed}. */
    record Reservation(String userAddress, String user, String address) {
    }

    private final BankLimits limits;
    private final Clock clock;
    private final Cache<String, Count> counts;

    LoginThrottle(BankLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        // the Clock decides (tests move it); Caffeine's own expiry only bounds how long a stale record stays
        this.counts = Caffeine.newBuilder().maximumSize(limits.maxTrackedKeys())
                .expireAfterWrite(limits.loginLockout().multipliedBy(2)).build();
    }

    /** Counts an attempt before its password is checked, or 429 TOO_MANY_ATTEMPTS (with a Retry-After) if any key is locked. */
    Reservation reserve(String username, String address) {
        Instant now = clock.instant();
        String ua = "ua\n" + username + "\n" + address;
        String u = limits.loginFailuresPerUser() > 0 ? "u\n" + username : null;
        String a = limits.loginFailuresPerAddress() > 0 ? "a\n" + address : null;
        // check every key before taking any, so a refused attempt counts nowhere
        Instant until = latest(locked(ua, now), u == null ? null : locked(u, now), a == null ? null : locked(a, now));
        if (until != null) {
            throw tooMany(now, until);
        }
        Instant refused = take(ua, limits.loginFailuresPerUserAddress(), now);
        if (refused == null && u != null) {
            refused = take(u, limits.loginFailuresPerUser(), now);
            if (refused != null) {
                giveBack(ua);
            }
        }
        if (refused == null && a != null) {
            refused = take(a, limits.loginFailuresPerAddress(), now);
            if (refused != null) {
                giveBack(ua);
                if (u != null) {
                    giveBack(u);
                }
            }
        }
        if (refused != null) {
            throw tooMany(now, refused);
        }
        return new Reservation(ua, u, a);
    }

    /**
     * The password was right: this (username, address) starts again; elsewhere only this attempt is given back
     * (a guesser's failures from other addresses stay counted, or each sign-in of the victim would reset them).
     */
    void succeeded(Reservation r) {
        counts.invalidate(r.userAddress());
        if (r.user() != null) {
            giveBack(r.user());
        }
        if (r.address() != null) {
            giveBack(r.address());
        }
    }

    /** The password could not be checked (data server unreachable): the attempt counts nowhere. */
    void cancel(Reservation r) {
        giveBack(r.userAddress());
        if (r.user() != null) {
            giveBack(r.user());
        }
        if (r.address() != null) {
            giveBack(r.address());
        }
    }

    /** The password was wrong: the reserved failure stays counted. */
    void failed(Reservation r) {
        // nothing to do: reserve() already counted it, and locked the key if that was the last allowed
    }

    private Instant locked(String key, Instant now) {
        Count c = counts.getIfPresent(key);
        return c != null && c.lockedUntil() != null && now.isBefore(c.lockedUntil()) ? c.lockedUntil() : null;
    }

    /** Counts one failure on {@code key}; the time it is locked until when the limit was already reached, else null. */
    private Instant take(String key, int limit, Instant now) {
        Instant[] refused = new Instant[1];
        counts.asMap().compute(key, (k, old) -> {
            Count c = old;
            if (c != null && !now.isBefore(c.lockedUntil() != null ? c.lockedUntil() : c.windowEnd())) {
                c = null; // the window (or the lock) is over
            }
            if (c == null) {
                c = new Count(0, now.plus(limits.loginLockout()), null);
            }
            if (c.lockedUntil() != null || c.failures() >= limit) {
                Instant until = c.lockedUntil() != null ? c.lockedUntil() : now.plus(limits.loginLockout());
                refused[0] = until;
                return new Count(c.failures(), c.windowEnd(), until);
            }
            int n = c.failures() + 1;
            // the last allowed attempt locks the key: whatever it turns out to be, the next one waits
            return new Count(n, c.windowEnd(), n >= limit ? now.plus(limits.loginLockout()) : null);
        });
        return refused[0];
    }

    private void giveBack(String key) {
        counts.asMap().computeIfPresent(key, (k, c) -> c.failures() <= 1 ? null
                : new Count(c.failures() - 1, c.windowEnd(), null));
    }

    /** Records held now (for the bounded-memory test). */
    long size() {
        counts.cleanUp();
        return counts.estimatedSize();
    }

    private static Instant latest(Instant... times) {
        Instant max = null;
        for (Instant t : times) {
            if (t != null && (max == null || t.isAfter(max))) {
                max = t;
            }
        }
        return max;
    }

    static ApiException tooMany(Instant now, Instant until) {
        long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
        return tooManyRequests("TOO_MANY_ATTEMPTS", "Too many failed sign-ins: try again in " + seconds + " s.",
                seconds);
    }

    /** A 429 whose body carries {@code retryAfter} (seconds); the bank's error handler copies it to Retry-After. */
    public static ApiException tooManyRequests(String code, String message, long retryAfterSeconds) {
        JsonObject extra = new JsonObject();
        extra.addProperty("retryAfter", retryAfterSeconds);
        return new ApiException(429, code, message, extra);
    }
}
