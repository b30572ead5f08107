package org.distribank.app.client;

/**
 * A bank refused a call or could not be reached. {@code status} is the HTTP status (0 when the bank
 * did not answer), {@code code} the API's error code, and the message a sentence a person can read.
 */
public final class BankApiException extends RuntimeException {

    private final int status;
    private final String code;

    public BankApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public BankApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = "UNREACHABLE";
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** True when the bank did not answer at all (down, paused, cut off). */
    public boolean unreachable() {
        return status == 0;
    }
}
