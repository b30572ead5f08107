package org.distribank.consortium.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.View;

/**
 * The consensus that decides the consortium's next view, for one node, as a pure state machine (single-decree Paxos
 * per epoch; PROTOCOL.md "Views: the ballot"). It takes events ({@link #suspect}, {@link #receive}, {@link #fetched},
 * {@link #tick}, {@link #join}, {@link #admit}, {@link #retire}, {@link #heard}, {@link #restore}) and accumulates what to do, which
 * {@link #ready()} hands to the driver ({@link BallotReady}). No threads, clocks or I/O: time is the driver's
 * {@link #tick}s.
 *
 * <p>The acceptors of epoch {@code e+1} are the members of the decided view {@code e}, and every quorum of it (for
 * promises and for acceptances) is a majority of those members: every node that takes part in epoch {@code e+1}
 * has learned the one decided view {@code e}, so all of them draw quorums from one set, and two quorums always
 * share a member. Not thread-safe.
 */
public final class ViewBallot {

    /**
     * Timers, in ticks. A wedged member with no decision starts its own round after {@code retryTicks + rank *
     * ticksPerRank} ticks (lower ids first, so one proposer usually runs alone); on {@link #suspect} it waits
     * {@code rank * ticksPerRank}; a proposer with promises from a majority but not from every member waits
     * {@code patienceTicks} for the others (so a slow member is not dropped from the view for nothing).
     */
    public record Options(int retryTicks, int ticksPerRank, int patienceTicks) {

        public static final int DEFAULT_RETRY_TICKS = 20;
        public static final int DEFAULT_TICKS_PER_RANK = 4;
        public static final int DEFAULT_PATIENCE_TICKS = 6;

        public Options {
            if (retryTicks < 1 || ticksPerRank < 0 || patienceTicks < 0 || patienceTicks >= retryTicks) {
                throw new IllegalArgumentException("ballot timers: retryTicks >= 1, ticksPerRank >= 0, 0 <= "
                        + "patienceTicks < retryTicks; got " + retryTicks + ", " + ticksPerRank + ", " + patienceTicks);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder().retryTicks(retryTicks).ticksPerRank(ticksPerRank).patienceTicks(patienceTicks);
        }

        public static final class Builder {
            private int retryTicks = DEFAULT_RETRY_TICKS;
            private int ticksPerRank = DEFAULT_TICKS_PER_RANK;
            private int patienceTicks = DEFAULT_PATIENCE_TICKS;

            public Builder retryTicks(int v) {
                retryTicks = v;
                return this;
            }

            public Builder ticksPerRank(int v) {
                ticksPerRank = v;
                return this;
            }

            public Builder patienceTicks(int v) {
                patienceTicks = v;
                return this;
            }

            public Options build() {
                return new Options(retryTicks, ticksPerRank, patienceTicks);
            }
        }
    }

    private final String self;
    private final Options options;
    /** Per bank, the highest sequence this node holds durably (the driver's log): what a PROMISE reports. */
    private final Supplier<Map<String, Long>> held;
    /** The epoch this node installed (its driver's view); null: it installs every decision as it learns it. */
    private final LongSupplier installed;

    /** How many decided views are kept for banks that come back behind: each installs every view in turn. */
    public static final int HISTORY = 256;

    // --- learner: the latest decided view; epoch view.epoch + 1 is the one being decided ---
    private ViewProposal decision;
    /**
     * The decided views known here, by epoch (the latest {@link #HISTORY}). A bank behind by several epochs installs
     * each in turn, since each one's install counts the votes of its absent banks: skipping one would leave an
     * operation waiting for a vote its members counted absent.
     */
    private final TreeMap<Long, ViewProposal> history = new TreeMap<>();
    /** Acceptances of the next epoch heard from its acceptors: by ballot, the acceptors. */
    private final Map<Ballot, Set<String>> acceptances = new TreeMap<>();

