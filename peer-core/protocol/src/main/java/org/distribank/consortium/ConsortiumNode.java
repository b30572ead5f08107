package org.distribank.consortium;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.Outcome;

/**
 * One peer of the consortium: orders opaque operations with every other peer and hands them,
 * in the same order everywhere, to its {@link StateMachine}.
 */
public interface ConsortiumNode extends AutoCloseable {

    String selfId();

    /** Replays the log, starts links, heartbeats and the protocol thread. */
    void start();

    /**
     * Multicasts an operation into the total order. The future completes with its outcome once
     * decided (and durable here). A known id returns the same future/outcome, never a second
     * operation.
     *
     * @throws PeerOfflineException at once while any peer is offline (the order needs every ACK)
     * @throws OperationTooLargeException at once when the operation would not fit in one link frame
     *                                    ({@link NodeOptions#maxFrameBytes()})
     */
    CompletableFuture<Outcome> submit(String id, String payload);

    /** The outcome of a decided operation. */
    Optional<Outcome> outcome(String id);

    /**
     * The payload of operation {@code id} while this node holds it undecided (submitted here, or in its log and
     * hold-back queue after a restart): it may still commit, so it is neither refused nor "not ordered". Empty
     * when unknown, decided, or when the node does not answer in a bounded time (stopped, replaying).
     */
    default Optional<String> inFlight(String id) {
        return Optional.empty();
    }

    /** A consistent snapshot for observers. */
    ConsortiumView view();

    /**
     * Whether this node asked to be restarted: it was left holding messages past a view's cut, and a restart
     * rebuilds it from its log without them (PROTOCOL.md "Rebuild from the log"); meanwhile it orders nothing. Its
     * supervisor (the launcher, systemd) restarts it.
     */
    default boolean restartRequested() {
        return false;
    }

    /** Live protocol events (sends, receives, acks, deliveries, votes, outcomes, up/down). */
    EventSource events();

    /**
     * Asks this member to add {@code bank} in the next view (the operator's add-bank, PROTOCOL.md "Adding a bank"): a
     * configured slot not among the banks yet, or a bank out of the view. The bank, started with an empty data
     * directory, takes its first snapshot from a member once such a view is installed.
     *
     * @throws IllegalArgumentException not another configured bank, or one that retired
     * @throws IllegalStateException    views are off
     */
    default void admit(String bank) {
        throw new IllegalStateException(selfId() + " takes no part in view changes");
    }

    /**
     * Why this node stopped on its own (fail-stop: its log could not be made durable), or empty while it
     * runs or was stopped by its owner. A stopped node answers nothing; its health is DOWN.
     */
    default Optional<String> stoppedBecause() {
        return Optional.empty();
    }

    /** The delivery position of this node's latest durable snapshot (operations it covers), 0 if none. */
    default long snapshotPosition() {
        return 0;
    }

    /** When this node's latest durable snapshot was taken, if any. */
    default Optional<java.time.Instant> snapshotAt() {
        return Optional.empty();
    }

    /** Bytes of this node's protocol log on disk (its segment files). */
    default long logBytes() {
        return 0;
    }

    /**
     * Puts an event of the application's own (e.g. {@link org.distribank.consortium.entity.EventType#HEALTH}) on
     * this node's event stream, stamped with its clock, so operators see it among the protocol's.
     */
    default void report(org.distribank.consortium.entity.EventType type, String opId, String detail) {
    }

    /**
     * Back-pressure from the state machine's consumer: while {@code open} says false, this node takes no frames
     * from its peers (refused like a paused node's: they keep them and resend), so it delivers nothing new and
     * whatever it decides stays bounded. Read on every incoming frame: it must be cheap and never block.
     */
    default void admitFramesWhile(java.util.function.BooleanSupplier open) {
    }

    /** The inbound side, for {@link ConsortiumRoutes}. */
    PeerEndpoint endpoint();

    /** Graceful stop: finishes the current batch, syncs the log, stops threads. */
    @Override
    void close();
}
