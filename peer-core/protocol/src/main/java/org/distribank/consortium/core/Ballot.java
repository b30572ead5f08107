package org.distribank.consortium.core;

import java.util.Comparator;
import org.distribank.consortium.entity.PeerIds;

/**
 * A ballot number of the view ballot: a round and the proposer that started it. Ballots are totally ordered (round,
 * then proposer) and no two proposers share one, so a ballot names at most one proposal.
 */
public record Ballot(long round, String proposer) implements Comparable<Ballot> {

    /** Lower than every ballot a proposer starts: what a node has promised before any PREPARE. */
    public static final Ballot NONE = new Ballot(0, "");

    private static final Comparator<Ballot> ORDER =
            Comparator.comparingLong(Ballot::round).thenComparing(Ballot::proposer, PeerIds.COMPARATOR);

    public Ballot {
        if (round < 0 || proposer == null) {
            throw new IllegalArgumentException("a ballot has a round >= 0 and a proposer, got " + round + "/" + proposer);
        }
    }

    @Override
    public int compareTo(Ballot o) {
        return ORDER.compare(this, o);
    }

    public boolean isHigherThan(Ballot o) {
        return compareTo(o) > 0;
    }
}
