package org.distribank.bank.ledger;

/**
 * Told of every request {@link LedgerClient} makes to the data server, when it has ended (metrics time them).
 * Called on the caller's thread: it must be short and never throw.
 */
@FunctionalInterface
public interface RoundTripObserver {

    RoundTripObserver NONE = (method, resource, status, nanos) -> { };

    /**
     * @param method   the HTTP method
     * @param resource the first segment of the path ({@code accounts}, {@code postings}, ...): a small fixed set
     * @param status   the HTTP status, or 0 when the data server was not reached
     * @param nanos    how long the round trip took
     */
    void roundTrip(String method, String resource, int status, long nanos);
}
