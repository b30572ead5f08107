package org.distribank.bank.ledger;

/**
 * The data server refused a request (a non-2xx answer with its {@code error} code) or could not be
 * reached ({@code status} 0).
 */
public class LedgerException extends RuntimeException {

    private final int status;
    private final String code;

    public LedgerException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public LedgerException(String message, Throwable cause) {
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

    public boolean unreachable() {
        return status == 0 || status >= 500;
    }
}
