package org.distribank.consortium;

import java.util.concurrent.CompletableFuture;

/** The inbound side of a node: what the HTTP routes call. */
public interface PeerEndpoint {

    /** The consortium credential peers must present as {@code Authorization: Bearer <secret>}. */
    String credential();

    /**
     * Persists the batch's new messages (JSON {@code {"from","ack"?,"messages":[...]}}), then answers
     * the highest sequence number received from that sender, in order, durably (the link ack). The
     * future completes on the node's protocol thread once the batch is on disk; callers must not
     * block in its callbacks.
     *
     * @throws UnavailableException while the node is paused or stopping
     */
    CompletableFuture<LinkAck> onBatch(String batchJson);

    /**
     * A link ack: {@code upTo} of {@code from}'s messages are durable here. {@code carried} when a
     * frame this node has already handed to its own link back to {@code from} says so (a streaming
     * link needs no separate ack then; a request/response link answers anyway).
     */
    record LinkAck(String from, long upTo, boolean carried) {
    }

    /**
     * Offers to carry an ack that no frame has carried yet on the next data frame back to
     * {@code from}, because that link is waiting for {@code from}'s own ack now. If accepted (true)
     * the caller sends no ack frame: the link runs {@code sendNow} itself if it ends up with nothing
     * to carry it on. Only one side of each pair defers, so two peers never wait for each other.
     */
    default boolean deferAck(String from, long upTo, Runnable sendNow) {
        return false;
    }

    /** A heartbeat: proof that {@code from} is alive. */
    void onHeartbeat(String from);

    /** Thrown when the node cannot take a request now; the routes answer 503. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }
}
