package org.distribank.consortium.transport;

/**
 * What {@link ChaosTransport} does to requests; seeded so a failing run can be repeated. Immutable and validated;
 * {@link #builder()} starts from the defaults below, {@link #none()} injects nothing.
 *
 * @param seed          the random generator's seed
 * @param dropRate      share of requests lost: half before reaching the peer, half after (the answer is lost)
 * @param duplicateRate share of requests sent twice
 * @param reorderRate   share of requests of which a stale copy is re-sent later, out of order
 * @param maxDelayMs    upper bound of the random delay added to a request (frames stay in order)
 */
public record FaultOptions(long seed, double dropRate, double duplicateRate, double reorderRate, long maxDelayMs) {

    public static final long DEFAULT_SEED = 42;

    public FaultOptions {
        rate("dropRate", dropRate);
        rate("duplicateRate", duplicateRate);
        rate("reorderRate", reorderRate);
        if (maxDelayMs < 0) {
            throw new IllegalArgumentException("maxDelayMs must be 0 or more, got " + maxDelayMs);
        }
    }

    private static void rate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be 0..1, got " + rate);
        }
    }

    /** The defaults: 20 % dropped, 10 % duplicated, 10 % reordered, up to 5 ms of delay. */
    public static FaultOptions defaults() {
        return builder().build();
    }

    /** No fault at all. */
    public static FaultOptions none() {
        return builder().dropRate(0).duplicateRate(0).reorderRate(0).maxDelayMs(0).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().seed(seed).dropRate(dropRate).duplicateRate(duplicateRate).reorderRate(reorderRate)
                .maxDelayMs(maxDelayMs);
    }

    /** Whether any fault is injected at all. */
    public boolean any() {
        return dropRate > 0 || duplicateRate > 0 || reorderRate > 0 || maxDelayMs > 0;
    }

    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private double dropRate = 0.20;
        private double duplicateRate = 0.10;
        private double reorderRate = 0.10;
        private long maxDelayMs = 5;

        private Builder() {
        }

        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder dropRate(double rate) { this.dropRate = rate; return this; }
        public Builder duplicateRate(double rate) { this.duplicateRate = rate; return this; }
        public Builder reorderRate(double rate) { this.reorderRate = rate; return this; }
        public Builder maxDelayMs(long ms) { this.maxDelayMs = ms; return this; }

        public FaultOptions build() {
            return new FaultOptions(seed, dropRate, duplicateRate, reorderRate, maxDelayMs);
        }
    }
}