    // --- acceptor (durable: promise and acceptance) ---
    private long promisedEpoch;
    private Ballot promised = Ballot.NONE;
    private long acceptedEpoch;
    private BallotMessage.AcceptedProposal accepted;
    /** An ACCEPT whose cut is being fetched: accepted at {@link #fetched} unless a higher promise came first. */
    private BallotMessage.Accept awaitingFetch;

    // --- proposer ---
    private Ballot round;
    private final Map<String, BallotMessage.Promise> promises = new TreeMap<>(PeerIds.COMPARATOR);
    private boolean proposed;
    private int roundAge;
    private long highestRound;
    /** Ticks until this node's own PREPARE after a suspicion; -1: none planned. */
    private int prepareIn = -1;
    /** Ticks since this node last saw the ballot of the next epoch move (a promise given, a round started). */
    private int wedgedAge;
    private String joiner;
    private String retiree;

    // --- what the next Ready carries ---
    private List<BallotRecord> records = new ArrayList<>();
    private List<BallotReady.Envelope> messages = new ArrayList<>();
    private BallotReady.Fetch fetch;
    private ViewProposal decidedOut;
    private final ArrayDeque<BallotMessage> toSelf = new ArrayDeque<>();

    /**
     * @param self    this node's id
     * @param initial the view to start from when nothing is restored (epoch 0: every configured bank)
     * @param held    per bank, the highest sequence this node holds durably; called when it promises
     */
    public ViewBallot(String self, View initial, Options options, Supplier<Map<String, Long>> held) {
        this(self, initial, options, held, null);
    }

    /**
     * @param installed the epoch this node has installed: until it installed the decision it learned (it lacks the
     *                  messages of its cut, or holds some past it), it takes no part in deciding the next epoch,
     *                  since what it holds is not what a PROMISE of a member of that view must report
     */
    public ViewBallot(String self, View initial, Options options, Supplier<Map<String, Long>> held,
            LongSupplier installed) {
        if (self == null || initial == null || options == null || held == null) {
            throw new IllegalArgumentException("a view ballot needs its id, an initial view, options and holdings");
        }
        this.self = self;
        this.options = options;
        this.held = held;
        this.installed = installed;
        this.decision = ViewProposal.initial(initial);
        history.put(decision.epoch(), decision);
    }

    /** A fresh ballot starts from {@code initial} instead (the first view's banks are not every peer). */
    void startFrom(View initial) {
        if (decision.epoch() != 0 || !records.isEmpty()) {
            throw new IllegalStateException("a ballot starts from its first view only when fresh");
        }
        history.clear();
        decision = ViewProposal.initial(initial);
        history.put(decision.epoch(), decision);
    }

    // ------------------------------------------------------------------ inputs

    /**
     * Rebuilds the durable state after a crash from the records of earlier Readies, in the order they were made
     * durable. Call once, on a fresh ballot, before any other input.
     */
    public void restore(List<BallotRecord> durable) {
        for (BallotRecord r : durable) {
            if (r instanceof BallotRecord.Promised p) {
                if (p.epoch() > promisedEpoch || p.epoch() == promisedEpoch && p.ballot().isHigherThan(promised)) {
                    promisedEpoch = p.epoch();
                    promised = p.ballot();
                }
            } else if (r instanceof BallotRecord.Accepted a) {
                if (a.epoch() > acceptedEpoch || a.epoch() == acceptedEpoch && a.ballot().isHigherThan(accepted.ballot())) {
                    acceptedEpoch = a.epoch();
                    accepted = new BallotMessage.AcceptedProposal(a.ballot(), a.proposal());
                }
            } else if (r instanceof BallotRecord.Decided d) {
                keep(d.proposal());
                if (d.proposal().epoch() > decision.epoch()) {
                    decision = d.proposal();
                }
            }
        }
        if (promisedEpoch == nextEpoch()) {
            highestRound = promised.round();
        }
        if (acceptedEpoch != nextEpoch()) {
            accepted = null;
        }
    }

