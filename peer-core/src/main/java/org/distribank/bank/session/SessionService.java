package org.distribank.bank.session;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.distribank.bank.account.Passwords;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.common.ApiException;

/**
 * Sign-in, sessions and the failed-login limit. Sessions live in memory (a restart signs everyone out,
 * BANK.md). Tokens: 32 random bytes, URL-safe base64. Unknown user and wrong password give the same 401 after
 * the same bcrypt work; five failures for a username lock it for a minute (429).
 */
public final class SessionService {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(1);

    private final LedgerClient ledger;
    private final Passwords passwords;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant lockedUntil) {
    }

    public SessionService(LedgerClient ledger, Passwords passwords, Duration ttl, Clock clock) {
        this.ledger = ledger;
        this.passwords = passwords;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Session login(String username, String password) {
        Instant now = clock.instant();
        Failures f = failures.get(username);
        if (f != null && f.lockedUntil() != null) {
            if (now.isBefore(f.lockedUntil())) {
                throw new ApiException(429, "TOO_MANY_ATTEMPTS",
                        "Too many failed sign-ins for this username: try again in a minute.");
            }
            failures.remove(username, f);
        }
        Optional<JsonObject> customer = ledger.customerByUsername(username);
        boolean ok;
        if (customer.isEmpty()) {
            passwords.dummyCheck(password);
            ok = false;
        } else {
            ok = passwords.matches(password, customer.get().get("password_hash").getAsString());
        }
        if (!ok) {
            failures.compute(username, (u, old) -> {
                int count = old == null ? 1 : old.count() + 1;
                return new Failures(count, count >= MAX_FAILURES ? now.plus(LOCKOUT) : null);
            });
            throw new ApiException(401, "BAD_CREDENTIALS", "Wrong username or password.");
        }
        failures.remove(username);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        JsonObject c = customer.get();
        Session s = new Session(token, c.get("cpf").getAsString(), c.get("name").getAsString(), username, now.plus(ttl));
        sessions.put(token, s);
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
            throw new ApiException(401, "UNAUTHORIZED", "The session token is unknown or was signed out.");
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            sessions.remove(token, s);
            throw new ApiException(401, "SESSION_EXPIRED", "The session expired: sign in again.");
        }
        return s;
    }

    public void logout(Session s) {
        sessions.remove(s.token());
    }
}
