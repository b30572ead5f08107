package org.distribank.bank.session;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.BankLimits;
import org.distribank.bank.account.Passwords;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.common.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in, sessions and the failed-login limits. Sessions live in memory (a restart signs everyone out,
 * BANK.md). Tokens: 32 random bytes, URL-safe base64. Unknown user and wrong password give the same 401 after
 * the same bcrypt work; failed attempts are limited by {@link LoginThrottle} (reserved before bcrypt). Expired
 * sessions are dropped by a timer and a user keeps at most {@code maxSessionsPerUser} (the oldest goes first),
 * so memory is bounded by the users signed in.
 */
public final class SessionService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final LedgerClient ledger;
    private final Passwords passwords;
    private final Duration ttl;
    private final Clock clock;
    private final BankLimits limits;
    private final LoginThrottle throttle;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Tokens of each username, oldest first; changed only inside {@code byUser.compute} for that username. */
    private final ConcurrentHashMap<String, ArrayDeque<String>> byUser = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public SessionService(LedgerClient ledger, Passwords passwords, Duration ttl, Clock clock) {
        this(ledger, passwords, ttl, clock, BankLimits.production());
    }

    public SessionService(LedgerClient ledger, Passwords passwords, Duration ttl, Clock clock, BankLimits limits) {
        this.ledger = ledger;
        this.passwords = passwords;
        this.ttl = ttl;
        this.clock = clock;
        this.limits = limits;
        this.throttle = new LoginThrottle(limits, clock);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = limits.sessionSweepPeriod().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Signs in from {@code address} (the client's IP), or 400/401/429. */
    public Session login(String username, String password, String address) {
        // bcrypt reads 72 bytes at most and the strict verifier throws beyond: refuse before anything else,
        // the same way whatever the username (no lookup, no count)
        if (password.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ApiException.badRequest("PASSWORD_TOO_LONG", "A password is at most 72 bytes (UTF-8).");
        }
        LoginThrottle.Reservation reservation = throttle.reserve(username, address);
        boolean ok = false;
        boolean checked = false;
        Optional<JsonObject> customer = Optional.empty();
        try {
            customer = ledger.customerByUsername(username);
            if (customer.isEmpty()) {
                passwords.dummyCheck(password);
            } else {
                ok = passwords.matches(password, customer.get().get("password_hash").getAsString());
            }
            checked = true;
        } finally {
            if (!checked) {
                throttle.cancel(reservation); // e.g. the data server is down: not the client's failure
            } else if (ok) {
                throttle.succeeded(reservation);
            } else {
                throttle.failed(reservation);
            }
        }
        if (!ok) {
            throw new ApiException(401, "BAD_CREDENTIALS", "Wrong username or password.");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        JsonObject c = customer.get();
        Session s = new Session(token, c.get("cpf").getAsString(), c.get("name").getAsString(), username,
                clock.instant().plus(ttl));
        sessions.put(token, s);
        byUser.compute(username, (u, tokens) -> {
            ArrayDeque<String> q = tokens == null ? new ArrayDeque<>() : tokens;
            q.addLast(token);
            while (q.size() > limits.maxSessionsPerUser()) {
                sessions.remove(q.pollFirst()); // the oldest session of this user ends
            }
            return q;
        });
        return s;
    }

    /** The live session of an {@code Authorization: Bearer} header, or 401. */
    public Session authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            throw new ApiException(401, "UNAUTHORIZED", "Sign in first: send Authorization: Bearer <token>.");
        }
        String token = authorizationHeader.substring("Bearer ".length()).strip();
        Session s = sessions.get(token);
        if (s == null) {
            throw new ApiException(401, "UNAUTHORIZED", "The session token is unknown, expired or was signed out.");
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            throw new ApiException(401, "SESSION_EXPIRED", "The session expired: sign in again.");
        }
        return s;
    }

    public void logout(Session s) {
        drop(s);
    }

    /** Drops sessions expired for longer than the grace period (so a late request still hears SESSION_EXPIRED). */
    public void sweep() {
        try {
            Instant cutoff = clock.instant().minus(limits.sessionExpiredGrace());
            for (Session s : sessions.values()) {
                if (!cutoff.isBefore(s.expiresAt())) {
                    drop(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("session sweep failed", e); // keep the timer alive
        }
    }

    private void drop(Session s) {
        sessions.remove(s.token(), s);
        byUser.computeIfPresent(s.username(), (u, q) -> {
            q.remove(s.token());
            return q.isEmpty() ? null : q;
        });
    }

    /** Sessions held in memory, expired ones not yet swept included. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Failed-login records held in memory. */
    public long failureRecords() {
        return throttle.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