    /** This node wants a view change (a member silent or stalled). Ignored while a ballot for the next epoch runs. */
    public void suspect() {
        if (isMember() && round == null && !isWedged() && prepareIn < 0) {
            prepareIn = rank() * options.ticksPerRank();
            if (prepareIn == 0) {
                startRound();
            }
        }
        drainSelf();
    }

    /** Ask this member to add {@code bank} (rejoining, or new to the consortium) in the next view. */
    public void admit(String bank) {
        if (!decision.view().isMember(bank)) {
            joiner = bank;
            retiree = bank.equals(retiree) ? null : retiree;
            suspect();
        }
    }

    /** Ask this member to remove {@code bank} from the next view and from the banks (the driver checked it may). */
    public void retire(String bank) {
        if (decision.view().banks().contains(bank)) {
            retiree = bank;
            joiner = bank.equals(joiner) ? null : joiner;
            suspect();
        }
    }

    /** This node, outside the view, asks its members to add it (the driver calls it again until it is in). */
    public void join() {
        if (!isMember()) {
            for (String m : decision.view().members()) {
                send(m, new BallotMessage.Join(decision.epoch()));
            }
        }
        drainSelf();
    }

    /**
     * The driver saw {@code from} at {@code epoch} (a frame or heartbeat carries it): if that is later than this
     * node's view, ask it for the decision; if earlier, tell it the decision.
     */
    public void heard(String from, long epoch) {
        if (from.equals(self)) {
            return;
        }
        if (epoch > decision.epoch()) {
            send(from, new BallotMessage.Query(installedEpoch()));
        } else if (epoch < decision.epoch()) {
            tell(from, epoch);
        }
    }

    /**
     * This node learned a later view than it installed, but not the one right after its own: it asks the members
     * of the latest for the decisions since (the driver calls it again until it has them).
     */
    public void askHistory() {
        for (String m : decision.view().members()) {
            send(m, new BallotMessage.Query(installedEpoch()));
        }
        drainSelf();
    }

    /** The decided view of {@code epoch}, if known here (null when it was never learned, or is too old to keep). */
    public ViewProposal decided(long epoch) {
        return history.get(epoch);
    }

    /** A ballot message from {@code from}. */
    public void receive(String from, BallotMessage message) {
        handle(from, message);
        drainSelf();
    }

    /** The driver holds every message up to the cut of the proposal of {@code ballot} for {@code epoch}. */
    public void fetched(long epoch, Ballot ballot) {
        BallotMessage.Accept a = awaitingFetch;
        if (a == null || a.epoch() != epoch || !a.ballot().equals(ballot) || epoch != nextEpoch()
                || promisedEpoch != epoch || promised.isHigherThan(ballot)) {
            return;
        }
        awaitingFetch = null;
        acceptedEpoch = epoch;
        accepted = new BallotMessage.AcceptedProposal(ballot, a.proposal());
        records.add(new BallotRecord.Accepted(epoch, ballot, a.proposal()));
        BallotMessage.Accepted note = new BallotMessage.Accepted(epoch, ballot, a.proposal());
        for (String to : oldAndNewMembers(a.proposal())) {
            send(to, note);
        }
        drainSelf();
    }

    /** A logical timer step: retries, patience, the delayed PREPARE after a suspicion. */
    public void tick() {
        if (prepareIn > 0 && round == null && !isWedged()) {
            if (--prepareIn == 0) {
                startRound();
            }
        } else if (round != null) {
            roundAge++;
            if (roundAge > retryTimeout()) {
                startRound(); // the round lost an answerer or an acceptor: a higher one
            } else if (!proposed && roundAge >= options.patienceTicks() && isQuorum(promises.keySet())) {
                propose();
            }
        } else if (isWedged() && isMember()) {
            if (++wedgedAge > retryTimeout()) {
                startRound(); // the proposer we promised went quiet
            }
        }
        drainSelf();
    }

