package org.distribank.consortium.core;

import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.entity.PeerIds;

/**
 * The messages of the view ballot ({@link ViewBallot}; PROTOCOL.md "Views: the ballot"). {@code epoch} is the epoch
 * being decided, or for {@link Join} and {@link Query} the latest one the sender knows.
 */
public sealed interface BallotMessage {

    long epoch();

    /** Phase 1a: the proposer of {@code ballot} asks the members of the current view to promise for {@code epoch}. */
    record Prepare(long epoch, Ballot ballot) implements BallotMessage {
    }

    /**
     * Phase 1b: the sender promised {@code ballot} (logged before this left) and answers with its highest accepted
     * proposal for {@code epoch} (null if none) and, per bank, the highest sequence it holds.
     */
    record Promise(long epoch, Ballot ballot, AcceptedProposal accepted, Map<String, Long> held)
            implements BallotMessage {
        public Promise {
            TreeMap<String, Long> copy = new TreeMap<>(PeerIds.COMPARATOR);
            copy.putAll(held);
            held = java.util.Collections.unmodifiableSortedMap(copy);
        }
    }

    /** The sender has promised a higher ballot than the one asked: the proposer's round is lost. */
    record Reject(long epoch, Ballot promised) implements BallotMessage {
    }

    /** Phase 2a: accept {@code proposal} under {@code ballot} (after fetching its cut). */
    record Accept(long epoch, Ballot ballot, ViewProposal proposal) implements BallotMessage {
    }

    /** Phase 2b, to every old and new member: the sender accepted (and logged) {@code proposal} under {@code ballot}. */
    record Accepted(long epoch, Ballot ballot, ViewProposal proposal) implements BallotMessage {
    }

    /** A decided view: learned, and re-sent to anyone who shows it is behind. */
    record Decided(ViewProposal proposal) implements BallotMessage {
        @Override
        public long epoch() {
            return proposal.epoch();
        }
    }

    /** A bank outside the view asks the members to add it (it knows the view of {@code epoch}). */
    record Join(long epoch) implements BallotMessage {
    }

    /** The sender knows only the view of {@code epoch} and saw a later one mentioned: send it the latest decision. */
    record Query(long epoch) implements BallotMessage {
    }

    /** An accepted proposal and the ballot it was accepted under. */
    record AcceptedProposal(Ballot ballot, ViewProposal proposal) {
    }
}
