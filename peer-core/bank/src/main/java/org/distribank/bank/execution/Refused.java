package org.distribank.bank.execution;

/**
 * A request the bank refuses before or instead of ordering it: a kind (the api layer gives it its HTTP status), a
 * stable code (API.md's error codes) and a sentence for a person. Nothing was ordered or changed.
 */
public final class Refused extends RuntimeException {

    /**
     * Why, in the terms of API.md's statuses: bad input, unknown, not yours, conflict, a bank needed is offline,
     * too large for the consortium's links.
     */
    public enum Kind { INVALID, NOT_FOUND, FORBIDDEN, CONFLICT, UNAVAILABLE, TOO_LARGE }

    private final Kind kind;
    private final String code;

    public Refused(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
