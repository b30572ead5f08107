package org.distribank.consortium.core;

import java.util.List;
import java.util.Map;

/**
 * What the driver must do after one or more {@link ViewBallot} steps, in this order: make {@link #records} durable
 * (append and force); only then send {@link #messages}; start {@link #fetch} if set (and call
 * {@link ViewBallot#fetched} once everything up to its cut is held durably); while {@link #wedged}, neither send,
 * receive nor deliver epoch messages and hold new work; install {@link #decided} if set. A driver that cannot make
 * the records durable stops: nothing of this Ready may leave.
 *
 * @param records  promises, acceptances and decisions to make durable first
 * @param messages ballot messages to send, each to one bank
 * @param fetch    a proposal's cut to fetch before this node may accept it (null: nothing new)
 * @param wedged   whether this node has promised for the next epoch and has not learned its decision
 * @param decided  the newest view this node learned in these steps (null: none)
 */
public record BallotReady(List<BallotRecord> records, List<Envelope> messages, Fetch fetch, boolean wedged,
                          ViewProposal decided) {

    /** A message and the bank it goes to. */
    public record Envelope(String to, BallotMessage message) {
    }

    /** Fetch every message up to {@code cut} (per bank, relayed as its origin sent it) for the proposal of {@code ballot}. */
    public record Fetch(long epoch, Ballot ballot, Map<String, Long> cut) {
    }

    public boolean isEmpty() {
        return records.isEmpty() && messages.isEmpty() && fetch == null && decided == null;
    }
}
