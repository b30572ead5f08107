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
 * have voted: COMMITTED if all said yes, else ABORTED with the first NO in voter order. Deciding
 * strictly in delivery order keeps every node's outcomes in the same order. Not thread-safe.
 */
final class BallotBox {

    /** A delivered operation waiting for its voters (in rank order). */
    record Pending(Operation op, List<String> voters, long position) {
    }

    /** A decided operation. */
    record Decided(Operation op, Outcome outcome) {
    }

    private final ArrayDeque<Pending> awaiting = new ArrayDeque<>();
    private final Map<String, Map<String, Vote>> votes = new HashMap<>();
    /** Delivered and not yet decided: a second delivery of one of these ids is skipped. */
    private final Set<String> undecided = new HashSet<>();

    /** Registers a delivery; false if {@code op}'s id is already waiting (a duplicate delivery). */
    boolean expect(Operation op, List<String> voters, long position) {
        if (!undecided.add(op.id())) {
            return false;
        }
        awaiting.add(new Pending(op, List.copyOf(voters), position));
        return true;
    }

    /** A vote; the first from a voter counts (a retransmitted or replayed copy changes nothing). */
    void record(String opId, String voter, Vote vote) {
        votes.computeIfAbsent(opId, k -> new HashMap<>()).putIfAbsent(voter, vote);
    }

    /**
     * Decides from the head while its voters are all in. {@code origin} maps an operation to the
     * origin to report (the node's own instance of the peer id).
     */
    List<Decided> decide(java.util.function.UnaryOperator<String> origin) {
        List<Decided> out = null;
        while (!awaiting.isEmpty()) {
            Pending p = awaiting.peekFirst();
            Map<String, Vote> got = votes.getOrDefault(p.op().id(), Map.of());
            if (!got.keySet().containsAll(p.voters())) {
                break;
            }
            awaiting.pollFirst();
            votes.remove(p.op().id());
            undecided.remove(p.op().id());
            String reason = null;
            String voter = null;
            for (String v : p.voters()) {
                Vote vote = got.get(v);
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
            out.add(new Decided(op, outcome));
        }
        return out == null ? List.of() : out;
    }

    boolean isUndecided(String opId) {
        return undecided.contains(opId);
    }

    /** The delivered operations still waiting, in delivery order. */
    List<Pending> waiting() {
        return List.copyOf(awaiting);
    }

    /** Every vote held (for a snapshot): by operation id, by voter. */
    Map<String, Map<String, Vote>> votes() {
        return votes;
    }
}
