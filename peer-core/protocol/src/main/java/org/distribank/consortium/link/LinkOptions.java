package org.distribank.consortium.link;

import org.distribank.consortium.NodeOptions;

/**
 * How one outbound link ({@link StreamLink}, {@link LinkSender}) sends: the same for every link of a node,
 * {@link #from(NodeOptions)}. Immutable and validated; {@link #builder()} starts from the node defaults.
 *
 * @param maxBatchMessages  most messages in one batch (a streaming link keeps at most four batches' worth
 *                          unacknowledged)
 * @param retryMinMs        backoff after a failure, from this...
 * @param retryMaxMs        ...doubling up to this (a streaming link also waits this long for a stuck ack or an
 *                          unopened stream, with floors of 100 ms and 1 s)
 * @param maxFramesInFlight streaming links: most frames sent and not yet acknowledged (1: stop-and-wait)
 * @param maxFrameBytes     most UTF-8 bytes in one batch or frame ({@link NodeOptions#maxFrameBytes()}); a
 *                          streaming link also stops sending while this many bytes are unacknowledged
 */
public record LinkOptions(int maxBatchMessages, long retryMinMs, long retryMaxMs, int maxFramesInFlight,
                          long maxFrameBytes) {

    public LinkOptions {
        if (maxBatchMessages < 1) {
            throw new IllegalArgumentException("maxBatchMessages must be positive, got " + maxBatchMessages);
        }
        if (retryMinMs <= 0 || retryMaxMs < retryMinMs) {
            throw new IllegalArgumentException("retry backoff must be 0 < retryMinMs <= retryMaxMs, got " + retryMinMs
                    + ".." + retryMaxMs);
        }
        if (maxFramesInFlight < 1) {
            throw new IllegalArgumentException("maxFramesInFlight must be positive, got " + maxFramesInFlight);
        }
        NodeOptions.checkFrameBytes(maxFrameBytes);
    }

    /** The links' part of a node's options. */
    public static LinkOptions from(NodeOptions o) {
        return new LinkOptions(o.maxBatchMessages(), o.retryMinMs(), o.retryMaxMs(), o.maxFramesInFlight(),
                o.maxFrameBytes());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxBatchMessages = NodeOptions.DEFAULT_MAX_BATCH_MESSAGES;
        private long retryMinMs = NodeOptions.DEFAULT_RETRY_MIN_MS;
        private long retryMaxMs = NodeOptions.DEFAULT_RETRY_MAX_MS;
        private int maxFramesInFlight = NodeOptions.DEFAULT_MAX_FRAMES_IN_FLIGHT;
        private long maxFrameBytes = NodeOptions.DEFAULT_MAX_FRAME_BYTES;

        private Builder() {
        }

        public Builder maxBatchMessages(int n) { this.maxBatchMessages = n; return this; }
        public Builder retryMinMs(long ms) { this.retryMinMs = ms; return this; }
        public Builder retryMaxMs(long ms) { this.retryMaxMs = ms; return this; }
        public Builder maxFramesInFlight(int n) { this.maxFramesInFlight = n; return this; }
        public Builder maxFrameBytes(long n) { this.maxFrameBytes = n; return this; }

        public LinkOptions build() {
            return new LinkOptions(maxBatchMessages, retryMinMs, retryMaxMs, maxFramesInFlight, maxFrameBytes);
        }
    }
}
