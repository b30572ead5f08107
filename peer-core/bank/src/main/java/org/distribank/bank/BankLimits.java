package org.distribank.bank;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * What one client may ask of a bank: body size, sign-in attempts, request rates, sessions. An immutable, validated
 * record: {@link #production()} (the default of {@link BankOptions}) or {@link #loopback()}, changed with
 * {@link #toBuilder()}; values and reasons are in peer-core/BANK.md ("Limits"). A rate or a count of 0 turns that
 * limit off.
 *
 * @param maxBodyBytes                     largest request body on customer and anonymous routes (the peer routes
 *                                         keep the protocol's own limit)
 * @param loginFailuresPerUserAddress      failed sign-ins of one username from one client address before that
 *                                         pair is refused for {@code loginLockout}
 * @param loginFailuresPerUser             failed sign-ins of one username from every address together (slows
 *                                         guessing from many addresses)
 * @param loginFailuresPerAddress          failed sign-ins from one client address, whatever the username (stops
 *                                         spraying invented usernames)
 * @param loginLockout                     how long failures are remembered, and how long a lock lasts once a
 *                                         count is reached
 * @param requestsPerSecondPerSession      requests per second of one session on the customer API (0: off)
 * @param requestsPerSecondPerAddress      requests per second from one client address on the customer API (0: off)
 * @param accountOpeningsPerHourPerAddress account openings (POST /api/v1/accounts) per hour from one client
 *                                         address (0: off)
 * @param maxSessionsPerUser               live sessions of one user; signing in once more ends the oldest
 * @param sessionSweepPeriod               how often expired sessions are dropped from memory
 * @param sessionExpiredGrace              how long an expired session is still recognised (answered
 *                                         SESSION_EXPIRED rather than UNAUTHORIZED)
 * @param maxTrackedKeys                   upper bound of the in-memory tables behind these limits (failure
 *                                         records, rate limiters), each
 * @param maxFrameBytes                    the protocol's link frame bound (NodeOptions.maxFrameBytes): an
 *                                         operation that would not fit in one frame is refused with 413
 *                                         OPERATION_TOO_LARGE, nothing ordered
 * @param maxInFlight                      money operations of this bank's customers waiting for the consortium's
 *                                         decision at once (answered 202 or still waiting); past it a new one is
 *                                         refused with 429 TOO_MANY_IN_FLIGHT until decisions drain them
 */
public record BankLimits(
        long maxBodyBytes,
        int loginFailuresPerUserAddress,
        int loginFailuresPerUser,
        int loginFailuresPerAddress,
        Duration loginLockout,
        int requestsPerSecondPerSession,
        int requestsPerSecondPerAddress,
        int accountOpeningsPerHourPerAddress,
        int maxSessionsPerUser,
        Duration sessionSweepPeriod,
        Duration sessionExpiredGrace,
        int maxTrackedKeys,
        long maxFrameBytes,
        int maxInFlight) {

    public BankLimits {
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
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("limits.maxInFlight must be at least 1");
        }
        if (maxSessionsPerUser < 1 || maxTrackedKeys < 100) {
            throw new IllegalArgumentException("limits.maxSessionsPerUser >= 1 and limits.maxTrackedKeys >= 100");
        }
        Objects.requireNonNull(loginLockout, "limits.loginLockout");
        Objects.requireNonNull(sessionSweepPeriod, "limits.sessionSweepPeriod");
        Objects.requireNonNull(sessionExpiredGrace, "limits.sessionExpiredGrace");
        if (loginLockout.isNegative() || loginLockout.isZero() || sessionSweepPeriod.isNegative()
                || sessionSweepPeriod.isZero() || sessionExpiredGrace.isNegative()) {
            throw new IllegalArgumentException("limits: durations must be positive");
        }
        org.distribank.consortium.NodeOptions.checkFrameBytes(maxFrameBytes);
    }

    /** The production limits (the builder's defaults). */
    public static BankLimits production() {
        return builder().build();
    }

    /**
     * For a consortium on one machine driven by tests and benchmarks (many clients from 127.0.0.1): no request
     * rate limits and no per-address sign-in limit; the per-username lockout and body limit stay.
     */
    public static BankLimits loopback() {
        return builder()
                .requestsPerSecondPerSession(0)
                .requestsPerSecondPerAddress(0)
                .accountOpeningsPerHourPerAddress(0)
                .loginFailuresPerAddress(0)
                .loginFailuresPerUser(0)
                .loginLockout(Duration.ofMinutes(1))
                .build();
    }

    /** A builder starting from the production limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these limits. */
    public Builder toBuilder() {
        return new Builder()
                .maxBodyBytes(maxBodyBytes)
                .loginFailuresPerUserAddress(loginFailuresPerUserAddress)
                .loginFailuresPerUser(loginFailuresPerUser)
                .loginFailuresPerAddress(loginFailuresPerAddress)
                .loginLockout(loginLockout)
                .requestsPerSecondPerSession(requestsPerSecondPerSession)
                .requestsPerSecondPerAddress(requestsPerSecondPerAddress)
                .accountOpeningsPerHourPerAddress(accountOpeningsPerHourPerAddress)
                .maxSessionsPerUser(maxSessionsPerUser)
                .sessionSweepPeriod(sessionSweepPeriod)
                .sessionExpiredGrace(sessionExpiredGrace)
                .maxTrackedKeys(maxTrackedKeys)
                .maxFrameBytes(maxFrameBytes)
                .maxInFlight(maxInFlight);
    }

    /** The config file's {@code "limits"} object (every field optional; durations in seconds). */
    public static BankLimits fromJson(JsonObject o) {
        Builder l = builder();
        if (o == null) {
            return l.build();
        }
        if (o.has("maxBodyBytes")) {
            l.maxBodyBytes(o.get("maxBodyBytes").getAsLong());
        }
        if (o.has("loginFailuresPerUserAddress")) {
            l.loginFailuresPerUserAddress(o.get("loginFailuresPerUserAddress").getAsInt());
        }
        if (o.has("loginFailuresPerUser")) {
            l.loginFailuresPerUser(o.get("loginFailuresPerUser").getAsInt());
        }
        if (o.has("loginFailuresPerAddress")) {
            l.loginFailuresPerAddress(o.get("loginFailuresPerAddress").getAsInt());
        }
        if (o.has("loginLockoutSeconds")) {
            l.loginLockout(Duration.ofSeconds(o.get("loginLockoutSeconds").getAsLong()));
        }
        if (o.has("requestsPerSecondPerSession")) {
            l.requestsPerSecondPerSession(o.get("requestsPerSecondPerSession").getAsInt());
        }
        if (o.has("requestsPerSecondPerAddress")) {
            l.requestsPerSecondPerAddress(o.get("requestsPerSecondPerAddress").getAsInt());
        }
        if (o.has("accountOpeningsPerHourPerAddress")) {
            l.accountOpeningsPerHourPerAddress(o.get("accountOpeningsPerHourPerAddress").getAsInt());
        }
        if (o.has("maxSessionsPerUser")) {
            l.maxSessionsPerUser(o.get("maxSessionsPerUser").getAsInt());
        }
        if (o.has("sessionSweepSeconds")) {
            l.sessionSweepPeriod(Duration.ofSeconds(o.get("sessionSweepSeconds").getAsLong()));
        }
        if (o.has("maxTrackedKeys")) {
            l.maxTrackedKeys(o.get("maxTrackedKeys").getAsInt());
        }
        if (o.has("maxFrameBytes")) {
            l.maxFrameBytes(o.get("maxFrameBytes").getAsLong());
        }
        if (o.has("maxInFlight")) {
            l.maxInFlight(o.get("maxInFlight").getAsInt());
        }
        return l.build();
    }

    /** The config file's {@code "limits"} object, every field given. */
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
        o.addProperty("maxFrameBytes", maxFrameBytes);
        o.addProperty("maxInFlight", maxInFlight);
        return o;
    }

    public static final class Builder {
        private long maxBodyBytes = 1L << 20;
        private int loginFailuresPerUserAddress = 5;
        private int loginFailuresPerUser = 20;
        private int loginFailuresPerAddress = 50;
        private Duration loginLockout = Duration.ofMinutes(15);
        private int requestsPerSecondPerSession = 20;
        private int requestsPerSecondPerAddress = 200;
        private int accountOpeningsPerHourPerAddress = 30;
        private int maxSessionsPerUser = 10;
        private Duration sessionSweepPeriod = Duration.ofSeconds(30);
        private Duration sessionExpiredGrace = Duration.ofMinutes(1);
        private int maxTrackedKeys = 100_000;
        private long maxFrameBytes = org.distribank.consortium.NodeOptions.DEFAULT_MAX_FRAME_BYTES;
        private int maxInFlight = 100_000;

        private Builder() {
        }

        public Builder maxBodyBytes(long v) { this.maxBodyBytes = v; return this; }
        public Builder loginFailuresPerUserAddress(int v) { this.loginFailuresPerUserAddress = v; return this; }
        public Builder loginFailuresPerUser(int v) { this.loginFailuresPerUser = v; return this; }
        public Builder loginFailuresPerAddress(int v) { this.loginFailuresPerAddress = v; return this; }
        public Builder loginLockout(Duration v) { this.loginLockout = v; return this; }
        public Builder requestsPerSecondPerSession(int v) { this.requestsPerSecondPerSession = v; return this; }
        public Builder requestsPerSecondPerAddress(int v) { this.requestsPerSecondPerAddress = v; return this; }
        public Builder accountOpeningsPerHourPerAddress(int v) { this.accountOpeningsPerHourPerAddress = v; return this; }
        public Builder maxSessionsPerUser(int v) { this.maxSessionsPerUser = v; return this; }
        public Builder sessionSweepPeriod(Duration v) { this.sessionSweepPeriod = v; return this; }
        public Builder sessionExpiredGrace(Duration v) { this.sessionExpiredGrace = v; return this; }
        public Builder maxTrackedKeys(int v) { this.maxTrackedKeys = v; return this; }
        public Builder maxFrameBytes(long v) { this.maxFrameBytes = v; return this; }
        public Builder maxInFlight(int v) { this.maxInFlight = v; return this; }

        public BankLimits build() {
            return new BankLimits(maxBodyBytes, loginFailuresPerUserAddress, loginFailuresPerUser,
                    loginFailuresPerAddress, loginLockout, requestsPerSecondPerSession, requestsPerSecondPerAddress,
                    accountOpeningsPerHourPerAddress, maxSessionsPerUser, sessionSweepPeriod, sessionExpiredGrace,
                    maxTrackedKeys, maxFrameBytes, maxInFlight);
        }
    }
}
