package org.distribank.bank;

import com.google.gson.JsonObject;
import java.time.Duration;

/**
 * What one client may ask of a bank: body size, sign-in attempts, request rates, sessions. {@link #production()}
 * is the default of {@link BankOptions}; values and reasons are in peer-core/BANK.md ("Limits"). A rate or a
 * count of 0 turns that limit off.
 */
public final class BankLimits {

    /** Largest request body on customer and anonymous routes (the peer routes keep the protocol's own limit). */
    public long maxBodyBytes = 1L << 20;
    /** Failed sign-ins of one username from one client address before that pair is refused for {@link #loginLockout}. */
    public int loginFailuresPerUserAddress = 5;
    /** Failed sign-ins of one username from every address together (slows guessing from many addresses). */
    public int loginFailuresPerUser = 20;
    /** Failed sign-ins from one client address, whatever the username (stops spraying invented usernames). */
    public int loginFailuresPerAddress = 50;
    /** How long failures are remembered, and how long a lock lasts once a count is reached. */
    public Duration loginLockout = Duration.ofMinutes(15);
    /** Requests per second of one session on the customer API (0: off). */
    public int requestsPerSecondPerSession = 20;
    /** Requests per second from one client address on the customer API (0: off). */
    public int requestsPerSecondPerAddress = 200;
    /** Account openings (POST /api/v1/accounts) per hour from one client address (0: off). */
    public int accountOpeningsPerHourPerAddress = 30;
    /** Live sessions of one user; signing in once more ends the oldest. */
    public int maxSessionsPerUser = 10;
    /** How often expired sessions are dropped from memory. */
    public Duration sessionSweepPeriod = Duration.ofSeconds(30);
    /** How long an expired session is still recognised (answered SESSION_EXPIRED rather than UNAUTHORIZED). */
    public Duration sessionExpiredGrace = Duration.ofMinutes(1);
    /** Upper bound of the in-memory tables behind these limits (failure records, rate limiters), each. */
    public int maxTrackedKeys = 100_000;

    public static BankLimits production() {
        return new BankLimits();
    }

    /**
     * For a consortium on one machine driven by tests and benchmarks (many clients from 127.0.0.1): no request
     * rate limits and no per-address sign-in limit; the per-username lockout and body limit stay.
     */
    public static BankLimits loopback() {
        BankLimits l = new BankLimits();
        l.requestsPerSecondPerSession = 0;
        l.requestsPerSecondPerAddress = 0;
        l.accountOpeningsPerHourPerAddress = 0;
        l.loginFailuresPerAddress = 0;
        l.loginFailuresPerUser = 0;
        l.loginLockout = Duration.ofMinutes(1);
        return l;
    }

    public void validate() {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("limits.maxBodyBytes must be at least 1024");
        }
        if (loginFailuresPerUserAddress < 1) {
            throw new IllegalArgumentException("limits.loginFailuresPerUserAddress must be at least 1");
        }
        if (loginFailuresPerUser < 0 || loginFailuresPerAddress < 0 || requestsPerSecondPerSession < 0
                || requestsPerSecondPerAddress < 0 || accountOpeningsPerHourPerAddress < 0) {
            throw new IllegalArgumentException("limits: counts and rates are 0 (off) or more");
        }
        if (maxSessionsPerUser < 1 || maxTrackedKeys < 100) {
            throw new IllegalArgumentException("limits.maxSessionsPerUser >= 1 and limits.maxTrackedKeys >= 100");
        }
        if (loginLockout.isNegative() || loginLockout.isZero() || sessionSweepPeriod.isNegative()
                || sessionSweepPeriod.isZero() || sessionExpiredGrace.isNegative()) {
            throw new IllegalArgumentException("limits: durations must be positive");
        }
    }

    public BankLimits copy() {
        BankLimits l = new BankLimits();
        l.maxBodyBytes = maxBodyBytes;
        l.loginFailuresPerUserAddress = loginFailuresPerUserAddress;
        l.loginFailuresPerUser = loginFailuresPerUser;
        l.loginFailuresPerAddress = loginFailuresPerAddress;
        l.loginLockout = loginLockout;
        l.requestsPerSecondPerSession = requestsPerSecondPerSession;
        l.requestsPerSecondPerAddress = requestsPerSecondPerAddress;
        l.accountOpeningsPerHourPerAddress = accountOpeningsPerHourPerAddress;
        l.maxSessionsPerUser = maxSessionsPerUser;
        l.sessionSweepPeriod = sessionSweepPeriod;
        l.sessionExpiredGrace = sessionExpiredGrace;
        l.maxTrackedKeys = maxTrackedKeys;
        return l;
    }

    /** The config file's {@code "limits"} object (every field optional; durations in seconds). */
    public static BankLimits fromJson(JsonObject o) {
        BankLimits l = production();
        if (o == null) {
            return l;
        }
        if (o.has("maxBodyBytes")) {
            l.maxBodyBytes = o.get("maxBodyBytes").getAsLong();
        }
        if (o.has("loginFailuresPerUserAddress")) {
            l.loginFailuresPerUserAddress = o.get("loginFailuresPerUserAddress").getAsInt();
        }
        if (o.has("loginFailuresPerUser")) {
            l.loginFailuresPerUser = o.get("loginFailuresPerUser").getAsInt();
        }
        if (o.has("loginFailuresPerAddress")) {
            l.loginFailuresPerAddress = o.get("loginFailuresPerAddress").getAsInt();
        }
        if (o.has("loginLockoutSeconds")) {
            l.loginLockout = Duration.ofSeconds(o.get("loginLockoutSeconds").getAsLong());
        }
        if (o.has("requestsPerSecondPerSession")) {
            l.requestsPerSecondPerSession = o.get("requestsPerSecondPerSession").getAsInt();
        }
        if (o.has("requestsPerSecondPerAddress")) {
            l.requestsPerSecondPerAddress = o.get("requestsPerSecondPerAddress").getAsInt();
        }
        if (o.has("accountOpeningsPerHourPerAddress")) {
            l.accountOpeningsPerHourPerAddress = o.get("accountOpeningsPerHourPerAddress").getAsInt();
        }
        if (o.has("maxSessionsPerUser")) {
            l.maxSessionsPerUser = o.get("maxSessionsPerUser").getAsInt();
        }
        if (o.has("sessionSweepSeconds")) {
            l.sessionSweepPeriod = Duration.ofSeconds(o.get("sessionSweepSeconds").getAsLong());
        }
        if (o.has("maxTrackedKeys")) {
            l.maxTrackedKeys = o.get("maxTrackedKeys").getAsInt();
        }
        return l;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("maxBodyBytes", maxBodyBytes);
        o.addProperty("loginFailuresPerUserAddress", loginFailuresPerUserAddress);
        o.addProperty("loginFailuresPerUser", loginFailuresPerUser);
        o.addProperty("loginFailuresPerAddress", loginFailuresPerAddress);
        o.addProperty("loginLockoutSeconds", loginLockout.toSeconds());
        o.addProperty("requestsPerSecondPerSession", requestsPerSecondPerSession);
        o.addProperty("requestsPerSecondPerAddress", requestsPerSecondPerAddress);
        o.addProperty("accountOpeningsPerHourPerAddress", accountOpeningsPerHourPerAddress);
        o.addProperty("maxSessionsPerUser", maxSessionsPerUser);
        o.addProperty("sessionSweepSeconds", sessionSweepPeriod.toSeconds());
        o.addProperty("maxTrackedKeys", maxTrackedKeys);
        return o;
    }
}
