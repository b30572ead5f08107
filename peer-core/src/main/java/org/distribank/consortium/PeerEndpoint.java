package org.distribank.consortium;

/** The inbound side of a node: what the HTTP routes call. */
public interface PeerEndpoint {

    /** The consortium credential peers must present as {@code Authorization: Bearer <secret>}. */
    String credential();

    /**
     * Persists the batch's new messages (JSON {@code {"from","messages":[...]}}), then answers the
     * highest sequence number received from that sender, in order, durably (the link ack).
     *
     * @throws UnavailableException while the node is paused, stopping or too slow
     */
    long onBatch(String batchJson);

    /** A heartbeat: proof that {@code from} is alive. */
    void onHeartbeat(String from);

    /** Thrown when the node cannot take a request now; the routes answer 503. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }
}
