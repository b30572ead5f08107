package org.distribank.consortium.link;

/** The sending half of one reliable FIFO link: request/response ({@link LinkSender}) or streaming ({@link StreamLink}). */
public interface OutboundLink {

    String peer();

    void start();

    /** New durable messages in the outbox. Called on the protocol thread; must not block. */
    void signal();

    /** The receiver's last cumulative ack (read lazily by the protocol thread to trim the outbox). */
    long acked();

    /**
     * The receiver's cumulative ack, carried by one of its own data frames to this peer
     * ({@link org.distribank.consortium.wire.WireBatch#ack()}). Any thread.
     */
    default void ackedByReceiver(long ack) {
    }

    /**
     * What this peer holds durably from the receiver: frames sent from now on carry it, so the
     * receiver needs no separate ack frame. Called on the protocol thread after each sync.
     */
    default void carryAck(long durablyReceived) {
    }

    /**
     * Takes over an ack owed to the receiver while this link waits for the receiver's own ack: the
     * next frame carries it, or, if the link frees up with nothing to send, {@code sendNow} runs.
     * False when the link cannot promise that (not waiting, not connected): send it now.
     */
    default boolean oweAck(long upTo, Runnable sendNow) {
        return false;
    }

    /** The highest ack a frame of this link has carried (-1: this link does not carry acks). */
    default long ackCarried() {
        return -1;
    }

    /** Batches sent (HTTP requests or stream frames), for the benchmark. */
    long requests();

    void stop();

    /** A crash or a fail-stop: stop at once and send nothing more (no owed ack either). */
    default void halt() {
        stop();
    }

    void join() throws InterruptedException;
}
