package org.distribank.consortium.core;

import org.distribank.consortium.entity.Outcome;

/**
 * Carries out a {@link Ready} in the one order that keeps the protocol's promises: whatever the
 * burst logged is forced before any of it leaves the node, or reaches the state machine (a decision
 * applied by the machine can have effects outside: a bank's postings), or is published or answered. The node's driver and the deterministic
 * simulator both run this, each with its own {@link Io}, so the simulator tests the real order.
 */
public final class ReadyRunner {

    private ReadyRunner() {
    }

    /** What a driver does with a Ready, step by step. */
    public interface Io {

        /** A protocol event, for observers. */
        void publish(Ready.Event event);

        /** A message for every other peer into the outbox: not sendable until {@link #release}. */
        void enqueue(Ready.Outgoing message);

        /** Every peer holds this node's messages through {@code seq}: forget them. */
        void trim(long seq);

        /** Buffers a log record. */
        void append(LogRecord record);

        /**
         * Forces the appended records to stable storage.
         *
         * @throws RuntimeException if they may not be durable (the driver then stops)
         */
        void sync();

        /** Messages through {@code seq} are durable: the links may send them (and carry this node's acks). */
        void release(long seq);

        /** An operation decided in the burst: answer whoever waits for it. */
        void report(Outcome outcome);

        /** Answer the peers whose batches the burst took: what they sent is durable here now. */
        void answerInbound();

        /** Drop this node's own messages past {@code seq} from the outbox: they were taken back (left out of a view). */
        default void rewind(long seq) {
        }

        /** A view-ballot message to one bank (after the sync: the promise or acceptance it reports is durable). */
        default void sendBallot(BallotReady.Envelope envelope) {
        }

        /** Ask the members to relay these ranges of messages (per bank, (after, upTo]) for a view change. */
        default void fetch(java.util.Map<String, long[]> wanted) {
        }
    }

    /**
     * Runs {@code ready} through {@code io} and advances the core. If {@link Io#sync} throws, nothing
     * of the Ready is released, applied, published, reported or answered; the exception
     * propagates, and the driver must stop (fail-stop).
     */
    public static void run(ProtocolCore core, Ready ready, Io io) {
        if (ready.rewoundTo() >= 0) {
            io.rewind(ready.rewoundTo());
        }
        for (Ready.Outgoing m : ready.messages()) {
            io.enqueue(m);
        }
        if (ready.trimThrough() > 0) {
            io.trim(ready.trimThrough());
        }
        for (LogRecord r : ready.records()) {
            io.append(r);
        }
        if (ready.mustSync()) {
            io.sync();
        }
        io.release(ready.lastSeq());
        for (BallotReady.Envelope e : ready.ballot()) {
            io.sendBallot(e);
        }
        if (ready.fetch() != null) {
            io.fetch(ready.fetch());
        }
        core.advance(ready); // the machine applies what the burst decided: durable now
        for (Ready.Event e : ready.events()) {
            io.publish(e);
        }
        for (Outcome o : ready.outcomes()) {
            io.report(o);
        }
        io.answerInbound();
    }
}