    // ------------------------------------------------------------------ outputs

    /** What to do now; clears it. */
    public BallotReady ready() {
        BallotReady r = new BallotReady(List.copyOf(records), List.copyOf(messages), fetch, isWedged(), decidedOut);
        records = new ArrayList<>();
        messages = new ArrayList<>();
        fetch = null;
        decidedOut = null;
        return r;
    }

    /** The latest view this node learned was decided (the initial one at first). */
    public ViewProposal decision() {
        return decision;
    }

    public View view() {
        return decision.view();
    }

    /** Whether this node promised for the next epoch and has not learned its decision: it must stay quiet. */
    public boolean isWedged() {
        return promisedEpoch == nextEpoch();
    }

    /** The highest promise this node made: (epoch, ballot), never lower across crashes. */
    public BallotRecord.Promised promise() {
        return new BallotRecord.Promised(promisedEpoch, promised);
    }

    // ------------------------------------------------------------------ the protocol

    private void handle(String from, BallotMessage m) {
        if (m instanceof BallotMessage.Decided d) {
            if (d.proposal().epoch() > decision.epoch()) {
                learn(d.proposal());
            } else if (d.proposal().epoch() < decision.epoch()) {
                if (!history.containsKey(d.proposal().epoch())) {
                    keep(d.proposal()); // a view between the one installed and the latest, asked for
                    records.add(new BallotRecord.Decided(d.proposal()));
                }
                send(from, new BallotMessage.Decided(decision));
            }
            return;
        }
        if (m instanceof BallotMessage.Query || m instanceof BallotMessage.Join) {
            if (m.epoch() < decision.epoch()) {
                tell(from, m.epoch());
            }
            // (a JOIN readmits one of the banks; a retired bank, or one never added, is added only by admit)
            if (m instanceof BallotMessage.Join && isMember() && !decision.view().isMember(from)
                    && decision.view().banks().contains(from)) {
                admit(from);
            }
            return;
        }
        if (m.epoch() > nextEpoch()) {
            send(from, new BallotMessage.Query(installedEpoch())); // this node is behind
            return;
        }
        if (m.epoch() <= decision.epoch()) {
            // the sender is behind (a PREPARE, ACCEPT or PROMISE of a decided epoch), or late: tell it
            if (!(m instanceof BallotMessage.Accepted) || m.epoch() < decision.epoch()) {
                tell(from, m.epoch() - 1);
            }
            return;
        }
        if (!decision.view().isMember(from)) {
            return; // only the members of the current view take part in deciding the next
        }
        if (m instanceof BallotMessage.Prepare p) {
            onPrepare(from, p);
        } else if (m instanceof BallotMessage.Promise p) {
            onPromise(from, p);
        } else if (m instanceof BallotMessage.Reject r) {
            onReject(r);
        } else if (m instanceof BallotMessage.Accept a) {
            onAccept(from, a);
        } else if (m instanceof BallotMessage.Accepted a) {
            onAccepted(from, a);
        }
    }

    private void onPrepare(String from, BallotMessage.Prepare p) {
        if (!isMember()) {
            return;
        }
        highestRound = Math.max(highestRound, p.ballot().round());
        if (isWedged() && promised.isHigherThan(p.ballot())) {
            send(from, new BallotMessage.Reject(p.epoch(), promised));
            return;
        }
        promiseAtLeast(p.epoch(), p.ballot());
        send(from, new BallotMessage.Promise(p.epoch(), p.ballot(), accepted, held.get()));
    }

