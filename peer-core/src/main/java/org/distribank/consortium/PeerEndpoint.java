package org.distribank.consortium;

import java.util.concurrent.CompletableFuture;

/** The inbound side of a node: what the HTTP routes call. */
public interface PeerEndpoint {

    /** The consortium credential peers must present as {@code Authorization: Bearer <secret>}. */
    String credential();

    /**
     * Persists the batch's new messages (JSON {@code {"from","messages":[...]}}), then answers the
     * highest sequence number received from that sender, in order, durably (the link ack). The
     * future completes on the node's protocol thread once the batch is on disk; callers must not
     * block in its callbacks.
     *
     * @throws UnavailableException while the node is paused or stopping
     */
    CompletableFuture<Long> onBatch(String batchJson);

    /** A heartbeat: proof that {@code from} is alive. */
    void onHeartbeat(String from);

    /** Thrown when the node cannot take a request now; the routes answer 503. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }
}
