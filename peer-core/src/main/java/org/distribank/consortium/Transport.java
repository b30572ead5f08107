package org.distribank.consortium;

import java.io.IOException;

/** Carries link batches and heartbeats to other peers; HTTP in production, with fault injection in tests. */
public interface Transport extends AutoCloseable {

    /**
     * Sends one batch (JSON {@code {"from","messages":[...]}}) to {@code to}.
     *
     * @return the receiver's link ack: the highest sequence number from this sender it holds durably
     */
    long sendBatch(String to, String batchJson) throws IOException;

    void heartbeat(String to, String from) throws IOException;

    @Override
    void close();
}
