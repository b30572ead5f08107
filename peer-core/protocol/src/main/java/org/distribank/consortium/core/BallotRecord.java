package org.distribank.consortium.core;

/**
 * What a {@link ViewBallot} needs to survive a crash: the driver makes these durable before anything of the same
 * {@link BallotReady} leaves the node, and hands them back to {@link ViewBallot#restore} after a restart.
 */
public sealed interface BallotRecord {

    /** This node promised {@code ballot} for {@code epoch}: it never answers a lower one of that epoch again. */
    record Promised(long epoch, Ballot ballot) implements BallotRecord {
    }

    /** This node accepted {@code proposal} under {@code ballot}. */
    record Accepted(long epoch, Ballot ballot, ViewProposal proposal) implements BallotRecord {
    }

    /** This node learned that {@code proposal} was decided. */
    record Decided(ViewProposal proposal) implements BallotRecord {
    }
}