    /** Raises the promise to {@code ballot} (logged), wedging this node and dropping lower own rounds. */
    private void promiseAtLeast(long epoch, Ballot ballot) {
        if (promisedEpoch == epoch && !ballot.isHigherThan(promised)) {
            return;
        }
        promisedEpoch = epoch;
        promised = ballot;
        records.add(new BallotRecord.Promised(epoch, ballot));
        wedgedAge = 0;
        prepareIn = -1;
        if (round != null && ballot.isHigherThan(round)) {
            round = null; // a higher proposer runs: follow it, retry on timeout
        }
        if (awaitingFetch != null && ballot.isHigherThan(awaitingFetch.ballot())) {
            awaitingFetch = null;
        }
    }

    private void onPromise(String from, BallotMessage.Promise p) {
        if (round == null || proposed || !p.ballot().equals(round)) {
            return;
        }
        promises.put(from, p);
        if (promises.size() == decision.view().members().size()
                || roundAge >= options.patienceTicks() && isQuorum(promises.keySet())) {
            propose();
        }
    }

    private void onReject(BallotMessage.Reject r) {
        highestRound = Math.max(highestRound, r.promised().round());
        if (round != null && r.promised().isHigherThan(round)) {
            round = null;
            wedgedAge = 0;
        }
    }

    private void onAccept(String from, BallotMessage.Accept a) {
        if (!isMember()) {
            return;
        }
        highestRound = Math.max(highestRound, a.ballot().round());
        if (isWedged() && promised.isHigherThan(a.ballot())) {
            send(from, new BallotMessage.Reject(a.epoch(), promised));
            return;
        }
        promiseAtLeast(a.epoch(), a.ballot());
        if (accepted != null && accepted.ballot().equals(a.ballot())) {
            for (String to : oldAndNewMembers(a.proposal())) { // a retransmitted ACCEPT: say it again
                send(to, new BallotMessage.Accepted(a.epoch(), a.ballot(), accepted.proposal()));
            }
            return;
        }
        awaitingFetch = a;
        fetch = new BallotReady.Fetch(a.epoch(), a.ballot(), a.proposal().cut());
    }

    private void onAccepted(String from, BallotMessage.Accepted a) {
        Set<String> by = acceptances.computeIfAbsent(a.ballot(), b -> new TreeSet<>(PeerIds.COMPARATOR));
        by.add(from);
        if (isQuorum(by)) {
            learn(a.proposal());
        }
    }

    /** The proposer has a quorum of promises: the highest accepted proposal again, else a new view from the answerers. */
    private void propose() {
        BallotMessage.AcceptedProposal highest = null;
        for (BallotMessage.Promise p : promises.values()) {
            if (p.accepted() != null && (highest == null || p.accepted().ballot().isHigherThan(highest.ballot()))) {
                highest = p.accepted();
            }
        }
        ViewProposal value;
        if (highest != null) {
            value = highest.proposal(); // it may have been decided: nothing else may be
        } else {
            value = fresh();
            if (value == null) {
                return; // the answerers are not a majority of the banks: wait for more, or retry
            }
        }
        proposed = true;
        long epoch = nextEpoch();
        for (String m : decision.view().members()) {
            send(m, new BallotMessage.Accept(epoch, round, value));
        }
    }

    /**
     * Members: the answerers, plus the joiner, minus the retiree; cut: per bank the most any answerer holds. A
     * retirement that would leave the members no majority of the banks waits (the view goes without it, and the
     * driver asks again once enough members are back): the members are wedged by now, and must get a view.
     */
    private ViewProposal fresh() {
        ViewProposal p = fresh(retiree);
        if (p == null && retiree != null) {
            p = fresh(null);
            if (p != null) {
                retiree = null;
            }
        }
        return p;
    }

