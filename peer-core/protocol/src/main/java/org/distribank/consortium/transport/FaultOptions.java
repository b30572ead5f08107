package org.distribank.consortium.transport;

/** What {@link FaultInjectingTransport} does to requests; seeded so a failing run can be repeated. */
public class FaultOptions {
    public long seed = 42;
    /** Share of requests lost: half before reaching the peer, half after (the answer is lost). */
    public double dropRate = 0.20;
    /** Share of requests sent twice. */
    public double duplicateRate = 0.10;
    /** Share of requests of which a stale copy is re-sent later, out of order. */
    public double reorderRate = 0.10;
    /** Upper bound of the random delay added to a request. */
    public long maxDelayMs = 5;

    public static FaultOptions none() {
        FaultOptions f = new FaultOptions();
        f.dropRate = 0;
        f.duplicateRate = 0;
        f.reorderRate = 0;
        f.maxDelayMs = 0;
        return f;
    }
}
