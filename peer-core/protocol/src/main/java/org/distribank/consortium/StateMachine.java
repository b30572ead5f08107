package org.distribank.consortium;

import java.util.Optional;
import java.util.Set;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;

/**
 * The deterministic machine the protocol feeds. Every peer calls it with the same operations in
 * the same order. Callbacks run on the node's protocol thread, one at a time; keep them short.
 *
 * <p>Idempotency: after a crash the node replays its log and calls {@link #decide} again for
 * operations it had already handled. Implementations must be idempotent by operation id (an
 * in-memory machine rebuilds from the replay; a durable one ignores a second {@code decide} for an
 * id it has applied). A vote that reached the log before the crash was sent, and the other peers
 * decide with it, so replay never asks for it again: it hands it back through
 * {@link #restoreVote}. Only a delivery whose vote never reached the log is asked {@link #vote}.
 *
 * <p>Votes must not wait for earlier outcomes: the machine reserves what an operation would take
 * at {@link #vote} and releases or applies it at {@link #decide}, so a vote is a deterministic
 * function of the delivery-ordered history.
 */
public interface StateMachine {

    /** The peers that vote on {@code op}; the same answer at every peer. Empty means commit at delivery. */
    Set<String> voters(Operation op);

    /** This peer's vote, asked at delivery, only when this peer is one of {@link #voters}. */
    Vote vote(Operation op);

    /**
     * Replay after a restart: this peer voted {@code logged} on {@code op} before the crash (the
     * vote is in the log and was sent). Re-establish what {@link #vote} reserved for it, without
     * judging again: the outcome must be decided with the logged verdict, even if the machine's
     * state would now judge otherwise. Called in the original vote order.
     *
     * <p>The default asks {@link #vote} again and discards its answer, which is right for a machine
     * whose votes are a pure function of the replayed history.
     */
    default void restoreVote(Operation op, Vote logged) {
        vote(op);
    }

    /**
     * The outcome, once every voter's vote is in: COMMITTED if all said yes, else ABORTED with
     * the first NO's reason in voter order. Called in delivery order at every peer, and only once
     * the decision is durable in this peer's log (after the burst's fsync): a machine may act on it
     * outside (write postings, answer readers) without ever having to take it back.
     */
    void decide(Operation op, Outcome outcome);

    /**
     * The machine's whole state as bytes, for a snapshot taken between two bursts (every decision handed to
     * {@link #decide} so far is in it, no later one). {@code null} (the default) means this machine cannot be
     * snapshotted: its node then keeps and replays its whole log, as before snapshots existed.
     */
    default byte[] snapshot() {
        return null;
    }

    /**
     * The consortium-wide part of this machine's state, as the {@link #snapshot()} of a fresh machine of {@code bank}
     * that joins the consortium now (PROTOCOL.md, "Adding a bank"): what every bank replicates (a directory, the
     * decided operations' record that {@link #outcomeOf} answers from), never what is this bank's own (its
     * accounts, its holds, its votes). Taken at the same quiescent point as a snapshot. {@code null} (the default):
     * this machine cannot hand its state to a joining bank, so none can join.
     */
    default byte[] snapshotFor(String bank) {
        return null;
    }

    /**
     * A fresh machine takes the state of a {@link #snapshot()} (before any other call); the log after the
     * snapshot is replayed into it next.
     */
    default void restore(byte[] state) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot restore a snapshot");
    }

    /**
     * The delivery position up to which every decision's effects outside the machine (a bank's postings at its
     * data server) are durable. A restart starts from a snapshot at or below it, so what was decided later is
     * decided (and applied) again; the log is truncated only below what every member reports. The default says
     * the machine has no effects outside: whatever it decided is in its snapshot.
     */
    default long appliedPosition() {
        return Long.MAX_VALUE;
    }

    /**
     * The outcome of {@code id} if this machine decided it and still remembers it (its idempotency record): the
     * protocol keeps only its most recent outcomes in memory ({@code ProtocolCore.RECENT_OUTCOMES}) and asks here
     * for older ones, to refuse a second delivery of a decided id and to answer a resubmission. It must answer
     * only for decisions already handed to {@link #decide} (never for one a replay will hand it again), so every
     * peer answers alike. Any thread. The default remembers nothing beyond the protocol's window.
     */
    default Optional<Outcome> outcomeOf(String id) {
        return Optional.empty();
    }

    /**
     * Banks whose retirement from the consortium this machine has decided (an operation of its own in the total
     * order, final): the protocol asks the view ballot to remove each from the view's banks, and keeps asking until
     * a decided view no longer has it, so a crash in between loses nothing. A pure function of what was decided
     * here, so every member names the same banks. The default retires nobody.
     */
    default Set<String> retiredBanks() {
        return Set.of();
    }
}
