package org.distribank.consortium;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Carries link batches, heartbeats, and the view ballot's messages and relay fetches to other peers. Two shapes of link: request/response
 * ({@link #sendBatch}, one HTTP request per batch) and, when {@link #streaming()}, a long-lived
 * stream per link ({@link #openStream}: batches go out without waiting, cumulative acks come
 * back). {@link LinkControls} (the operator's cut and slow links) wraps either, as does the test kit's
 * random fault injection.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends one batch (JSON {@code {"from","messages":[...]}}) to {@code to}.
     *
     * @return the receiver's link ack: the highest sequence number from this sender it holds durably
     */
    long sendBatch(String to, String batchJson) throws IOException;

    void heartbeat(String to, String from) throws IOException;

    /**
     * Sends one view-ballot message ({@code wire.BallotCodec} JSON, its {@code from} this peer) to {@code to}:
     * {@code POST /peer/v1/ballot}, signed. Returns once the peer answered 2xx. No FIFO and no retransmission here:
     * the ballot retries by itself with new messages.
     *
     * @throws IOException the peer did not take it (unreachable, refused, not ready, link cut)
     */
    default void sendBallot(String to, String json) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " carries no ballot messages");
    }

    /**
     * Asks {@code to} for relayed messages ({@code POST /peer/v1/fetch}, signed): {@code json} is a
     * {@code wire.FetchRequest} ({@code {"from","cut","after"}}), the answer a {@code wire.FetchAnswer}
     * ({@code {"messages":{...}}}) holding only what {@code to} holds, at most one frame's worth.
     *
     * @throws IOException the peer did not answer 200 (unreachable, refused, not ready, link cut)
     */
    default String fetch(String to, String json) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " fetches nothing");
    }

    /**
     * Asks {@code to} for this joining bank's first snapshot ({@code POST /peer/v1/transfer}, signed; {@code json} a
     * {@code wire.Transfer} request): the answer is a {@code wire.Transfer} answer.
     *
     * @throws IOException the peer did not answer 200 (it cannot give one yet, unreachable, link cut)
     */
    default String transfer(String to, String json) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " transfers nothing");
    }

    /** Whether links should use {@link #openStream} rather than {@link #sendBatch}. */
    default boolean streaming() {
        return false;
    }

    /**
     * Opens a stream to {@code to} without waiting for it (batches sent before it is open are
     * queued). Batches travel in order; the receiver answers, after persisting, with cumulative
     * acks (possibly one for several batches). On any failure {@link StreamListener#onClosed} is
     * called once and the stream is dead: the sender opens a new one and resends from its last ack.
     */
    default Stream openStream(String to, StreamListener listener) {
        throw new UnsupportedOperationException("this transport has no streams");
    }

    /** The sending end of one open stream. Thread-safe; never blocks. */
    interface Stream {
        void send(String batchJson);

        /** Drops the stream; the listener is told (if it was not already). */
        void close();
    }

    /** What the receiver of a stream answers. Called on the transport's threads; must not block. */
    interface StreamListener {
        /**
         * The stream is established (a WebSocket: the upgrade was answered 101), at most once, before any
         * ack. A stream that does not open in time is abandoned by its link; a transport without a handshake
         * calls this at once.
         */
        default void onOpen() {
        }

        void onAck(long ack);

        void onClosed(String why);
    }

    /**
     * Registers {@code listener} for every change of a link's shape, when this transport shapes links
     * ({@link LinkControls}); a transport that does not never calls it (the default). Called on the thread that
     * changed the link; must not block.
     */
    default void onLinkChange(Consumer<LinkState> listener) {
    }

    @Override
    void close();
}
