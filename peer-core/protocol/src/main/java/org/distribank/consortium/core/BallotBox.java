package org.distribank.consortium.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;

/**
 * Votes and deciding (sofa-jraft's {@code BallotBox} is the model): delivered operations wait here,
 * in delivery order, for the votes of their voters; the head is decided once all of its voters
 * have voted and it is <em>final</em>: its OP message and every vote message are stable (every member holds
 * them durably, {@link Stability}). COMMITTED if all said yes, else ABORTED with the first NO in voter order.
 * Deciding strictly in delivery order keeps every node's outcomes in the same order; only the head is checked,
 * so the cost per step does not grow with what waits. Not thread-safe.
 */
final class BallotBox {

    /** A delivered operation waiting for its voters (in rank order); {@code opSeq} its OP message's sequence number. */
    record Pending(Operation op, List<String> voters, long position, long opSeq) {
    }

    /** A vote, and the sequence number of the VOTE message of its voter that carries it ({@link #UNSENT} until sent). */
    static final class Cast {
        final Vote vote;
        long seq;

        Cast(Vote vote, long seq) {
            this.vote = vote;
            this.seq = seq;
        }
    }

    /** The sequence number of an own vote whose VOTE message has not been stamped yet: never stable. */
    static final long UNSENT = Long.MAX_VALUE;

    /** Whether message {@code seq} of {@code origin} is held durably by every member (as far as this node knows). */
    @FunctionalInterface
    interface Stability {
        boolean stable(String origin, long seq);
    }

    /** A decided operation. */
    record Decided(Operation op, Outcome outcome, long position) {
    }

    private final ArrayDeque<Pending> awaiting = new ArrayDeque<>();
    private final Map<String, Map<String, Cast>> votes = new HashMap<>();
    /** Delivered and not yet decided: a second delivery of one of these ids is skipped. */
    private final Set<String> undecided = new HashSet<>();

    /** Registers a delivery; false if {@code op}'s id is already waiting (a duplicate delivery). */
    boolean expect(Operation op, List<String> voters, long position, long opSeq) {
        if (!undecided.add(op.id())) {
            return false;
        }
        awaiting.add(new Pending(op, List.copyOf(voters), position, opSeq));
        return true;
    }

    /**
     * A vote carried by {@code voter}'s message {@code seq}; the first from a voter counts (a retransmitted or
     * replayed copy changes nothing).
     */
    void record(String opId, String voter, Vote vote, long seq) {
        votes.computeIfAbsent(opId, k -> new HashMap<>()).putIfAbsent(voter, new Cast(vote, seq));
    }

    /** This node's own vote on {@code opId} left in its message {@code seq}. */
    void sent(String opId, String voter, long seq) {
        Map<String, Cast> got = votes.get(opId);
        Cast c = got == null ? null : got.get(voter);
        if (c != null && c.seq == UNSENT) {
            c.seq = seq;
        }
    }

    /**
     * Decides from the head while its voters are all in. {@code origin} maps an operation to the
     * origin to report (the node's own instance of the peer id).
     */
    List<Decided> decide(java.util.function.UnaryOperator<String> origin, Stability stability, long finalThrough) {
        List<Decided> out = null;
        while (!awaiting.isEmpty()) {
            Pending p = awaiting.peekFirst();
            Map<String, Cast> got = votes.getOrDefault(p.op().id(), Map.of());
            if (!got.keySet().containsAll(p.voters()) || (p.position() > finalThrough && !isFinal(p, got, stability))) {
                break;
            }
            awaiting.pollFirst();
            votes.remove(p.op().id());
            undecided.remove(p.op().id());
            String reason = null;
            String voter = null;
            for (String v : p.voters()) {
                Vote vote = got.get(v).vote;
                if (!vote.yes()) {
                    reason = vote.reason();
                    voter = v;
                    break;
                }
            }
            Operation op = p.op();
            Outcome outcome = new Outcome(op.id(), origin.apply(op.origin()), op.clock(),
                    reason == null ? Decision.COMMITTED : Decision.ABORTED, reason, voter, p.position());
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(new Decided(op, outcome, p.position()));
        }
        return out == null ? List.of() : out;
    }

    /** The operation and every vote it needs are stable: no view change can take them away. */
    private static boolean isFinal(Pending p, Map<String, Cast> got, Stability stability) {
        if (!stability.stable(p.op().origin(), p.opSeq())) {
            return false;
        }
        for (String v : p.voters()) {
            if (!stability.stable(v, got.get(v).seq)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A view change: every waiting operation still missing the vote of a voter outside {@code view} counts
     * {@code absent} for it, the same at every member (what votes are held is fixed by the cut). Such a vote is
     * stable by definition (sequence 0): no message carries it.
     */
    void countAbsentVoters(org.distribank.consortium.entity.View view, Map<String, Long> cut, Vote absent) {
        for (Pending p : awaiting) {
            Map<String, Cast> got = votes.computeIfAbsent(p.op().id(), k -> new HashMap<>());
            for (String v : p.voters()) {
                Cast c = got.get(v);
                // a vote no member holds (never sent, or sent past the cut: only its own voter has it) is absent
                if (!view.isMember(v) && (c == null || c.seq == UNSENT || c.seq > cut.getOrDefault(v, 0L))) {
                    got.put(v, new Cast(absent, 0));
                }
            }
        }
    }

    /**
     * After an install delivered every operation within the cut: a vote held for an operation not delivered is for
     * one no member will ever deliver (its OP was past the cut, taken back by its origin), cast by a bank that
     * delivered it anyway. Dropped, so a client's retry of that id counts only votes cast on the retry.
     */
    void dropVotesOfUndelivered() {
        votes.keySet().retainAll(undecided);
    }

    boolean isUndecided(String opId) {
        return undecided.contains(opId);
    }

    /** Whether a delivered operation still waits (checked every tick: no copy). */
    boolean hasWaiting() {
        return !awaiting.isEmpty();
    }

    /** The delivered operations still waiting, in delivery order. */
    List<Pending> waiting() {
        return List.copyOf(awaiting);
    }

    /** Every vote held (for a snapshot): by operation id, by voter, with its message's sequence number. */
    Map<String, Map<String, Cast>> votes() {
        return votes;
    }
}
