package org.distribank.consortium.link;

/** The sending half of one reliable FIFO link: request/response ({@link LinkSender}) or streaming ({@link StreamLink}). */
public interface OutboundLink {

    String peer();

    void start();

    /** New durable messages in the outbox. Called on the protocol thread; must not block. */
    void signal();

    /** The receiver's last cumulative ack (read lazily by the protocol thread to trim the outbox). */
    long acked();

    /** Batches sent (HTTP requests or stream frames), for the benchmark. */
    long requests();

    void stop();

    void join() throws InterruptedException;
}
