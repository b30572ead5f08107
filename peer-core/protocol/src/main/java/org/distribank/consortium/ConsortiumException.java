package org.distribank.consortium;

/** A failure of the consortium protocol that the caller should see. */
public class ConsortiumException extends RuntimeException {

    public ConsortiumException(String message) {
        super(message);
    }

    public ConsortiumException(String message, Throwable cause) {
        super(message, cause);
    }
}
