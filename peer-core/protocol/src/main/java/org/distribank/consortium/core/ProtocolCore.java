package org.distribank.consortium.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.clock.LogicalClock;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.OrderKey;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.QueueEntry;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.entity.Vote;
import org.distribank.consortium.multicast.HoldBackQueue;
import org.distribank.consortium.wire.WireBatch;
import org.distribank.consortium.wire.WireCodec;
import org.distribank.consortium.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one node as a pure state machine, in the manner of etcd's raft: it takes events
 * (a client {@link #submit}, a batch {@link #receive}d from a peer, a link ack, a log record at
 * {@link #replay}) and accumulates what to do about them, which {@link #ready()} hands to the
 * driver ({@link Ready}: records to append and force, messages to send, outcomes to report, events
 * to publish); the driver calls {@link #advance} once the Ready is durable and sent. No threads,
 * sockets, clocks or files: the same core runs in a node and in the deterministic simulator.
 *
 * <p>Lamport's totally ordered multicast: every message carries the sender's vector clock; an
 * operation is delivered when it heads the hold-back queue (by clock sum, then origin) and every
 * other peer has sent something with a larger key. Delivered operations are voted by the bank(s)
 * the {@link StateMachine} names and decided in delivery order ({@link BallotBox}). Not
 * thread-safe, except {@link #outcome}, {@link #logHash} and {@link #deliveredCount}, which any
 * thread may read.
 */
public final class ProtocolCore {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolCore.class);
    /** The NO reason of a vote the machine could not give (it threw). */
    public static final String MACHINE_ERROR = "MACHINE_ERROR";
    /** The reason of the NO counted for a voter outside the view (its vote never came within the cut). */
    public static final String BANK_OFFLINE = "BANK_OFFLINE";
    /** Outcomes kept in memory by default; a machine that remembers more answers {@link StateMachine#outcomeOf}. */
    public static final int RECENT_OUTCOMES = 10_000;

    private final String self;
    private final List<String> peerIds;
    private final Map<String, Integer> peerRank = new HashMap<>();
    private final StateMachine machine;
    private final WireCodec codec;
    private final LogicalClock clock;
    private final HoldBackQueue queue;
    private final BallotBox ballots = new BallotBox();
    /** The highest sequence number received in order from each other peer. */
    private final Map<String, Long> received = new HashMap<>();
    /** The clock of the last message received from each peer (canonical order): a sender's clock never goes back. */
    private final Map<String, long[]> lastClockFrom = new HashMap<>();
    private final Map<String, Long> linkAcked = new HashMap<>();
    /**
     * The latest receive vector of each other peer (canonical order): per origin, the highest sequence number that
     * peer holds durably and contiguously from it, its own entry its last durable sequence number. Entries only
     * grow (what is durable stays durable), so a stale or repeated vector changes nothing.
     */
    private final Map<String, long[]> receiveVectors = new HashMap<>();
    /** The OP message's sequence number of each queued operation, by order key (unique per origin). */
    private final Map<OrderKey, Long> opSeqs = new HashMap<>();
    /** During replay: delivered operations this node votes on, waiting for their logged vote. */
    private final LinkedHashMap<String, Operation> replayedAwaitingOwnVote = new LinkedHashMap<>();
    /** Own votes a replay met before their operation's delivery (a rebuild's replay): restored at the delivery. */
    private final Map<String, BallotBox.Cast> earlyOwnVotes = new HashMap<>();
    /** Deliveries whose vote waits for this burst's decisions to reach the machine ({@link #advance}). */
    private final List<Operation> votesAfterAdvance = new ArrayList<>();
    /** Votes cast in this burst: they leave in one VOTE message at its end. */
    private final List<WireMessage.Ballot> castThisBurst = new ArrayList<>();
    /**
     * The most recent outcomes ({@link #RECENT_OUTCOMES}, oldest evicted first, in decision order); older ones are
     * the machine's to remember ({@link StateMachine#outcomeOf}): the heap holds a window, never the history.
     */
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<String> outcomeOrder = new java.util.ArrayDeque<>();
    private final int recentOutcomes;
    /** Delivered operations whose voters the machine could not name: their origin votes NO. */
    private final java.util.Set<String> unvotable = new java.util.HashSet<>();
    /**
     * Decided in a burst whose Ready is not durable yet: the machine learns them at {@link #advance}. A node
     * that fails to make the burst durable stops, and nobody (machine, client, reader of outcomes) saw them.
     */
    private List<BallotBox.Decided> undurable = new ArrayList<>();
    private final java.util.Set<String> undurableIds = new java.util.HashSet<>();
    private List<BallotBox.Decided> readyDecisions = List.of();
    private final MessageDigest sha256;
    private long nextSeq = 1;
    private boolean needAck;
    private boolean replaying;
    /** Replay: the log says the outcomes through this delivery position were final ({@link LogRecord.Finalized}). */
    private long finalThrough;
    /** The view this node orders in (DESIGN.md "Views"): delivery and stability count its members only. */
    private View view;
    /**
     * Promised for the next epoch and not yet installed it ({@link #wedge}): nothing is delivered, sent or taken from
     * a link, so nothing can fall outside the cut the ballot decides.
     */
    private boolean wedged;
    /**
     * Other peers' messages this node holds and some member may not (not known stable), kept to relay them as their
     * origin sent them when a view change fetches its cut ({@link #relay}). Pruned as the members' vectors cover
     * them, so it holds what is in flight, not history.
     */
    private final Map<String, java.util.TreeMap<Long, WireMessage>> relayable = new HashMap<>();
    /**
     * Whether view changes are on ({@link #viewChanges}): only then are received messages kept for relaying (while
     * a bank is down they are kept until it has them, as the outbox keeps this node's own; with views off nobody
     * would ever ask for them).
     */
    private boolean relaying;
    /** The view ballot (Paxos per epoch), stepped inside this core so one Ready carries both. */
    private final ViewBallot ballot;
    /** Its latest promise and acceptance: what a snapshot keeps of them (the log's copies get truncated). */
    private final Map<Class<?>, BallotRecord> ballotDurable = new LinkedHashMap<>();
    /** The decided views a snapshot keeps, by epoch ({@link ViewBallot#HISTORY} of them, as the ballot does). */
    private final java.util.TreeMap<Long, BallotRecord.Decided> decidedDurable = new java.util.TreeMap<>();
    private int historyTicks;
    /** The cut of the view this node installed in this incarnation; null: not known here. */
    private Map<String, Long> installedCut;
    /** The rebuilds the log asks for ({@code Z}), by epoch: at replay, what is past their cuts is left out. */
    private final java.util.TreeMap<Long, ViewProposal> voids = new java.util.TreeMap<>();
    /** Own operations taken back (never ordered) since the driver last asked: their clients may retry. */
    private final List<String> takenBack = new ArrayList<>();
    /** This node wrote a rebuild ({@code Z}): its driver restarts it once the record is durable. */
    private ViewProposal rebuild;
    /** At replay: the highest epoch promised and decided in the records so far ({@link #replayWedge}). */
    private long replayPromised;
    private long replayDecided;
    /** Ballot records replayed from a snapshot and the log, restored at {@link #finishReplay}. */
    private final List<BallotRecord> replayedBallot = new ArrayList<>();
    /** A proposal this node must hold the cut of before it may accept it. */
    private BallotReady.Fetch acceptFetch;
    /** Ticks the order has waited with no delivery or decision; past {@link #stallTicks} the ballot suspects. */
    private int stalledTicks;
    private long lastProgress;
    private int stallTicks = 30;
    /** Ticks spent outside the view; every {@link #JOIN_EVERY}th a JOIN goes to the members. */
    private long outsideTicks;
    static final int JOIN_EVERY = 10;
    /**
     * The highest sequence number this node ever sent, also before it took messages back: a peer left out with it
     * can still hold (and ack) those, which is no sign of a lost log.
     */
    private long highestSent;
    /**
     * The clock of the last message this node sent, null when not known (after a restore from an older snapshot, or
     * a take-back): a joining bank's first snapshot says it, as the clock of the last message it holds from this one.
     */
    private long[] lastSentClock;
    /** This node took back its own messages past this sequence number in this burst ({@link #rewindOwn}); -1: no. */
    private long rewoundTo = -1;
    /** The view being installed while its deliveries run (who may vote on them), else null. */
    private View installing;
    /** A decided view not installed yet (messages of its cut missing, or held past its cut). */
    private ViewProposal pendingInstall;
    /** This node holds messages past a decided cut: it is outside the view until rebuilt (rejoin). */
    private boolean pastCut;
    private List<BallotReady.Envelope> ballotOut = new ArrayList<>();
    /** Peers whose frame showed another epoch this tick: the ballot hears of each once a tick, not per frame. */
    private final java.util.Set<String> heardThisTick = new java.util.HashSet<>();
    private Map<String, long[]> fetchOut;
    /** A vote arrived since the driver last asked: the vector that holds it is news ({@link #takeVectorNews}). */
    private boolean vectorNews;
    /** Decided final in this burst through this position: logged with it ({@link LogRecord.Finalized}). */
    private long finalizedThrough;
    private boolean observing;
    private byte[] logHash = new byte[32];
    private volatile byte[] publishedHash = new byte[32];
    private volatile long delivered;

    // --- what the next Ready carries ---
    private List<LogRecord> records = new ArrayList<>();
    private boolean mustSync;
    private List<Ready.Outgoing> messages = new ArrayList<>();
    private long trimThrough;
    private List<Ready.Event> events = new ArrayList<>();
    private boolean readyOutstanding;

    public ProtocolCore(String self, List<String> peerIds, StateMachine machine) {
        this(self, peerIds, machine, RECENT_OUTCOMES);
    }

    /** {@code recentOutcomes}: how many of the latest outcomes this core keeps in memory (the same at every peer). */
    public ProtocolCore(String self, List<String> peerIds, StateMachine machine, int recentOutcomes) {
        this(self, peerIds, machine, recentOutcomes, ViewBallot.Options.builder().build());
    }

    /** {@code ballotOptions}: the view ballot's timing, in ticks of {@link #tick}. */
    public ProtocolCore(String self, List<String> peerIds, StateMachine machine, int recentOutcomes,
                        ViewBallot.Options ballotOptions) {
        if (recentOutcomes < 1) {
            throw new IllegalArgumentException("recentOutcomes must be positive, got " + recentOutcomes);
        }
        this.recentOutcomes = recentOutcomes;
        if (!peerIds.contains(self)) {
            throw new IllegalArgumentException("selfId " + self + " is not among the peers " + peerIds);
        }
        this.self = self;
        this.peerIds = List.copyOf(peerIds);
        for (int i = 0; i < peerIds.size(); i++) {
            peerRank.put(peerIds.get(i), i);
        }
        this.machine = machine;
        this.codec = new WireCodec(peerIds);
        this.clock = new LogicalClock(self, peerIds);
        this.queue = new HoldBackQueue(self, peerIds);
        this.view = View.initial(peerIds);
        this.ballot = new ViewBallot(self, view, ballotOptions, this::heldForPromise, () -> view.epoch());
        for (String p : peerIds) {
            if (!p.equals(self)) {
                received.put(p, 0L);
                linkAcked.put(p, 0L);
            }
        }
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ inputs

    /** Whether protocol events are wanted in {@link Ready#events()} (building them costs). */
    public void observe(boolean on) {
        observing = on;
    }

    /**
     * Recovery, first pass (before {@link #replay}, over the same records): finds the rebuilds the log asks for
     * ({@code Z} records, which come after the void messages they void).
     */
    public void prescan(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == 'Z' && LogRecord.decode(bytes) instanceof LogRecord.Voided z) {
            voids.put(z.proposal().epoch(), z.proposal());
        }
    }

    /** Recovery: one record of the log, in order. Call {@link #finishReplay} after the last. */
    public void replay(byte[] bytes) {
        replaying = true;
        try {
            LogRecord rec = LogRecord.decode(bytes);
            ViewProposal voiding = voiding();
            if (rec instanceof LogRecord.Sent s) {
                long seq = voiding == null ? 0 : codec.readMessage(s.json()).seq();
                if (voiding == null || seq <= voiding.cut().getOrDefault(self, 0L)) {
                    replaySent(s.json());
                } else {
                    highestSent = Math.max(highestSent, seq); // void: never sent
                }
            } else if (rec instanceof LogRecord.Received r) {
                WireBatch batch = codec.readBatch(r.batchJson());
                if (voiding != null) {
                    batch = withinCut(batch, voiding.cut().getOrDefault(r.from(), 0L));
                }
                if (batch != null) {
                    receiveBatch(r.from(), batch, r.batchJson());
                }
            } else if (rec instanceof LogRecord.Voided z) {
                highestSent = Math.max(highestSent, z.highestSent());
            } else if (rec instanceof LogRecord.LinkAcked a) {
                long upTo = voiding == null ? a.upTo() : Math.min(a.upTo(), voiding.cut().getOrDefault(self, 0L));
                linkAcked.merge(a.peer(), upTo, Math::max);
                trimThrough = minLinkAck();
            } else if (rec instanceof LogRecord.Installed v) {
                Install found = install(v.proposal());
                if (found != Install.INSTALLED) {
                    throw new IllegalStateException("the log installs epoch " + v.proposal().epoch() + " (cut "
                            + v.proposal().cut() + ") where its replay finds " + found + ": holds " + held()
                            + ", own last sent " + (nextSeq - 1));
                }
            } else if (rec instanceof LogRecord.Rewound r) {
                highestSent = Math.max(highestSent, r.highestSent());
                rewindOwn(r.ownCut());
            } else if (rec instanceof LogRecord.Balloted w) {
                replayedBallot.add(w.record());
                keepDurable(w.record());
                replayWedge(w.record());
            } else if (rec instanceof LogRecord.Finalized f) {
                finalThrough = Math.max(finalThrough, f.position());
                tryDecide();
            }
        } finally {
            replaying = false;
        }
    }

    /**
     * The wedge as it was live when {@code r} was logged (the ballot itself is restored only at the end of replay):
     * a promise for a later epoch, or a decided view not installed yet, stopped deliveries; the messages relayed
     * meanwhile are in the log and must not be delivered at replay either (found by the simulator: a rejoining bank
     * delivered them at replay, and could then no longer take back its own messages past the cut it had installed).
     */
    private void replayWedge(BallotRecord r) {
        if (r instanceof BallotRecord.Promised p) {
            replayPromised = Math.max(replayPromised, p.epoch());
            if (p.epoch() > view.epoch() && view.isMember(self)) {
                wedged = true;
            }
        } else if (r instanceof BallotRecord.Decided d) {
            replayDecided = Math.max(replayDecided, d.proposal().epoch());
            if (d.proposal().epoch() > view.epoch()) {
                wedged = true;
            }
        }
    }

    /** The cut of the view this node installed (what a peer of an older epoch can validly hold), or null. */
    private Map<String, Long> cutOfView() {
        if (view.epoch() == 0 || installedCut != null) {
            return installedCut;
        }
        BallotRecord.Decided decided = decidedDurable.get(view.epoch());
        return decided != null ? decided.proposal().cut() : null; // (null: 256 views ago)
    }

    /**
     * Clamps {@code rv} (a copy if changed) to {@code cut}: what a vector counts past a view's cut are messages taken
     * back, which say nothing of those sent under the same numbers since.
     */
    private long[] vectorWithinCut(long[] rv, Map<String, Long> cut) {
        long[] out = rv;
        for (String p : peerIds) {
            int i = clock.indexOf(p);
            long c = cut.getOrDefault(p, 0L);
            if (out[i] > c) {
                out = out == rv ? rv.clone() : out;
                out[i] = c;
            }
        }
        return out;
    }

    /**
     * The rebuild in force at this point of the replay: the cut of the next view to install, if the log voids what
     * was past it ({@code Z}), else null.
     */
    private ViewProposal voiding() {
        if (voids.isEmpty()) {
            return null;
        }
        Map.Entry<Long, ViewProposal> next = voids.higherEntry(view.epoch());
        return next == null ? null : next.getValue();
    }

    /** {@code batch} without its messages past {@code upTo}; null when it had messages and none is left. */
    private static WireBatch withinCut(WireBatch batch, long upTo) {
        List<WireMessage> kept = new ArrayList<>();
        for (WireMessage m : batch.messages()) {
            if (m.seq() <= upTo) {
                kept.add(m);
            }
        }
        if (kept.size() == batch.messages().size()) {
            return batch;
        }
        return kept.isEmpty() ? null
                : new WireBatch(batch.from(), batch.ack(), kept, batch.snap(), batch.rv(), batch.epoch());
    }

    private void replaySent(String json) {
        WireMessage m = codec.readMessage(json);
        clock.restoreSend(m.clock());
        lastSentClock = m.clock().clone();
        nextSeq = m.seq() + 1;
        messages.add(new Ready.Outgoing(m.seq(), json));
        needAck = false;
        switch (m.type()) {
            case WireMessage.OP -> {
                queueOp(new Operation(m.id(), self, clock.toVectorClock(m.clock()), m.payload()), m.seq());
                needAck = true;
                tryDeliver();
            }
            case WireMessage.VOTE -> {
                for (WireMessage.Ballot b : m.votes()) {
                    restoreOwnVote(b.id(), b.yes() ? Vote.yesVote() : Vote.no(b.reason()), m.seq());
                }
            }
            default -> { }
        }
    }

    /**
     * The end of recovery: what the crash cut short (deliveries whose vote never reached the log,
     * asked now in delivery order, since nobody has seen a vote for them; an ACK owed). The
     * replayed state is durable already; the records this adds are in the next Ready.
     */
    public void finishReplay() {
        ballot.restore(replayedBallot);
        replayedBallot.clear();
        int me = clock.indexOf(self);
        for (long[] rv : receiveVectors.values()) {
            rv[me] = Math.min(rv[me], nextSeq - 1); // (a snapshot's vectors can count messages a rebuild left out)
        }
        planInstall(); // decided, not installed before the crash
        if (ballot.isWedged() || ballot.decision().epoch() > view.epoch()) {
            wedged = true; // it promised, or learned a view it has not installed: nothing past what it reported
        }
        for (Operation op : new ArrayList<>(replayedAwaitingOwnVote.values())) {
            castOwnVote(op, askVote(op));
        }
        replayedAwaitingOwnVote.clear();
        tryDecide();
        endBurst(true);
        mustSync = true;
    }

    /**
     * A client's operation: multicast it, unless it is decided already.
     *
     * @return its outcome if {@code id} was decided before (nothing is sent)
     */
    public Optional<Outcome> submit(String id, String payload) {
        Optional<Outcome> done = outcome(id);
        if (done.isPresent()) {
            return done;
        }
        if (undurableIds.contains(id)) {
            return Optional.empty(); // decided in this burst: reported with it once durable
        }
        if (wedged || !view.isMember(self)) {
            throw new IllegalStateException("a node that is wedged or outside the view orders nothing (its driver "
                    + "refuses new work)");
        }
        long seq = send((s, stamp) -> WireMessage.op(s, stamp, id, payload));
        queueOp(new Operation(id, self, clock.current(), payload), seq);
        needAck = true;
        tryDeliver();
        return Optional.empty();
    }

    /**
     * A batch from peer {@code from} (authenticated as that peer by the driver). Refused whole if it
     * could not come from an honest peer: nothing of it is logged or applied.
     *
     * @param raw the batch as it came (what is logged)
     * @return why it is refused, or null when taken (its new messages, if any, are in the next Ready)
     */
    public String receive(String from, WireBatch batch, String raw) {
        if (!received.containsKey(from)) {
            return "unknown peer " + from;
        }
        if (batch.epoch() != view.epoch() && heardThisTick.add(from)) {
            ballot.heard(from, batch.epoch()); // the one behind learns the later decision (once a tick per peer)
            drainBallot();
        }
        if (batch.epoch() > view.epoch()) {
            return null; // dropped unread: this node learns that view first, then the sender resends
        }
        if (wedged) {
            return null; // dropped unread and unacknowledged: the sender resends it once this node installed
        }
        if (!view.isMember(from) || batch.epoch() < view.epoch()) {
            // a bank outside the view: what it sends after the cut never counts (it learns the view and rejoins);
            // a frame of an earlier epoch (its sender had not installed this view when it wrote it): what it carries
            // within that view's cut is held here already (an install holds all of it) and what is past the cut is
            // void, taken back by its sender, whose later messages reuse those numbers (the network-namespace test
            // found members delivering such an OP that TCP delivered after the heal, at a position its sender
            // never delivered). Its vector still says what it holds, so what it lacks is kept for relaying to it
            if (vectorRefusal(batch.rv()) == null) {
                mergeVector(from, batch.rv(), batch.epoch());
            }
            return null;
        }
        String refusal = refusal(from, batch);
        if (refusal == null) {
            refusal = vectorRefusal(batch.rv());
        }
        if (refusal != null) {
            return refusal;
        }
        receiveBatch(from, batch, raw);
        return null;
    }

    /**
     * A receive vector from {@code from} that came outside a batch (on an ack frame). Ignored if it claims more of
     * this node's messages than it ever sent (no honest peer does).
     */
    public void receiveVector(String from, long[] rv) {
        if (!received.containsKey(from) || vectorRefusal(rv) != null) {
            return;
        }
        if (mergeVector(from, rv, view.epoch())) {
            tryDecide();
        }
    }

    /**
     * This node's receive vector now, in canonical order: per peer the highest sequence number received from it in
     * order, its own entry its last sequence number sent. Durable once the current Ready is (the driver hands it to
     * its links at release, after the sync).
     */
    public long[] receiveVector() {
        long[] rv = new long[peerIds.size()];
        for (String p : peerIds) {
            rv[clock.indexOf(p)] = p.equals(self) ? nextSeq - 1 : received.get(p);
        }
        return rv;
    }

    private String vectorRefusal(long[] rv) {
        if (rv == null) {
            return null;
        }
        if (rv.length != peerIds.size()) {
            return "a receive vector has " + peerIds.size() + " entries";
        }
        long mine = rv[clock.indexOf(self)];
        if (mine > Math.max(nextSeq - 1, highestSent)) {
            return "its receive vector holds " + mine + " of this peer's messages, which sent " + (nextSeq - 1);
        }
        return null;
    }

    /** Merges {@code from}'s receive vector entry-wise (entries only grow); true if any grew. */
    private boolean mergeVector(String from, long[] rv, long epoch) {
        if (rv == null) {
            return false;
        }
        int me = clock.indexOf(self);
        if (rv[me] > nextSeq - 1) {
            // it holds messages this node took back (left out of a view): they say nothing of the ones it sends now
            rv = rv.clone();
            rv[me] = nextSeq - 1;
        }
        // a peer behind this node's view validly holds messages up to that view's cut only (it drops frames of later
        // epochs unread): more is messages taken back (by this node or a third bank), which say nothing of those
        // sent under the same numbers since (the simulator found decisions counted stable on a rebuilt peer's count)
        Map<String, Long> cut = epoch < view.epoch() ? cutOfView() : null;
        if (cut != null) {
            rv = vectorWithinCut(rv, cut);
        }
        long[] known = receiveVectors.get(from);
        if (known == null) {
            receiveVectors.put(from, rv.clone());
            return true;
        }
        boolean grew = false;
        for (int i = 0; i < known.length; i++) {
            if (rv[i] > known[i]) {
                known[i] = rv[i];
                grew = true;
            }
        }
        return grew;
    }

    /**
     * Whether message {@code seq} of {@code origin} is stable: every member holds it durably, as far as this node
     * knows (every other peer's latest receive vector covers it, and this node holds it; this node's own hold is
     * made durable by the sync before any decision leaves the core).
     */
    private boolean stable(String origin, long seq) {
        if (seq <= 0) {
            return true; // restored from a snapshot written before stability was measured
        }
        long own = origin.equals(self) ? nextSeq - 1 : received.getOrDefault(origin, 0L);
        if (own < seq) {
            return false;
        }
        int i = clock.indexOf(origin);
        for (String p : view.members()) {
            if (p.equals(self)) {
                continue;
            }
            long[] rv = receiveVectors.get(p);
            if (rv == null || rv[i] < seq) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this node received a vote since the last call: the receive vector it makes durable now is news the
     * peers wait for (the operation becomes final once every member holds the vote), worth a frame of its own.
     */
    public boolean takeVectorNews() {
        boolean news = vectorNews;
        vectorNews = false;
        return news;
    }

    // ------------------------------------------------------------------ views (DESIGN.md "Views")

    /** How many ticks of no delivery or decision, with work waiting, make this node suspect a member (30). */
    public void stallTicks(int ticks) {
        this.stallTicks = ticks;
    }

    /**
     * The banks of the first view, when some configured peers are not among them yet (slots for banks an operator
     * adds later, PROTOCOL.md "Adding a bank"): they order nothing and vote on nothing until a view adds them. Every
     * peer must be configured alike. Call on a fresh core, before replay.
     */
    public void initialBanks(List<String> banks) {
        if (delivered != 0 || nextSeq != 1 || !peerIds.containsAll(banks)) {
            throw new IllegalStateException("the first view's banks are set on a fresh core, from its peers");
        }
        view = View.initial(banks);
        queue.members(view.members());
        ballot.startFrom(view);
    }

    /** Turns view changes on (DESIGN.md "Views"): messages are kept for relaying. Call before replay. */
    public void viewChanges(boolean on) {
        relaying = on;
    }

    /** The highest sequence number this node ever sent, taken-back ones included. */
    public long highestSent() {
        return Math.max(highestSent, nextSeq - 1);
    }

    /** The view this node orders in. */
    public View view() {
        return view;
    }

    /** Whether this node is wedged: promised for the next epoch, not yet installed it. */
    public boolean isWedged() {
        return wedged;
    }

    /**
     * The ballot promised for the next epoch (true) or this node installed a view (false is done by
     * {@link #install}). While wedged the node delivers, sends and takes from its links nothing: its PROMISE told
     * what it holds, and anything it took or delivered later could fall outside the cut. Relayed messages up to a
     * cut are still taken ({@link #receiveRelayed}). Called between bursts.
     */
    public void wedge() {
        wedged = true;
    }

    /**
     * Per bank, the highest sequence number this node holds from it (its own: the last it sent), contiguously:
     * what a PROMISE reports. Durable when asked between Readies, as the driver does.
     */
    public Map<String, Long> held() {
        Map<String, Long> held = new java.util.TreeMap<>(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        for (String p : peerIds) {
            held.put(p, p.equals(self) ? nextSeq - 1 : received.get(p));
        }
        return held;
    }

    /**
     * Messages of {@code origin} (another peer) with sequence numbers in ({@code after}, {@code upTo}] that this
     * node still holds for relaying, as JSON, in order, contiguous from {@code after + 1} (possibly fewer: what it
     * has). This node's own messages are its driver's outbox's to relay.
     */
    public List<String> relay(String origin, long after, long upTo) {
        java.util.TreeMap<Long, WireMessage> held = relayable.get(origin);
        List<String> out = new ArrayList<>();
        if (held == null || upTo <= after) {
            return out;
        }
        long next = after + 1;
        for (WireMessage m : held.subMap(after, false, upTo, true).values()) {
            if (m.seq() != next) {
                break;
            }
            out.add(codec.write(m));
            next++;
        }
        return out;
    }

    /**
     * Messages of {@code origin} relayed by another member for a view change's cut, as their origin sent them:
     * taken like a batch from {@code origin}'s own link (in sequence, duplicates dropped, the same refusals), and
     * logged as such, even while wedged (that is what the fetch is for). Nothing is delivered while wedged.
     *
     * @return why they are refused, or null
     */
    public String receiveRelayed(String origin, List<String> messagesJson) {
        if (!received.containsKey(origin)) {
            return "unknown peer " + origin;
        }
        StringBuilder raw = new StringBuilder("{\"from\":\"").append(origin).append("\",\"messages\":[");
        for (int i = 0; i < messagesJson.size(); i++) {
            raw.append(i == 0 ? "" : ",").append(messagesJson.get(i));
        }
        String json = raw.append("]}").toString();
        WireBatch batch = codec.readBatch(json);
        String refusal = refusal(origin, batch);
        if (refusal != null) {
            return refusal;
        }
        receiveBatch(origin, batch, json);
        return null;
    }

    /** What {@link #install} found. */
    public enum Install {
        /** Installed: the old epoch's messages up to the cut delivered, the new members ordering. */
        INSTALLED,
        /** This node lacks messages up to the cut: fetch them ({@link #missing}), then install. */
        MISSING,
        /**
         * This node holds messages past the cut (it was not among those the cut was taken from): it cannot take
         * them back in place; it is outside the new view, or must be rebuilt from its log without them.
         */
        PAST_CUT
    }

    /** The failure detector suspects a member (silent, or its link stalled with messages outstanding). */
    public void suspect() {
        if (pendingInstall != null || pastCut) {
            return; // not an acceptor of the next epoch before it installed this one (see ballotMessage)
        }
        ballot.suspect();
        drainBallot();
    }

    /** A logical tick of the ballot's timers (retries, patience); a fetch still missing is asked again. */
    public void tick() {
        heardThisTick.clear();
        // a member that stays online but holds the order up (it never installed a view, or its link is stuck)
        // is suspected too: the head of the queue or of the ballots waiting this long means someone is not there
        boolean waiting = !wedged && view.isMember(self) && (queue.size() > 0 || ballots.hasWaiting());
        long progress = delivered * 31 + outcomeOrder.size();
        if (waiting && progress == lastProgress) {
            if (++stalledTicks > stallTicks) {
                stalledTicks = 0;
                suspect();
            }
        } else {
            stalledTicks = 0;
        }
        lastProgress = progress;
        if (pendingInstall == null && !pastCut) {
            ballot.tick(); // (no rounds of its own before it installed the view it learned: see ballotMessage)
        }
        if (pendingInstall == null && ballot.decision().epoch() > view.epoch() && ++historyTicks % JOIN_EVERY == 0) {
            ballot.askHistory(); // it learned a view, not the ones between (see planInstall)
        }
        if (view.isOut(self) && !wedged && !pastCut && pendingInstall == null
                && ++outsideTicks % JOIN_EVERY == 0) {
            ballot.join(); // a learner that installed the view without it asks the members to add it again
        }
        if (view.isMember(self) && !wedged && pendingInstall == null) {
            for (String bank : machine.retiredBanks()) {
                if (ballot.decision().view().banks().contains(bank) && leavesAMajority(bank)) {
                    ballot.retire(bank); // (asked again every tick until a decided view is without it)
                    break;
                }
            }
        }
        drainBallot();
        if (fetchOut == null) {
            Map<String, Long> want = acceptFetch != null ? acceptFetch.cut()
                    : pendingInstall != null && !pastCut ? pendingInstall.cut() : null;
            if (want != null && !missing(want).isEmpty()) {
                fetchOut = missing(want); // ask again (the driver tries another member)
            }
        }
    }

    /**
     * Whether the members without {@code bank} are a majority of the banks without it: else a view without it cannot
     * be decided (the ballot would wedge every member for nothing), and the retired bank stays a member, taking no
     * new work, until enough of the others are back.
     */
    private boolean leavesAMajority(String bank) {
        View v = ballot.decision().view();
        int members = v.members().size() - (v.isMember(bank) ? 1 : 0);
        return 2 * members > v.banks().size() - 1;
    }

    /** A view-ballot message from {@code from}. */
    public void ballotMessage(String from, BallotMessage message) {
        if ((pendingInstall != null || pastCut)
                && (message instanceof BallotMessage.Prepare || message instanceof BallotMessage.Accept)) {
            // an acceptor of the next epoch must have installed this one: what it holds is what its PROMISE says,
            // within the cut (a joiner that held messages past it would put them into the next cut)
            return;
        }
        ballot.receive(from, message);
        drainBallot();
    }

    /** Ask the view ballot to add {@code bank} (the operator, at a member). */
    public void admit(String bank) {
        ballot.admit(bank);
        drainBallot();
    }

    /** Ask the view ballot to retire {@code bank} (the operator, at a member; the machine checked it may). */
    public void retire(String bank) {
        ballot.retire(bank);
        drainBallot();
    }

    /** The ballot's latest decision (the view this node installed, or is about to). */
    public ViewProposal decision() {
        return ballot.decision();
    }

    /**
     * The ids of this node's own operations it took back since the last call (left out of a view, their OPs past
     * its cut: never ordered): whoever waits for them should hear so, and the client may retry the same id.
     */
    public List<String> takeTakenBack() {
        List<String> out = List.copyOf(takenBack);
        takenBack.clear();
        return out;
    }

    /**
     * The view this node asked to be rebuilt for (a {@code Z} record in the Ready just carried out), or null: its
     * driver restarts it from its log, which leaves out what is past that view's cut and installs it. Cleared by
     * the call.
     */
    public ViewProposal takeRebuild() {
        ViewProposal r = rebuild;
        rebuild = null;
        return r;
    }

    /** Whether this node holds messages past a decided cut: outside the view until rebuilt. */
    public boolean isPastCut() {
        return pastCut;
    }

    /**
     * Messages of {@code origin} relayed for a view change (as its origin sent them): taken, logged, and then the
     * acceptance or the install that waited for them goes on.
     *
     * @return why they are refused, or null
     */
    public String relayed(String origin, List<String> messagesJson) {
        // only up to the cut this node is fetching now: a late answer to a fetch for a proposal it has since
        // promised past would make it hold more than its newer PROMISE reported
        Map<String, Long> limit = acceptFetch != null ? acceptFetch.cut()
                : pendingInstall != null && !pastCut ? pendingInstall.cut() : null;
        if (limit == null) {
            return null;
        }
        long upTo = limit.getOrDefault(origin, 0L);
        List<String> within = new ArrayList<>();
        for (String json : messagesJson) {
            if (codec.readMessage(json).seq() <= upTo) {
                within.add(json);
            }
        }
        String refusal = receiveRelayed(origin, within);
        if (refusal != null) {
            return refusal;
        }
        if (acceptFetch != null && missing(acceptFetch.cut()).isEmpty()) {
            BallotReady.Fetch f = acceptFetch;
            acceptFetch = null;
            ballot.fetched(f.epoch(), f.ballot());
        }
        drainBallot();
        if (pendingInstall != null) {
            tryInstall();
        }
        return null;
    }

    /** What a PROMISE reports: what this node holds, and at least a decided cut it is about to install. */
    private Map<String, Long> heldForPromise() {
        Map<String, Long> held = held();
        if (pendingInstall != null) {
            pendingInstall.cut().forEach((bank, seq) -> held.merge(bank, seq, Math::max));
        }
        return held;
    }

    private void keepDurable(BallotRecord r) {
        if (r instanceof BallotRecord.Decided d) {
            decidedDurable.put(d.proposal().epoch(), d);
            if (decidedDurable.size() > ViewBallot.HISTORY) {
                decidedDurable.pollFirstEntry();
            }
        } else {
            ballotDurable.put(r.getClass(), r);
        }
    }

    /** Carries the ballot's output into this core's Ready: records logged, messages after the sync, fetch, install. */
    private void drainBallot() {
        for (int guard = 0; guard < 100; guard++) {
            BallotReady r = ballot.ready();
            for (BallotRecord rec : r.records()) {
                records.add(new LogRecord.Balloted(rec));
                mustSync = true;
                keepDurable(rec);
                if (rec instanceof BallotRecord.Promised) {
                    acceptFetch = null; // a fetch for a lower ballot's proposal is moot now
                }
            }
            ballotOut.addAll(r.messages());
            if (r.wedged() && !wedged && view.isMember(self)) {
                wedge();
            }
            boolean more = false;
            if (r.fetch() != null) {
                Map<String, long[]> lack = missing(r.fetch().cut());
                if (lack.isEmpty()) {
                    acceptFetch = null;
                    ballot.fetched(r.fetch().epoch(), r.fetch().ballot()); // held already: accept now
                    more = true;
                } else {
                    acceptFetch = r.fetch();
                    fetchOut = lack;
                }
            }
            if (r.decided() != null && r.decided().epoch() > view.epoch()) {
                acceptFetch = null;
                planInstall();
            } else if (pendingInstall == null && ballot.decision().epoch() > view.epoch()) {
                planInstall(); // a decision between the installed view and the latest came in
            }
            if (!more) {
                return;
            }
        }
        throw new IllegalStateException("the view ballot did not settle");
    }

    /**
     * Installs the decided views after this node's one epoch at a time: each install counts the votes of that view's
     * absent banks, and its cut voids what a bank outside it took back (skipping one view lost both: the simulator
     * found a rejoined bank waiting forever for a vote the members had counted absent, and one that mixed a bank's
     * void messages with the new ones under the same numbers). A decision in between not known here is asked for
     * at the tick ({@link ViewBallot#askHistory}); meanwhile the node is wedged.
     */
    private void planInstall() {
        if (ballot.decision().epoch() <= view.epoch()) {
            pendingInstall = null;
            return;
        }
        pendingInstall = ballot.decided(view.epoch() + 1);
        if (pendingInstall == null) {
            wedged = true;
            return;
        }
        tryInstall();
    }

    private void tryInstall() {
        ViewProposal p = pendingInstall;
        switch (install(p)) {
            case INSTALLED -> planInstall(); // it may be several epochs behind
            case MISSING -> {
                // decided, not installed: take nothing from the old epoch's links meanwhile, or it would hold
                // messages past the cut it is about to install (found by the simulator: a restarted member did)
                wedged = true;
                fetchOut = missing(p.cut());
            }
            case PAST_CUT -> {
                if (!voids.containsKey(p.epoch())) {
                    // rebuild: its log, replayed without what is past the cut, installs the view (the driver
                    // restarts it once this record is durable); a second time for one epoch means its snapshot
                    // holds some of it, which only a state transfer can mend (not built)
                    voids.put(p.epoch(), p);
                    records.add(new LogRecord.Voided(p, Math.max(highestSent, nextSeq - 1)));
                    mustSync = true;
                    rebuild = p;
                    LOG.warn("{}: holds {}, past the cut of epoch {} ({}); outside the view until a restart rebuilds "
                            + "it from its log without what is past the cut", self, held(), p.epoch(), p.cut());
                } else if (!pastCut) {
                    LOG.warn("{}: holds {}, past the cut of epoch {} ({}); outside the view until it rejoins",
                            self, held(), p.epoch(), p.cut());
                }
                pastCut = true;
                wedged = true;
            }
        }
    }

    /**
     * A bank left out of a view takes back its own messages past the view's cut: no member holds them, so they are
     * void (an OP there was never ordered: its client may retry the same id; a vote there counts as BANK_OFFLINE).
     * Its next message reuses the first sequence number past the cut, so the members' links go on in sequence when
     * it is voted back in. Logged ({@code R}), and the same at replay, where the void messages came first. False if
     * it cannot: it delivered one of its own operations past the cut (only a rebuild from its log can take that
     * back, not built yet).
     */
    private boolean rewindOwn(long ownCut) {
        for (BallotBox.Pending p : ballots.waiting()) {
            if (p.op().origin().equals(self) && p.opSeq() > ownCut) {
                return false;
            }
        }
        for (Operation op : queue.snapshot()) {
            Long seq = opSeqs.get(op.orderKey());
            if (op.origin().equals(self) && seq != null && seq > ownCut) {
                queue.remove(op);
                opSeqs.remove(op.orderKey());
                if (!replaying) {
                    takenBack.add(op.id());
                }
            }
        }
        LOG.info("{}: takes back its messages {}..{}, past the cut of a view without it (no member holds them)", self,
                ownCut + 1, nextSeq - 1);
        highestSent = Math.max(highestSent, nextSeq - 1);
        clock.takeBack(nextSeq - 1 - ownCut);
        nextSeq = ownCut + 1;
        lastSentClock = null; // (its next message may stamp less than a void one did)
        int me = clock.indexOf(self);
        for (long[] rv : receiveVectors.values()) {
            rv[me] = Math.min(rv[me], ownCut); // what peers said they hold of the void ones says nothing now
        }
        messages.removeIf(m -> m.seq() > ownCut);
        castThisBurst.clear();
        needAck = false;
        if (!replaying) {
            // live, the outbox holds the void messages: its driver drops them; at replay the outbox is rebuilt from
            // the log, where they were just taken out of the replayed sends above, and later sends reuse their numbers
            rewoundTo = ownCut;
            records.add(new LogRecord.Rewound(ownCut, highestSent));
            mustSync = true;
        }
        return true;
    }

    /** Per bank, the messages up to {@code cut} this node lacks: (after, upTo] ranges, empty when none. */
    public Map<String, long[]> missing(Map<String, Long> cut) {
        Map<String, long[]> out = new java.util.TreeMap<>(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        held().forEach((bank, has) -> {
            long want = cut.getOrDefault(bank, 0L);
            if (has < want) {
                out.put(bank, new long[] {has, want});
            }
        });
        return out;
    }

    /**
     * Installs a decided view (DESIGN.md "Install"), the same at every member and at replay: delivers every
     * operation of the old epoch still queued, in key order (all of them are within the cut, which every member
     * holds, so every member delivers the same list); a delivered operation still missing the vote of a bank
     * outside the new view counts that vote as NO {@code BANK_OFFLINE}; then the new members order, and stability
     * is measured over them. Logged ({@code V}) and forced with the burst.
     */
    public Install install(ViewProposal decided) {
        if (decided.epoch() <= view.epoch()) {
            return Install.INSTALLED; // known already (a repeated decision, or replay of an older one)
        }
        for (Map.Entry<String, Long> h : held().entrySet()) {
            if (!h.getKey().equals(self) && h.getValue() > decided.cut().getOrDefault(h.getKey(), 0L)) {
                return Install.PAST_CUT; // not among those the cut was taken from (a member never is: it wedged)
            }
        }
        long ownCut = decided.cut().getOrDefault(self, 0L);
        if (nextSeq - 1 > ownCut && (decided.view().isMember(self) || !rewindOwn(ownCut))) {
            return Install.PAST_CUT; // a member never sent past its cut (it wedged); a bank left out takes them back
        }
        if (!missing(decided.cut()).isEmpty()) {
            return Install.MISSING;
        }
        Operation op;
        boolean any = false;
        installing = decided.view();
        try {
            while ((op = queue.pollHead()) != null) {
                any |= deliver(op);
            }
        } finally {
            installing = null;
        }
        if (any) {
            publishedHash = logHash;
        }
        view = decided.view();
        installedCut = decided.cut();
        // what the vectors held here count past the cut is void (no member holds it: they were wedged at or below it)
        receiveVectors.replaceAll((p, rv) -> vectorWithinCut(rv, decided.cut()));
        queue.members(view.members());
        // still wedged if it already promised for a later epoch, or learned one (it learned this one late): what the
        // install delivers is within this cut, but its votes and ACKs wait, or they would pass the next cut
        wedged = replaying ? replayPromised > view.epoch() || replayDecided > view.epoch()
                : ballot.promise().epoch() > view.epoch() || ballot.decision().epoch() > view.epoch();
        ballots.countAbsentVoters(view, decided.cut(), Vote.no(BANK_OFFLINE));
        earlyOwnVotes.clear(); // (for operations never delivered: void)
        if (!view.isMember(self)) {
            // the votes it has not cast yet now count as BANK_OFFLINE at every node, itself included: never cast
            // later (a rebuilt bank cast them once readmitted, and one still undecided would have counted its YES
            // where the members counted it absent: seed 101870 of the 2/2 split)
            replayedAwaitingOwnVote.clear();
            votesAfterAdvance.clear();
        }
        ballots.dropVotesOfUndelivered();
        if (!replaying) {
            records.add(new LogRecord.Installed(decided));
            mustSync = true;
        }
        if (observing) {
            event(EventType.VIEW, null, null, "epoch " + view.epoch() + ": members " + String.join(",", view.members()));
        }
        tryDecide();
        return Install.INSTALLED;
    }

    /**
     * The voters of ({@code id}, {@code payload}) that are outside the view: such an operation is refused at once
     * (a bank answers 503 BANK_OFFLINE naming them), since their votes would never come.
     */
    public List<String> votersOutsideView(String id, String payload) {
        Operation op = new Operation(id, self, clock.current(), payload);
        List<String> out = new ArrayList<>();
        try {
            for (String v : machine.voters(op)) {
                if (view.isOut(v)) {
                    out.add(v);
                }
            }
        } catch (RuntimeException e) {
            return List.of(); // refused by its origin at delivery, as any unreadable operation
        }
        out.sort(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        return out;
    }

    /**
     * Drops relayable messages every bank holds (as their vectors say): nobody needs them relayed. Every bank, not
     * only the members: a bank outside the view fetches the cut it lacks from here when it comes back.
     */
    private void pruneRelayable() {
        for (Map.Entry<String, java.util.TreeMap<Long, WireMessage>> e : relayable.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            int i = clock.indexOf(e.getKey());
            long floor = Long.MAX_VALUE;
            for (String p : view.banks()) {
                if (p.equals(self)) {
                    continue;
                }
                long[] rv = receiveVectors.get(p);
                floor = Math.min(floor, rv == null ? 0 : rv[i]);
            }
            if (floor > 0) {
                e.getValue().headMap(floor, true).clear();
            }
        }
    }

    /** A link reports that {@code peer} holds this node's messages through {@code upTo}. */
    public void linkAcked(String peer, long upTo) {
        Long before = linkAcked.get(peer);
        if (before == null || upTo <= before) {
            return;
        }
        linkAcked.put(peer, upTo);
        records.add(new LogRecord.LinkAcked(peer, upTo)); // rides the next sync; only trims at replay
        trimThrough = minLinkAck();
    }

    /**
     * Closes a burst of steps: the votes cast in it leave in one message, and an ACK is sent if a
     * received operation is not acknowledged yet by a later message ({@code mayAck} false holds it,
     * for a paused node).
     */
    public void endBurst(boolean mayAck) {
        pruneRelayable();
        if (wedged) {
            return; // it sends nothing until the view is installed (its votes and ACK go then)
        }
        if (!view.isMember(self)) {
            // outside the view: a learner that follows the members and says nothing (what it sent would be void)
            needAck = false;
            castThisBurst.clear(); // votes it cast before it learned it is out: they count as BANK_OFFLINE
            return;
        }
        if (!castThisBurst.isEmpty()) {
            long seq = send((s, stamp) -> WireMessage.votes(s, stamp, castThisBurst)); // copies them
            for (WireMessage.Ballot b : castThisBurst) {
                ballots.sent(b.id(), self, seq);
            }
            castThisBurst.clear();
        }
        if (needAck && mayAck) {
            send(WireMessage::ack);
        }
    }

    /**
     * Whether votes were cast outside a burst (at {@link #advance}, once the decisions they rest on reached the
     * machine): the driver ends another burst at once ({@link #endBurst}, then a Ready) so they leave.
     */
    public boolean hasVotesToSend() {
        return !castThisBurst.isEmpty();
    }

    /** Whether {@link #ready()} has anything to do. */
    public boolean hasReady() {
        return !records.isEmpty() || mustSync || !messages.isEmpty() || !undurable.isEmpty() || trimThrough > 0
                || !events.isEmpty() || !ballotOut.isEmpty() || fetchOut != null || rewoundTo >= 0;
    }

    /** What to do now; call {@link #advance} once it is done. At most one Ready is outstanding. */
    public Ready ready() {
        if (readyOutstanding) {
            throw new IllegalStateException("the last Ready was not advanced");
        }
        readyOutstanding = true;
        if (finalizedThrough > 0) {
            // what made them final may have come in frames of no messages, which are not logged: say it, so a
            // replay decides them again at once (a bank must not serve a balance missing a COMMITTED deposit);
            // forced with the burst, before the decisions leave
            records.add(new LogRecord.Finalized(finalizedThrough));
            mustSync = true;
            finalizedThrough = 0;
        }
        Ready r = new Ready(records, mustSync, messages, nextSeq - 1,
                undurable.stream().map(BallotBox.Decided::outcome).toList(), trimThrough, events, ballotOut, fetchOut,
                wedged, rewoundTo);
        rewoundTo = -1;
        ballotOut = new ArrayList<>();
        fetchOut = null;
        readyDecisions = undurable;
        undurable = new ArrayList<>();
        records = new ArrayList<>();
        mustSync = false;
        messages = new ArrayList<>();
        trimThrough = 0;
        events = new ArrayList<>();
        return r;
    }

    /**
     * The driver made {@code ready} durable (and released its messages): the operations it decided are
     * handed to the machine now, and their outcomes become readable.
     */
    public void advance(Ready ready) {
        readyOutstanding = false;
        for (BallotBox.Decided d : readyDecisions) {
            apply(d);
            undurableIds.remove(d.outcome().id());
        }
        readyDecisions = List.of();
        for (Operation op : votesAfterAdvance) {
            castOwnVote(op, askVote(op)); // they leave at the end of the next burst (hasVotesToSend)
        }
        votesAfterAdvance.clear();
    }

    private void apply(BallotBox.Decided d) {
        remember(d.outcome());
        machine.decide(d.op(), d.outcome());
    }

    private void remember(Outcome o) {
        if (outcomes.put(o.id(), o) == null) {
            outcomeOrder.addLast(o.id());
        }
        while (outcomeOrder.size() > recentOutcomes) {
            outcomes.remove(outcomeOrder.pollFirst());
        }
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Whether a snapshot may be taken now: between bursts, after {@link #advance}, with nothing decided and not
     * yet handed to the machine, no vote waiting to leave and no replay under way.
     */
    public boolean quiescent() {
        return betweenBursts() && !wedged;
    }

    private boolean betweenBursts() {
        return castThisBurst.isEmpty() && betweenBurstsBut();
    }

    /** {@link #betweenBursts} but for votes cast and not sent yet. */
    private boolean betweenBurstsBut() {
        return !readyOutstanding && undurable.isEmpty() && messages.isEmpty() && replayedAwaitingOwnVote.isEmpty()
                && unvotable.isEmpty() && !replaying;
    }

    /**
     * This node's protocol position and its machine's state, as bytes (PROTOCOL.md, "Snapshots"): delivered count,
     * log hash, clock, next sequence number, per-peer received sequence numbers, last clocks and link acks, the
     * hold-back queue, the undecided ballots, the outcomes, and {@code unacked}: this node's own messages some
     * peer has not acknowledged yet (the driver's outbox), which a restart must be able to resend.
     *
     * @return null if the machine cannot be snapshotted ({@link StateMachine#snapshot()})
     * @throws IllegalStateException unless {@link #quiescent()}
     */
    public byte[] snapshot(List<Ready.Outgoing> unacked) {
        if (!quiescent()) {
            throw new IllegalStateException("a snapshot is taken between bursts, after advance");
        }
        byte[] machineState = machine.snapshot();
        return machineState == null ? null : write(self, unacked, machineState);
    }

    /**
     * A joining bank's first snapshot (PROTOCOL.md, "Adding a bank"): the replicated state at this point of the
     * order, as {@code joiner} would hold it had it received every message this node holds: this node's delivered
     * count, log hash, clock, hold-back queue, undecided ballots with their votes, outcomes, view and decided views,
     * the messages it keeps for relaying with its own {@code unacked} ones (the joiner must be able to relay what it
     * claims to hold), and the consortium-wide part of its machine ({@link StateMachine#snapshotFor}); never this
     * node's own accounts, link acks or promises. The joiner has sent nothing: its sequence numbers start at 1, as
     * every member's link from it expects.
     *
     * @return null when this node cannot give one now ({@link #transferRefusal}), or its machine has no such part
     */
    public byte[] transferTo(String joiner, List<Ready.Outgoing> unacked) {
        if (transferRefusal(joiner) != null) {
            return null;
        }
        byte[] machineState = machine.snapshotFor(joiner);
        return machineState == null ? null : write(joiner, unacked, machineState);
    }

    /** Why this node cannot give {@code joiner} its first snapshot now ({@link #transferTo}), or null. */
    public String transferRefusal(String joiner) {
        if (joiner.equals(self) || !received.containsKey(joiner)) {
            return joiner + " is not another configured bank";
        }
        if (received.get(joiner) != 0) {
            return joiner + " has sent messages: it is not new (a bank that lost its data is not rebuilt so)";
        }
        if (!view.isMember(self) || pendingInstall != null || pastCut || ballot.decision().epoch() != view.epoch()) {
            return self + " is not a member that installed the latest view it knows";
        }
        if (!view.banks().contains(joiner)) {
            return "no view with " + joiner + " among its banks is installed here (epoch " + view.epoch() + ")";
        }
        // wedged is fine: the state is a point of the installed view's order, and the joiner learns and installs the
        // next view as any member that did not answer its ballot (the members may be wedged waiting for the joiner)
        // (votes cast just before it wedged wait unsent until the install: they are not messages the joiner is given,
        // it takes them from their VOTE message like any peer; seed 81657 wedged everyone waiting on this)
        boolean unsentVotesOnly = wedged && !castThisBurst.isEmpty();
        if (!betweenBursts() && !(unsentVotesOnly && betweenBurstsBut())) {
            return "busy: ask again";
        }
        return null;
    }

    /** The snapshot of this node ({@code as} is self) or of a joiner at this node's point of the order. */
    private byte[] write(String as, List<Ready.Outgoing> unacked, byte[] machineState) {
        boolean own = as.equals(self);
        CoreSnapshot.Out out = new CoreSnapshot.Out();
        out.i(CoreSnapshot.VERSION).s(as).i(peerIds.size());
        peerIds.forEach(out::s);
        out.l(delivered).raw(logHash).l(own ? nextSeq : 1).b(own ? needAck : true).clock(clock.entries());
        for (String p : peerIds) {
            if (p.equals(as)) {
                continue;
            }
            boolean donor = p.equals(self); // (only when writing a joiner's: it holds every message this node sent)
            out.l(donor ? nextSeq - 1 : received.get(p)).l(own ? linkAcked.get(p) : 0);
            long[] last = donor ? lastSentClock : lastClockFrom.get(p);
            out.b(last != null);
            if (last != null) {
                out.clock(last);
            }
            long[] rv = donor ? receiveVector() : receiveVectors.get(p);
            out.b(rv != null);
            if (rv != null) {
                out.clock(rv);
            }
        }
        Map<String, OrderKey> latest = new HashMap<>(queue.latest());
        if (!own && lastSentClock != null) {
            // its last message's key; when not known (never sent, or restarted from an older snapshot, or it took
            // messages back), none: the joiner then waits for this node's next message, which any new OP brings (an
            // ACK), before it delivers what needs a larger key from it. A lower bound is always safe, a higher never
            latest.put(self, new OrderKey(LogicalClock.sum(lastSentClock), self));
        }
        out.i(latest.size());
        latest.forEach((p, k) -> out.s(p).l(k.clockSum()).s(k.origin()));
        List<Operation> queued = queue.snapshot();
        out.i(queued.size());
        queued.forEach(op -> writeOp(out, op).l(opSeqs.getOrDefault(op.orderKey(), 0L)));
        List<BallotBox.Pending> pending = ballots.waiting();
        out.i(pending.size());
        for (BallotBox.Pending p : pending) {
            writeOp(out, p.op());
            out.l(p.position()).i(p.voters().size());
            p.voters().forEach(out::s);
            out.l(p.opSeq());
        }
        Map<String, Map<String, BallotBox.Cast>> votes = ballots.votes();
        out.i(votes.size());
        votes.forEach((id, byVoter) -> {
            Map<String, BallotBox.Cast> held = new LinkedHashMap<>(byVoter);
            if (!own) {
                held.values().removeIf(c -> c.seq == BallotBox.UNSENT); // no message carries them yet
            }
            out.s(id).i(held.size());
            held.forEach((voter, c) -> out.s(voter).b(c.vote.yes()).s(c.vote.reason()).l(c.seq));
        });
        out.i(outcomeOrder.size());
        for (String id : outcomeOrder) { // in decision order, so a restored core evicts in the same order
            Outcome o = outcomes.get(id);
            out.s(o.id()).s(o.origin()).clock(clock.toArray(o.clock().entries())).b(o.committed()).s(o.reason())
                    .s(o.voter()).l(o.position());
        }
        List<Ready.Outgoing> outbox = own ? unacked : List.of();
        out.i(outbox.size());
        outbox.forEach(m -> out.l(m.seq()).s(m.json()));
        out.l(own ? highestSent : 0).l(view.epoch()).i(view.members().size());
        view.members().forEach(out::s);
        out.i(view.banks().size());
        view.banks().forEach(out::s);
        // a joiner gets the decided views (it answers QUERYs), not this node's promise or acceptance: it never took
        // part in a ballot, and an acceptor that promised nothing is an acceptor that promised nothing
        List<BallotRecord> ballotRecords = new ArrayList<>(own ? ballotDurable.values() : List.of());
        ballotRecords.addAll(decidedDurable.values());
        out.i(ballotRecords.size());
        ballotRecords.forEach(r -> out.s(new String(new LogRecord.Balloted(r).encode(), StandardCharsets.UTF_8)
                .substring(1)));
        // a joiner claims to hold every message up to each peer's number (its vector says so, and a view change's
        // cut may rest on its word): it must be able to relay what some bank lacks, so it gets this node's relay
        // store and this node's own messages some bank has not acknowledged (the simulator found a cut that only a
        // joiner's claim covered, the origin gone for good, and nobody able to relay the message)
        Map<String, java.util.TreeMap<Long, WireMessage>> relay = new java.util.TreeMap<>(relayable);
        if (!own) {
            java.util.TreeMap<Long, WireMessage> mine = new java.util.TreeMap<>();
            unacked.forEach(m -> mine.put(m.seq(), codec.readMessage(m.json())));
            relay.put(self, mine);
        }
        out.i(relay.size());
        relay.forEach((origin, held) -> {
            out.s(origin).i(held.size());
            held.values().forEach(m -> out.s(codec.write(m)));
        });
        long[] lastSent = own ? lastSentClock : null;
        out.b(lastSent != null);
        if (lastSent != null) {
            out.clock(lastSent);
        }
        out.raw(machineState);
        return out.toBytes();
    }

    /**
     * Per peer, the highest sequence number a {@link #snapshot} holds from it (its own node's: the last it sent), read
     * from the snapshot's first fields: what a restart would hold before its log's replay.
     *
     * @throws IllegalArgumentException for bytes that are not a core snapshot
     */
    public static Map<String, Long> heldIn(byte[] snapshot) {
        CoreSnapshot.In in = new CoreSnapshot.In(snapshot);
        int version = in.i();
        String who = in.s();
        List<String> ids = new ArrayList<>();
        for (int n = in.i(); n > 0; n--) {
            ids.add(in.s());
        }
        in.l(); // delivered
        in.raw(); // log hash
        Map<String, Long> held = new java.util.TreeMap<>(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        held.put(who, in.l() - 1);
        in.b(); // an ACK owed
        in.clock();
        for (String p : ids) {
            if (p.equals(who)) {
                continue;
            }
            held.put(p, in.l());
            in.l(); // link ack
            if (in.b()) {
                in.clock();
            }
            if (version >= CoreSnapshot.VERSION_STABILITY && in.b()) {
                in.clock();
            }
        }
        return held;
    }

    /**
     * Whether a majority of the view's members hold every message up to {@code held} (per peer), by their latest
     * vectors and this node's own holdings. Such a state is never past the cut of any view, decided or to come (a
     * ballot's answerers are a majority of the members, so one of them held each of those messages when it promised,
     * and the cut is what any answerer holds): a snapshot of it is one a rebuild can always start from (PROTOCOL.md,
     * "Rebuild from the log").
     */
    public boolean heldByAMajority(Map<String, Long> held) {
        List<String> members = view.members();
        for (Map.Entry<String, Long> e : held.entrySet()) {
            if (e.getValue() <= 0 || !peerRank.containsKey(e.getKey())) {
                continue;
            }
            int i = clock.indexOf(e.getKey());
            int holders = 0;
            for (String m : members) {
                long has;
                if (m.equals(self)) {
                    has = e.getKey().equals(self) ? nextSeq - 1 : received.getOrDefault(e.getKey(), 0L);
                } else {
                    long[] rv = receiveVectors.get(m);
                    has = rv == null ? 0 : rv[i];
                }
                holders += has >= e.getValue() ? 1 : 0;
            }
            if (2 * holders <= members.size()) {
                return false;
            }
        }
        return true;
    }

    /** The cut a rebuild record ({@code Z}) leaves out what is past, or null for any other log record. */
    public static Map<String, Long> voidedCut(byte[] record) {
        return record.length > 0 && record[0] == 'Z' && LogRecord.decode(record) instanceof LogRecord.Voided z
                ? z.proposal().cut() : null;
    }

    private CoreSnapshot.Out writeOp(CoreSnapshot.Out out, Operation op) {
        return out.s(op.id()).s(op.origin()).clock(clock.toArray(op.clock().entries())).s(op.payload());
    }

    private Operation readOp(CoreSnapshot.In in) {
        return new Operation(in.s(), ownInstance(in.s()), clock.toVectorClock(in.clock()), in.s());
    }

    /**
     * A fresh core (nothing replayed yet) takes a {@link #snapshot}: the log after the snapshot's position is
     * replayed next, then {@link #finishReplay}. The own messages some peer had not acknowledged go to the
     * outbox with the first Ready.
     */
    public void restore(byte[] snapshot) {
        if (delivered != 0 || nextSeq != 1) {
            throw new IllegalStateException("a snapshot is restored into a fresh core only");
        }
        CoreSnapshot.In in = new CoreSnapshot.In(snapshot);
        int version = in.i();
        boolean seqs = version >= CoreSnapshot.VERSION_STABILITY;
        if (version > CoreSnapshot.VERSION || version < CoreSnapshot.VERSION_BEFORE_STABILITY) {
            throw new IllegalArgumentException("a core snapshot of version " + version + "; this build reads "
                    + CoreSnapshot.VERSION);
        }
        String who = in.s();
        int n = in.i();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(in.s());
        }
        if (!who.equals(self) || !ids.equals(peerIds)) {
            throw new IllegalArgumentException("a snapshot of " + who + " in " + ids + ", not of " + self + " in "
                    + peerIds);
        }
        delivered = in.l();
        logHash = in.raw();
        publishedHash = logHash;
        nextSeq = in.l();
        needAck = in.b();
        clock.restoreSend(in.clock());
        for (String p : peerIds) {
            if (p.equals(self)) {
                continue;
            }
            received.put(p, in.l());
            linkAcked.put(p, in.l());
            if (in.b()) {
                lastClockFrom.put(p, in.clock());
            }
            if (seqs && in.b()) {
                receiveVectors.put(p, in.clock());
            }
        }
        Map<String, OrderKey> latest = new HashMap<>();
        for (int i = in.i(); i > 0; i--) {
            latest.put(in.s(), new OrderKey(in.l(), ownInstance(in.s())));
        }
        queue.restoreLatest(latest);
        for (int i = in.i(); i > 0; i--) {
            Operation op = readOp(in);
            queueOp(op, seqs ? in.l() : 0);
        }
        for (int i = in.i(); i > 0; i--) {
            Operation op = readOp(in);
            long position = in.l();
            List<String> voters = new ArrayList<>();
            for (int k = in.i(); k > 0; k--) {
                voters.add(ownInstance(in.s()));
            }
            ballots.expect(op, voters, position, seqs ? in.l() : 0);
        }
        for (int i = in.i(); i > 0; i--) {
            String id = in.s();
            for (int k = in.i(); k > 0; k--) {
                String voter = ownInstance(in.s());
                boolean yes = in.b();
                String reason = in.s();
                ballots.record(id, voter, yes ? Vote.yesVote() : Vote.no(reason), seqs ? in.l() : 0);
            }
        }
        for (int i = in.i(); i > 0; i--) {
            String id = in.s();
            String origin = ownInstance(in.s());
            VectorClock c = clock.toVectorClock(in.clock());
            Decision d = in.b() ? Decision.COMMITTED : Decision.ABORTED;
            remember(new Outcome(id, origin, c, d, in.s(), in.s(), in.l()));
        }
        for (int i = in.i(); i > 0; i--) {
            messages.add(new Ready.Outgoing(in.l(), in.s()));
        }
        trimThrough = minLinkAck();
        if (version >= 3) {
            highestSent = in.l();
            long epoch = in.l();
            List<String> members = new ArrayList<>();
            for (int i = in.i(); i > 0; i--) {
                members.add(in.s());
            }
            List<String> banks = new ArrayList<>();
            for (int i = in.i(); i > 0; i--) {
                banks.add(in.s());
            }
            view = new View(epoch, members, banks);
            queue.members(view.members());
            for (int i = in.i(); i > 0; i--) {
                BallotRecord r = LogRecord.Balloted.parse(in.s()).record();
                replayedBallot.add(r);
                keepDurable(r);
            }
            for (int i = in.i(); i > 0; i--) {
                String origin = ownInstance(in.s());
                java.util.TreeMap<Long, WireMessage> held = new java.util.TreeMap<>();
                for (int k = in.i(); k > 0; k--) {
                    WireMessage m = codec.readMessage(in.s());
                    held.put(m.seq(), m);
                }
                relayable.put(origin, held);
            }
        }
        if (version >= 4 && in.b()) {
            lastSentClock = in.clock();
        }
        machine.restore(in.raw());
        for (BallotBox.Pending p : ballots.waiting()) {
            // a joiner's first snapshot can hold operations it votes on, delivered after the view that added it: it
            // votes at the end of the replay, unless its logged vote comes first (as for any delivery replayed)
            Map<String, BallotBox.Cast> held = ballots.votes().getOrDefault(p.op().id(), Map.of());
            if (p.voters().contains(self) && !held.containsKey(self) && view.isMember(self)) {
                replayedAwaitingOwnVote.put(p.op().id(), p.op());
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** The highest sequence number of {@code peer}'s received in order (durable once the current Ready is). */
    public long received(String peer) {
        return received.getOrDefault(peer, 0L);
    }

    /** How far {@code peer} has acknowledged this node's messages (as logged). */
    public long linkAcked(String peer) {
        return linkAcked.getOrDefault(peer, 0L);
    }

    /** Outcomes kept in memory now (at most {@code recentOutcomes}). Any thread. */
    public int recentOutcomeCount() {
        return outcomes.size();
    }

    /** Any thread. */
    public Optional<Outcome> outcome(String id) {
        Outcome recent = outcomes.get(id);
        return recent != null ? Optional.of(recent) : machine.outcomeOf(id);
    }

    /**
     * The operation {@code id} when this node holds it undecided (queued, delivered and waiting for votes, or
     * decided in a burst not yet durable): it may still commit. Protocol thread only; linear in what is in flight.
     */
    public Optional<Operation> inFlight(String id) {
        for (Operation op : queue.snapshot()) {
            if (op.id().equals(id)) {
                return Optional.of(op);
            }
        }
        for (BallotBox.Pending p : ballots.waiting()) {
            if (p.op().id().equals(id)) {
                return Optional.of(p.op());
            }
        }
        for (BallotBox.Decided d : undurable) {
            if (d.op().id().equals(id)) {
                return Optional.of(d.op());
            }
        }
        for (BallotBox.Decided d : readyDecisions) {
            if (d.op().id().equals(id)) {
                return Optional.of(d.op());
            }
        }
        return Optional.empty();
    }

    /** Operations delivered so far; any thread. */
    public long deliveredCount() {
        return delivered;
    }

    /** The SHA-256 chain over the delivered ids, as of the last delivery (never written after); any thread. */
    public byte[] logHash() {
        return publishedHash;
    }

    public VectorClock clockNow() {
        return clock.current();
    }

    /**
     * Why the first delivered operation still waits, in words (its votes, with their messages' sequence numbers and
     * whether each is stable), or null when none waits: for diagnosing a consortium that stopped deciding.
     */
    public String headDiagnosis() {
        if (!ballots.hasWaiting()) {
            return null;
        }
        BallotBox.Pending p = ballots.waiting().get(0);
        StringBuilder sb = new StringBuilder(p.op().id()).append(" at ").append(p.position())
                .append(" (final through ").append(finalThrough).append("): OP ").append(p.op().origin()).append(':')
                .append(p.opSeq()).append(stable(p.op().origin(), p.opSeq()) ? " stable" : " unstable");
        Map<String, BallotBox.Cast> got = ballots.votes().getOrDefault(p.op().id(), Map.of());
        for (String v : p.voters()) {
            BallotBox.Cast c = got.get(v);
            sb.append("; ").append(v).append(c == null ? " no vote"
                    : ":" + c.seq + (c.vote.yes() ? " yes" : " no") + (stable(v, c.seq) ? " stable" : " unstable"));
        }
        for (String m : view.members()) {
            long[] rv = receiveVectors.get(m);
            sb.append("; rv ").append(m).append('=').append(rv == null ? "none" : java.util.Arrays.toString(rv));
        }
        return sb.toString();
    }

    /** The hold-back queue and the delivered operations waiting for votes, for the view. */
    public List<QueueEntry> queueEntries() {
        List<QueueEntry> q = new ArrayList<>();
        for (Operation op : queue.snapshot()) {
            q.add(new QueueEntry(op.id(), op.origin(), op.clock(), queue.acks(op), "QUEUED"));
        }
        for (BallotBox.Pending p : ballots.waiting()) {
            q.add(new QueueEntry(p.op().id(), p.op().origin(), p.op().clock(), peerIds, "DELIVERED"));
        }
        return q;
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Why the new messages of a batch from {@code from} could not come from an honest peer, or null.
     * Sequence numbers: at most {@link LogicalClock#MAX_ENTRY}, one by one within the batch (a sender
     * sends a range of its outbox). Clocks: {@link LogicalClock#refusal}, each message checked against
     * this node's clock as merged with the batch's earlier messages.
     */
    private String refusal(String from, WireBatch batch) {
        long last = received.get(from);
        long[] known = null;
        long[] previous = lastClockFrom.get(from);
        long prevSeq = -1;
        int me = clock.indexOf(self);
        try {
            for (WireMessage m : batch.messages()) {
                long seq = m.seq();
                if (seq > LogicalClock.MAX_ENTRY) {
                    return "sequence number " + seq + " out of range";
                }
                if (prevSeq >= 0 && seq != prevSeq + 1) {
                    return "sequence numbers of a batch follow one another (" + prevSeq + " then " + seq + ")";
                }
                prevSeq = seq;
                if (seq <= last) {
                    continue; // a duplicate: dropped unread
                }
                if (known == null) {
                    known = clock.entries();
                    // its own entry as others may know it: up to the events it took back with its void sends (a
                    // message within a cut, stamped by a bank that had received those, counts them; the simulator's
                    // retire runs found such batches refused, relayed or not)
                    known[me] += Math.max(0, highestSent - (nextSeq - 1));
                }
                String why = clock.refusal(from, seq, m.clock(), known, previous);
                if (why != null) {
                    return "message seq " + seq + ": " + why;
                }
                for (int i = 0; i < known.length; i++) {
                    known[i] = Math.max(known[i], m.clock()[i]);
                }
                known[me]++; // as the receive will tick it
                previous = m.clock();
            }
        } catch (ArithmeticException e) {
            return "clock entries overflow";
        }
        return null;
    }

    /** Applies the batch's messages that continue the link in sequence; logs the batch if any were new. */
    private void receiveBatch(String from, WireBatch batch, String raw) {
        boolean grew = mergeVector(from, batch.rv(), batch.epoch());
        long last = received.get(from);
        boolean fresh = false;
        for (WireMessage m : batch.messages()) {
            if (m.seq() == last + 1) {
                fresh = true;
                break;
            }
        }
        if (!fresh) {
            if (grew) {
                tryDecide(); // a vector alone (or on a stale copy): what it makes final is decided now
            }
            return; // a duplicate or a stale copy: nothing to persist
        }
        if (!replaying) {
            records.add(new LogRecord.Received(from, raw));
            mustSync = true;
        }
        for (WireMessage m : batch.messages()) {
            if (m.seq() <= last) {
                continue;
            }
            if (m.seq() != last + 1) {
                break; // a gap: wait for the retransmission
            }
            last = m.seq();
            received.put(from, last);
            receiveMessage(from, m);
        }
        tryDeliver();
    }

    private void receiveMessage(String from, WireMessage m) {
        if (relaying) {
            relayable.computeIfAbsent(from, k -> new java.util.TreeMap<>()).put(m.seq(), m);
        }
        long sum = clock.onReceive(m.clock());
        lastClockFrom.put(from, m.clock());
        queue.observe(from, new OrderKey(sum, from));
        switch (m.type()) {
            case WireMessage.OP -> {
                queueOp(new Operation(m.id(), from, clock.toVectorClock(m.clock()), m.payload()), m.seq());
                needAck = true;
                if (observing) {
                    message(EventType.RECEIVE, from, m.id(), "OP seq=" + m.seq(), WireMessage.OP, m.seq());
                }
            }
            case WireMessage.VOTE -> {
                for (WireMessage.Ballot b : m.votes()) {
                    Vote v = b.yes() ? Vote.yesVote() : Vote.no(b.reason());
                    ballots.record(b.id(), from, v, m.seq());
                    vectorNews = true;
                    if (observing) {
                        message(EventType.RECEIVE, from, b.id(),
                                "VOTE " + (v.yes() ? "YES" : "NO " + v.reason()) + " seq=" + m.seq(),
                                WireMessage.VOTE, m.seq());
                    }
                }
            }
            default -> {
                if (observing) {
                    message(EventType.RECEIVE, from, null, "ACK seq=" + m.seq(), WireMessage.ACK, m.seq());
                }
            }
        }
    }

    // ------------------------------------------------------------------ delivery and votes

    private void queueOp(Operation op, long seq) {
        queue.add(op);
        opSeqs.put(op.orderKey(), seq);
    }

    private void tryDeliver() {
        if (wedged) {
            return; // what it delivered now could fall outside the cut
        }
        Operation op;
        boolean any = false;
        while ((op = queue.pollDeliverable()) != null) {
            any |= deliver(op);
        }
        if (any) {
            publishedHash = logHash;
        }
        tryDecide();
    }

    /** Delivers {@code op} at the next position and casts this node's vote; false if its id was delivered before. */
    private boolean deliver(Operation op) {
        {
            Long opSeq = opSeqs.remove(op.orderKey());
            if (outcomes.containsKey(op.id()) || ballots.isUndecided(op.id()) || undurableIds.contains(op.id())
                    || machine.outcomeOf(op.id()).isPresent()) {
                LOG.warn("{}: operation id {} delivered twice (from {}); the second is skipped", self, op.id(),
                        op.origin());
                return false;
            }
            long position = ++delivered;
            sha256.update(logHash);
            sha256.update(op.id().getBytes(StandardCharsets.UTF_8));
            logHash = sha256.digest();
            if (observing) {
                event(EventType.DELIVER, op.origin(), op.id(), "position=" + position);
            }
            List<String> voters = votersOf(op);
            // a retired bank votes on nothing: dropped alike everywhere, by the banks of the view installed before
            // the delivery (an install's own deliveries, within its cut, count the old view's, as the members that
            // delivered them live did). Its legs are refused by their origin's vote, resting on its retirement.
            List<String> banks = view.banks();
            if (voters.removeIf(v -> !banks.contains(v)) && voters.isEmpty()) {
                voters.add(op.origin()); // all its voters retired: its origin judges it alone, never nobody
            }
            voters.sort((a, b) -> Integer.compare(peerRank.getOrDefault(a, Integer.MAX_VALUE),
                    peerRank.getOrDefault(b, Integer.MAX_VALUE)));
            ballots.expect(op, voters, position, opSeq == null ? 0 : opSeq);
            BallotBox.Cast early = earlyOwnVotes.remove(op.id());
            if (early != null && voters.contains(self)) {
                restoreVote(op, early.vote, early.seq);
                return true;
            }
            // a bank votes only as a member of the view the operation is delivered in (at an install, the new one):
            // outside it, its vote counts as BANK_OFFLINE everywhere, so it must not count its own here
            if (voters.contains(self) && (installing != null ? installing : view).isMember(self)) {
                if (replaying) {
                    // Its vote, if it was logged, follows in the log: that verdict is the one the
                    // others decided with, so it is restored rather than asked again.
                    replayedAwaitingOwnVote.put(op.id(), op);
                } else {
                    tryDecide(); // what is final before it is decided before it, so the vote below can rest on it
                    if (undurable.isEmpty()) {
                        castOwnVote(op, askVote(op));
                    } else {
                        // earlier operations were decided in this burst and the machine learns them only once the
                        // burst is durable: the vote waits for that (advance), so it sees them (a deposit answered
                        // COMMITTED, then a withdrawal its voter judged as if the deposit were not there)
                        votesAfterAdvance.add(op);
                    }
                }
            }
        }
        return true;
    }

    /**
     * The machine's voters for {@code op}. A machine that throws here throws at every node (voters are a pure
     * function of the operation), so every node decides the operation the same way: ABORTED with
     * {@link #MACHINE_ERROR}, voted by its origin.
     */
    private List<String> votersOf(Operation op) {
        try {
            return new ArrayList<>(machine.voters(op));
        } catch (RuntimeException e) {
            LOG.warn("{}: the machine failed to name the voters of {} from {}: {}; the origin refuses it", self,
                    op.id(), op.origin(), e.toString());
            if (op.origin().equals(self)) {
                unvotable.add(op.id()); // this node votes on it, at once (or after the replay)
            }
            return new ArrayList<>(List.of(op.origin()));
        }
    }

    /**
     * This node's vote. A machine that throws refuses the operation ({@link #MACHINE_ERROR}) rather than halting
     * the consortium; the NO is logged like any vote, so a replay keeps it.
     */
    private Vote askVote(Operation op) {
        if (unvotable.remove(op.id())) {
            return Vote.no(MACHINE_ERROR);
        }
        try {
            return machine.vote(op);
        } catch (RuntimeException e) {
            LOG.warn("{}: the machine failed to vote on {}: {}; voting NO ({})", self, op.id(), e.toString(),
                    MACHINE_ERROR);
            return Vote.no(MACHINE_ERROR);
        }
    }

    private void castOwnVote(Operation op, Vote v) {
        ballots.record(op.id(), self, v, BallotBox.UNSENT); // its message's seq comes at the end of the burst
        castThisBurst.add(new WireMessage.Ballot(op.id(), v.yes(), v.reason()));
        if (observing) {
            event(EventType.VOTE, null, op.id(), v.yes() ? "YES" : "NO " + v.reason());
        }
    }

    /** Replay of this node's logged vote: the machine re-reserves, the logged verdict counts. */
    private void restoreOwnVote(String opId, Vote logged, long seq) {
        Operation op = replayedAwaitingOwnVote.remove(opId);
        if (op == null) {
            // a rebuild's replay left out the void messages whose keys let this node deliver the operation before
            // it voted; the vote was sent (the members counted it), so it counts once the operation is delivered,
            // at the latest by the install (the simulator found it counted absent here and YES at the members)
            earlyOwnVotes.put(opId, new BallotBox.Cast(logged, seq));
            return;
        }
        restoreVote(op, logged, seq);
        tryDecide();
    }

    /** This node's logged vote on a delivered {@code op}, carried by its message {@code seq}: it counts as logged. */
    private void restoreVote(Operation op, Vote logged, long seq) {
        try {
            machine.restoreVote(op, logged);
        } catch (RuntimeException e) {
            // the logged verdict stands whatever the machine says now (a NO it gave for throwing, say)
            LOG.warn("{}: the machine failed to restore its vote on {}: {}", self, op.id(), e.toString());
        }
        ballots.record(op.id(), self, logged, seq);
    }

    private void tryDecide() {
        long last = 0;
        for (BallotBox.Decided d : ballots.decide(this::ownInstance, this::stable, finalThrough)) {
            Outcome outcome = d.outcome();
            last = d.position();
            if (replaying) {
                apply(d); // from the log: durable already
            } else {
                undurable.add(d);
                undurableIds.add(outcome.id());
            }
            if (observing) {
                event(outcome.committed() ? EventType.COMMIT : EventType.ABORT, null, outcome.id(),
                        outcome.reason() == null ? null : outcome.reason() + " (" + outcome.voter() + ")");
            }
        }
        if (last > 0 && !replaying) {
            finalizedThrough = last; // one record at the end of the burst (ready)
        }
    }

    /** The origin as this node's own peer-id instance: every outcome stays in memory, a decoded copy each. */
    private String ownInstance(String origin) {
        Integer rank = peerRank.get(origin);
        return rank == null ? origin : peerIds.get(rank);
    }

    // ------------------------------------------------------------------ sending

    /** What a send is made of: the message, given its sequence number and clock stamp. */
    @FunctionalInterface
    private interface Stamped {
        WireMessage message(long seq, long[] stamp);
    }

    /** Stamps (next sequence number, clock ticked), logs and queues one message for every other peer; its seq. */
    private long send(Stamped what) {
        long seq = nextSeq++;
        long[] stamp = clock.tick();
        lastSentClock = stamp.clone();
        WireMessage m = what.message(seq, stamp);
        String json = codec.write(m);
        records.add(new LogRecord.Sent(json));
        mustSync = true;
        messages.add(new Ready.Outgoing(seq, json));
        needAck = false; // anything sent after a receive carries a larger key: it acknowledges
        if (observing) {
            if (m.votes() != null) {
                for (WireMessage.Ballot b : m.votes()) {
                    message(EventType.SEND, "all", b.id(), "VOTE seq=" + seq, WireMessage.VOTE, seq);
                }
            } else {
                message(WireMessage.ACK.equals(m.type()) ? EventType.ACK : EventType.SEND, "all", m.id(),
                        m.type() + " seq=" + seq, m.type(), seq);
            }
        }
        return seq;
    }

    private void event(EventType type, String peer, String opId, String detail) {
        message(type, peer, opId, detail, null, null);
    }

    /** An event of a message's send or receive: its kind and its sender's sequence number, typed. */
    private void message(EventType type, String peer, String opId, String detail, String kind, Long seq) {
        if (observing) {
            events.add(new Ready.Event(type, peer, opId, detail, clock.current(), kind, seq));
        }
    }

    private long minLinkAck() {
        long min = Long.MAX_VALUE;
        for (Map.Entry<String, Long> a : linkAcked.entrySet()) {
            if (view.banks().contains(a.getKey())) { // a retired bank needs nothing resent
                min = Math.min(min, a.getValue());
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }
}
