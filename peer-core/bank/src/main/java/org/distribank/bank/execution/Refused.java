package org.distribank.bank.execution;

/**
 * A request the bank refuses before or instead of ordering it: a kind (the api layer gives it its HTTP status), a
 * stable code (API.md's error codes) and a sentence for a person. Nothing was ordered or changed.
 */
public final class Refused extends RuntimeException {

    /**
     * Why, in the terms of API.md's statuses: bad input, unknown, not yours, conflict, a bank needed is offline,
     * too large for the consortium's links, too many at once.
     */
    public enum Kind { INVALID, NOT_FOUND, FORBIDDEN, CONFLICT, UNAVAILABLE, TOO_LARGE, TOO_MANY }

    private final Kind kind;
    private final String code;
    private final String id;
    private final Integer retryAfterSeconds;

    public Refused(Kind kind, String code, String message) {
        this(kind, code, message, null, null);
    }

    /**
     * {@code id}: the operation the answer is about (also one the server named), so a client can look it up or
     * retry it; {@code retryAfterSeconds}: when to try again (a Retry-After header), or null.
     */
    public Refused(Kind kind, String code, String message, String id, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.id = id;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The operation's id, or null when the refusal is not about one. */
    public String id() {
        return id;
    }

    /** Seconds to wait before trying again, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
