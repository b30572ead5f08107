package org.distribank.consortium;

import java.util.concurrent.CompletableFuture;

/** The inbound side of a node: what the HTTP routes call. */
public interface PeerEndpoint {

    /** Proves who sent each peer request (the routes ask it before anything else). */
    PeerAuthenticator authenticator();

    /**
     * Persists the batch's new messages (JSON {@code {"from","ack"?,"messages":[...]}}) that
     * {@code sender} sent, as its authentication proved (a batch whose {@code from} names another peer
     * is refused with {@link PeerAuthenticator.Refused}, logged, never stored), then answers
     * the highest sequence number received from that sender, in order, durably (the link ack). The
     * future completes on the node's protocol thread once the batch is on disk; callers must not
     * block in its callbacks.
     *
     * The future fails with {@link RefusedBatchException} when a message carries clock entries or
     * sequence numbers no honest peer could send (nothing of the batch is stored then).
     *
     * @throws UnavailableException while the node is paused or stopping
     */
    CompletableFuture<LinkAck> onBatch(String sender, String batchJson);

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

    /** A heartbeat: proof that {@code sender} (authenticated) is alive. */
    void onHeartbeat(String sender);

    /**
     * One view-ballot message from {@code sender} (authenticated; the routes have read {@code json} with
     * {@code wire.BallotCodec} and checked that its {@code from} is {@code sender}). Taken for the node's
     * protocol thread; returns without waiting for it.
     *
     * @throws NotReadyException   this node does not take part in view changes (the default; a node with views off)
     * @throws UnavailableException while the node is paused or stopping
     */
    default void onBallot(String sender, String json) {
        throw new NotReadyException("this node takes no part in view changes");
    }

    /**
     * Answers a relay fetch from {@code sender} (authenticated; {@code json} is a {@code wire.FetchRequest} the
     * routes have read and whose {@code from} is {@code sender}) with a {@code wire.FetchAnswer}'s JSON: of the
     * messages asked for, those this node holds, as their origins sent them, at most {@code maxFrameBytes} of them.
     *
     * @throws NotReadyException   this node does not take part in view changes (the default; a node with views off)
     * @throws UnavailableException while the node is paused or stopping
     */
    default String fetch(String sender, String json) {
        throw new NotReadyException("this node takes no part in view changes");
    }

    /**
     * A joining bank's first snapshot ({@code POST /peer/v1/transfer}, {@code sender} authenticated, {@code json} a
     * {@code wire.Transfer} request naming it): the answer's JSON carries the delivery position and the snapshot.
     *
     * @throws NotReadyException   this node cannot give one now (why), or takes no part in view changes
     * @throws UnavailableException while the node is paused or stopping
     */
    default String transfer(String sender, String json) {
        throw new NotReadyException("this node takes no part in view changes");
    }

    /** A batch refused for what it says (impossible clock entries or sequence numbers); the routes answer 400. */
    final class RefusedBatchException extends RuntimeException {
        public RefusedBatchException(String message) {
            super(message, null, false, false);
        }
    }

    /** The node cannot take part in this yet (view changes not wired); the routes answer 503 NOT_READY. */
    final class NotReadyException extends RuntimeException {
        public NotReadyException(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown when the node cannot take a request now; the routes answer 503. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }
}