    private ViewProposal fresh(String retiree) {
        TreeSet<String> banks = new TreeSet<>(PeerIds.COMPARATOR);
        banks.addAll(decision.view().banks());
        TreeSet<String> members = new TreeSet<>(PeerIds.COMPARATOR);
        members.addAll(promises.keySet());
        if (joiner != null) {
            banks.add(joiner);
            members.add(joiner);
        }
        if (retiree != null) {
            banks.remove(retiree);
            members.remove(retiree);
        }
        if (members.isEmpty() || 2 * members.size() <= banks.size()) {
            return null;
        }
        Map<String, Long> cut = new TreeMap<>(PeerIds.COMPARATOR);
        for (BallotMessage.Promise p : promises.values()) {
            p.held().forEach((bank, seq) -> cut.merge(bank, seq, Math::max));
        }
        return new ViewProposal(new View(nextEpoch(), List.copyOf(members), List.copyOf(banks)), cut);
    }

    private void startRound() {
        if (!isMember()) {
            return;
        }
        long r = Math.max(highestRound, promisedEpoch == nextEpoch() ? promised.round() : 0) + 1;
        highestRound = r;
        round = new Ballot(r, self);
        promises.clear();
        proposed = false;
        roundAge = 0;
        prepareIn = -1;
        wedgedAge = 0;
        for (String m : decision.view().members()) {
            send(m, new BallotMessage.Prepare(nextEpoch(), round));
        }
    }

    /** A decided view: logged, handed to the driver, and the ballot of the next epoch starts from nothing. */
    private void learn(ViewProposal value) {
        if (value.epoch() <= decision.epoch()) {
            return;
        }
        decision = value;
        keep(value);
        decidedOut = value;
        records.add(new BallotRecord.Decided(value));
        acceptances.clear();
        accepted = null;
        awaitingFetch = null;
        fetch = null;
        round = null;
        promises.clear();
        proposed = false;
        prepareIn = -1;
        wedgedAge = 0;
        highestRound = 0;
        if (joiner != null && value.view().isMember(joiner)) {
            joiner = null;
        }
        if (retiree != null && !value.view().banks().contains(retiree)) {
            retiree = null;
        }
    }

    private boolean isQuorum(Set<String> answerers) {
        int n = 0;
        for (String m : decision.view().members()) {
            if (answerers.contains(m)) {
                n++;
            }
        }
        return 2 * n > decision.view().members().size();
    }

    private List<String> oldAndNewMembers(ViewProposal p) {
        TreeSet<String> to = new TreeSet<>(PeerIds.COMPARATOR);
        to.addAll(decision.view().members());
        to.addAll(p.view().members());
        return List.copyOf(to);
    }

    /** Tells a bank that installed {@code epoch} the decisions it lacks: the one after its own, and the latest. */
    private void tell(String to, long epoch) {
        ViewProposal next = history.get(epoch + 1);
        if (next != null && next.epoch() < decision.epoch()) {
            send(to, new BallotMessage.Decided(next));
        }
        send(to, new BallotMessage.Decided(decision));
    }

    private void keep(ViewProposal p) {
        history.put(p.epoch(), p);
        while (history.size() > HISTORY) {
            history.pollFirstEntry();
        }
    }

    /** The epoch this node installed (what it asks the decisions after). */
    private long installedEpoch() {
        return installed == null ? decision.epoch() : Math.min(decision.epoch(), installed.getAsLong());
    }

    private long nextEpoch() {
        return decision.epoch() + 1;
    }

    /** A member of the decided view that has installed it: only such a node promises, accepts or proposes. */
    private boolean isMember() {
        return decision.view().isMember(self) && (installed == null || installed.getAsLong() >= decision.epoch());
    }

    private int rank() {
        return Math.max(0, decision.view().members().indexOf(self));
    }

    private int retryTimeout() {
        return options.retryTicks() + rank() * options.ticksPerRank();
    }

    private void send(String to, BallotMessage m) {
        if (to.equals(self)) {
            toSelf.add(m);
        } else {
            messages.add(new BallotReady.Envelope(to, m));
        }
    }

    /** Messages to itself are handled at once, after the step that sent them (their records come first). */
    private void drainSelf() {
        BallotMessage m;
        while ((m = toSelf.poll()) != null) {
            handle(self, m);
        }
    }
}
