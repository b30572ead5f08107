package org.distribank.consortium.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.distribank.consortium.ConsortiumException;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.OperationTooLargeException;
import org.distribank.consortium.PeerAuthenticator;
import org.distribank.consortium.PeerEndpoint;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.Transport;
import org.distribank.consortium.core.LogRecord;
import org.distribank.consortium.core.ProtocolCore;
import org.distribank.consortium.core.ReadyRunner;
import org.distribank.consortium.core.Ready;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.entity.PeerStatus;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.link.LinkOptions;
import org.distribank.consortium.link.LinkSender;
import org.distribank.consortium.link.OutboundLink;
import org.distribank.consortium.link.Outbox;
import org.distribank.consortium.link.StreamLink;
import org.distribank.consortium.membership.FailureDetector;
import org.distribank.consortium.observe.EventBus;
import org.distribank.consortium.observe.EventHistory;
import org.distribank.consortium.storage.LogPosition;
import org.distribank.consortium.storage.NioSegmentFiles;
import org.distribank.consortium.storage.SnapshotStore;
import org.distribank.consortium.storage.SegmentFiles;
import org.distribank.consortium.storage.SegmentLog;
import org.distribank.consortium.storage.StorageFailure;
import org.distribank.consortium.wire.WireBatch;
import org.distribank.consortium.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of one peer's {@link ProtocolCore}: it owns the threads, the links, the log file and
 * the failure detector; the core owns the protocol. One thread (the "protocol thread") takes
 * events (submits, inbound batches, link acks) from a queue in bursts, steps the core with them,
 * then carries out the core's {@link Ready}: append and force the log once for the burst (group
 * commit), and only then release the burst's messages to the links, answer the inbound batches and
 * complete the futures of decided operations.
 *
 * <p>Fail-stop: if the log cannot be made durable (a failed write or fsync, a full disk), the node
 * stops at once: it logs why, releases nothing of the burst, answers nothing after it, and
 * {@link #failure()} says why ({@code /health} reports DOWN).
 */
public final class NodeImpl implements ConsortiumNode, PeerEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(NodeImpl.class);
    private static final long REQUEST_WAIT_MS = 5_000;
    /** Bursts closer together than this mean the node is busy (see the batch window). */
    private static final long BUSY_NANOS = 2_000_000L;
    /** ...and bursts this large: a lone client's bursts (a message or two) never wait. */
    private static final int BUSY_EVENTS = 4;

    private final NodeOptions options;
    private final Transport transport;
    private final String self;
    private final List<String> others;
    /** The view this node orders in: the first one until view changes are wired in (PROTOCOL.md, "Views"). */
    private final View firstView;
    private final ProtocolCore core;
    private final WireCodec codec;
    private final PeerAuthenticator authenticator;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<LinkAck>> pendingAcks = ConcurrentHashMap.newKeySet();
    /** Inbound batches answered once the current burst is durable (protocol thread). */
    private final List<Runnable> afterSync = new ArrayList<>();
    private final Outbox outbox = new Outbox();
    private final EventBus events;
    private final SegmentLog log;
    private final StateMachine machine;
    /** Set once the core asked to be rebuilt from the log (a restart): read by the supervisor, any thread. */
    private volatile boolean restartRequested;
    private final Snapshotter snapshotter;
    private final SnapshotStore snapshots;
    private boolean detectorStarted;
    /** Joining banks' requests for their first snapshot, served between two bursts ({@link #transfer}). */
    private final List<Runnable> transfersDue = new ArrayList<>();
    /** Writes snapshot files off the protocol thread (serialising them is on it). */
    private java.util.concurrent.ExecutorService snapshotWriter;
    private final FailureDetector detector;
    private final List<OutboundLink> links = new ArrayList<>();
    /** The links by peer, published once all exist (inbound batches carry acks for them). */
    private volatile Map<String, OutboundLink> linkByPeer = Map.of();
    /** Streaming links: reconnect and resend timer (no thread per link). */
    private ScheduledExecutorService linkTimer;
    /** Views: the ballot's tick (and the suspicion it checks), and the ballot's sends and fetches off this thread. */
    private ScheduledExecutorService viewTimer;
    private java.util.concurrent.ExecutorService viewIo;
    /**
     * Ballot messages, a sender per peer: one to a paused peer waits out its call timeout without holding up those
     * to the others (the nemesis test found two SIGSTOPped banks never voted out while one executor waited on them).
     */
    private final Map<String, java.util.concurrent.ExecutorService> ballotSenders = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean fetching = new java.util.concurrent.atomic.AtomicBoolean();
    /** The view and whether this node is wedged, as of the last Ready (read by callers of submit). */
    private volatile View currentView;
    private volatile boolean wedgedNow;
    /** The highest sequence number this node ever sent, taken-back ones included (a peer may still ack those). */
    private volatile long highestSentNow;
    static final long BALLOT_TICK_MS = 100;
    private final AtomicLong messagesSent = new AtomicLong();
    private volatile VectorClock publishedClock;
    private volatile boolean running;
    private volatile boolean paused;
    /** The outbox holds every message the log has (the replay's Ready carried out): its durableSeq is this node's. */
    private volatile boolean outboxRestored;
    /** The state machine's consumer's back-pressure ({@link #admitFramesWhile}): open unless it says otherwise. */
    private volatile java.util.function.BooleanSupplier admitFrames = () -> true;
    private volatile RuntimeException failure;
    private Thread protocolThread;
    private final long batchWindowNanos;
    private int lastBurstSize;
    private long lastBurstEnd;

    /** A history segment holds a few thousand events: the history's bound overshoots by at most that many. */
    private static final long HISTORY_SEGMENT_BYTES = 1L << 20;

    public NodeImpl(NodeOptions options, StateMachine machine, Transport transport) {
        this(options, machine, transport, new NioSegmentFiles(options.dataDir()));
    }

    /** {@code files}: where the log lives (a crash-testing wrapper in tests). */
    public NodeImpl(NodeOptions options, StateMachine machine, Transport transport, SegmentFiles files) {
        this.options = options;
        this.batchWindowNanos = options.batchWindowMicros() * 1_000L;
        this.transport = transport;
        this.self = options.selfId();
        List<String> peerIds = options.peerIds();
        this.core = new ProtocolCore(self, peerIds, machine, options.recentOutcomes());
        core.viewChanges(options.views());
        core.initialBanks(options.initialBanks()); // (every peer, unless slots wait for add-bank)
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
        this.firstView = View.initial(options.initialBanks());
        this.currentView = firstView;
        this.codec = new WireCodec(peerIds);
        this.authenticator = options.authenticator();
        this.publishedClock = core.clockNow();
        this.events = new EventBus(self, options.eventLogCapacity(), options.historyEvents() == 0 ? null
                : new EventHistory(files, options.historyEvents(), options.historyMaxAgeMs(), HISTORY_SEGMENT_BYTES,
                        options.fsync(), System::currentTimeMillis));
        this.log = new SegmentLog(files, options.segmentBytes(), options.fsync());
        this.machine = machine;
        this.snapshots = new SnapshotStore(files);
        this.snapshotter = new Snapshotter(self, peerIds, snapshots, log, options.snapshotEveryOps(),
                options.snapshotEveryBytes());
        this.detector = new FailureDetector(self, peerIds, options.heartbeatIntervalMs(), options.offlineAfterMs(),
                transport, (peer, up) -> events.emit(up ? EventType.PEER_UP : EventType.PEER_DOWN, peer, null,
                        (String) null, publishedClock));
        transport.onLinkChange(l -> events.emit(EventType.LINK, l.peer(), null, l.describe(), publishedClock));
    }

    @Override
    public String selfId() {
        return self;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (failure != null) {
            throw new ConsortiumException(self + " stopped (fail-stop): " + failure.getMessage());
        }
        try {
            if (!options.initialBanks().contains(self) && snapshots.readAll().isEmpty()
                    && log.segmentNumbers().isEmpty()) {
                // a bank added to a running consortium, started with an empty data directory. Its heartbeats go out
                // first: once a view adds it the members wait for it, and would vote it out again if it were silent
                detector.start();
                detectorStarted = true;
                takeFirstSnapshot();
            }
            LogPosition from = snapshotter.recover(core, machine.appliedPosition());
            log.open(from, core::replay);
        } catch (StorageFailure e) {
            failure = e;
            throw new ConsortiumException(self + " cannot read its log or snapshots: " + e.getMessage(), e);
        }
        core.finishReplay();
        running = true;
        if (!carryOut(false)) {
            running = false;
            throw new ConsortiumException(self + " cannot make its log durable: " + failure.getMessage(), failure);
        }
        outboxRestored = true;
        LOG.debug("{}: started with {} delivered, clock {}", self, core.deliveredCount(), core.clockNow());
        boolean streaming = transport.streaming();
        LinkOptions linkOptions = LinkOptions.from(options);
        for (String p : others) {
            long acked = core.linkAcked(p);
            links.add(streaming
                    ? new StreamLink(self, p, acked, outbox, transport, linkOptions, () -> paused)
                    : new LinkSender(self, p, acked, outbox, transport, linkOptions, () -> paused));
        }
        Map<String, OutboundLink> byPeer = new HashMap<>();
        links.forEach(l -> byPeer.put(l.peer(), l));
        linkByPeer = Map.copyOf(byPeer);
        snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-" + self);
            t.setDaemon(true);
            return t;
        });
        protocolThread = new Thread(this::protocolLoop, "protocol-" + self);
        protocolThread.setDaemon(true);
        protocolThread.start();
        links.forEach(OutboundLink::start);
        links.forEach(OutboundLink::signal);
        if (streaming) {
            linkTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "links-" + self);
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(10, options.retryMinMs());
            linkTimer.scheduleWithFixedDelay(() -> {
                for (OutboundLink l : links) {
                    try {
                        ((StreamLink) l).tick();
                    } catch (RuntimeException e) {
                        LOG.warn("{}: link {} timer failed", self, l.peer(), e);
                    }
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
        if (!detectorStarted) {
            detector.start();
        }
        if (options.views() && running) {
            viewIo = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "views-" + self);
                t.setDaemon(true);
                return t;
            });
            viewTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "view-timer-" + self);
                t.setDaemon(true);
                return t;
            });
            viewTimer.scheduleWithFixedDelay(() -> {
                if (running && !paused) {
                    inbox.add(this::ballotTick);
                }
            }, BALLOT_TICK_MS, BALLOT_TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** How long a joining bank asks the members for its first snapshot before its start fails. */
    static final long JOIN_WAIT_MS = 300_000;
    private static final long JOIN_RETRY_MS = 500;

    /**
     * A bank new to the consortium has no log: it asks the peers in turn for its first snapshot (PROTOCOL.md "Adding
     * a bank"), which a member gives once it installed a view that has this bank among its banks (an operator asked
     * a member to admit it), and writes it, forced, as its own snapshot at the start of its empty log; the start then
     * goes on as any restart from a snapshot. Bounded by {@link #JOIN_WAIT_MS}.
     */
    private void takeFirstSnapshot() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_WAIT_MS);
        String request = org.distribank.consortium.wire.Transfer.request(self);
        Map<String, String> why = new java.util.TreeMap<>(PeerIds.COMPARATOR);
        LOG.info("{}: a bank new to the consortium (empty data directory): asking the members for its first snapshot",
                self);
        while (true) {
            for (String p : others) {
                try {
                    org.distribank.consortium.wire.Transfer.Answer a = org.distribank.consortium.wire.Transfer
                            .readAnswer(transport.transfer(p, request));
                    snapshots.write(a.position(), System.currentTimeMillis(), LogPosition.START, a.snapshot());
                    LOG.info("{}: took its first snapshot from {} at position {} ({} bytes)", self, p, a.position(),
                            a.snapshot().length);
                    return;
                } catch (java.io.IOException | IllegalArgumentException e) {
                    why.put(p, e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StorageFailure("no member gave " + self + " its first snapshot within " + JOIN_WAIT_MS / 1_000
                        + " s (has an operator asked a member to admit it?): " + why, null);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(JOIN_RETRY_MS)); // a retry's pause, not a wait for one
            if (Thread.interrupted()) {
                throw new StorageFailure(self + " was interrupted while joining", null);
            }
        }
    }

    /** The view ballot's timers, and the failure detector's word: a member offline is suspected. */
    private void ballotTick() {
        core.tick();
        List<String> offline = detector.offlinePeers();
        for (String m : core.view().members()) {
            if (offline.contains(m)) {
                core.suspect();
                break;
            }
        }
    }

    private void protocolLoop() {
        List<Runnable> burst = new ArrayList<>();
        while (running) {
            try {
                Runnable first = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    collectLinkAcks();
                    if (running && core.hasReady()) {
                        carryOut(true);
                    }
                    continue;
                }
                if (batchWindowNanos > 0 && lastBurstSize >= BUSY_EVENTS
                        && System.nanoTime() - lastBurstEnd < BUSY_NANOS) {
                    // busy: gather a little more so one fsync and one frame per link serve more
                    LockSupport.parkNanos(batchWindowNanos);
                }
                burst.add(first);
                inbox.drainTo(burst, 10_000);
                lastBurstSize = burst.size();
                core.observe(events.active());
                for (Runnable r : burst) {
                    try {
                        r.run();
                    } catch (StorageFailure e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.error("{}: protocol event failed", self, e);
                    }
                }
                burst.clear();
                collectLinkAcks();
                core.endBurst(!paused);
                boolean carried = carryOut(true);
                for (int again = 0; carried && again < 3 && core.hasVotesToSend(); again++) {
                    core.endBurst(!paused); // votes that waited for the burst's decisions: they leave now
                    carried = carryOut(true);
                }
                if (carried) {
                    afterBurst();
                }
                lastBurstEnd = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (StorageFailure e) {
                failStop(e);
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.error("{}: protocol loop failure", self, e);
            } catch (Error e) {
                // a thread that dies here would leave heartbeats saying "online" and every request waiting: stop
                failStop(new IllegalStateException("fatal error on the protocol thread: " + e, e));
                break;
            }
        }
    }

    /**
     * Carries out the core's Ready: appends and forces the log (one fsync for the burst), then
     * releases what waited for durability. A storage failure stops the node before anything leaves.
     *
     * @return false if the node stopped on a storage failure
     */
    private boolean carryOut(boolean counted) {
        Ready ready = core.ready();
        if (counted) {
            messagesSent.addAndGet(ready.messages().size());
        }
        try {
            ReadyRunner.run(core, ready, io);
            if (core.takeRebuild() != null) {
                restartRequested = true;
                List.copyOf(waiting.keySet()).forEach(this::refuseWaiting); // it orders nothing until restarted
                LOG.warn("{}: left past the cut of a view; restart this node to rebuild it from its log (the record "
                        + "that asks for it is durable)", self);
            }
        } catch (Killed e) {
            return false; // killed meanwhile: a dead process releases nothing
        } catch (StorageFailure e) {
            failStop(e);
            return false;
        } catch (RuntimeException | Error e) {
            // e.g. the machine threw while applying a decision: its state is no longer what the log says
            failStop(new IllegalStateException("carrying out a burst failed: " + e, e));
            return false;
        }
        return true;
    }

    /**
     * Between bursts: tells the peers (on the next batches) from where this node could restart, truncates the log
     * below what every member can, and takes a snapshot when one is due (serialised here, written by the
     * snapshot thread, recorded back on this thread).
     */
    private void afterBurst() {
        if (!transfersDue.isEmpty()) {
            List<Runnable> due = List.copyOf(transfersDue);
            transfersDue.clear();
            due.forEach(Runnable::run); // between bursts, as a snapshot: the state is one point of the order
        }
        try {
            outbox.snapshotPosition(snapshotter.maintain(machine.appliedPosition(), core::heldByAMajority));
            if (core.isPastCut() || !snapshotter.due(core.deliveredCount())) {
                // (past a cut: a snapshot now would hold what a restart's rebuild leaves out of its log)
                return;
            }
            Snapshotter.Taken taken = snapshotter.take(core, unacked(), System.currentTimeMillis());
            if (taken == null) {
                return;
            }
            snapshotWriter.execute(() -> {
                try {
                    SnapshotStore.Meta written = snapshotter.write(taken);
                    inbox.add(() -> snapshotter.written(written));
                } catch (StorageFailure e) {
                    inbox.add(() -> {
                        snapshotter.writeFailed();
                        if (running) {
                            failStop(e);
                        }
                    });
                }
            });
        } catch (StorageFailure e) {
            failStop(e);
        }
    }

    /** This node's own messages some bank has not acknowledged: what a snapshot, or a joiner's, must hold. */
    private List<Ready.Outgoing> unacked() {
        List<Ready.Outgoing> unacked = new ArrayList<>();
        for (Map.Entry<Long, String> m : outbox.after(minLinkAck())) {
            unacked.add(new Ready.Outgoing(m.getKey(), m.getValue()));
        }
        return unacked;
    }

    private long minLinkAck() {
        long min = Long.MAX_VALUE;
        List<String> banks = core.view().banks();
        for (String p : others) {
            if (!banks.contains(p)) {
                continue; // a slot for a bank added later, or a retired bank: nothing to resend to it
            }
            min = Math.min(min, core.linkAcked(p));
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** Stops a Ready's release when the node was killed during its sync. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super(null, null, false, false);
        }
    }

    /** The driver's side of {@link ReadyRunner}: the outbox, the log, the links, the waiting futures. */
    private final ReadyRunner.Io io = new ReadyRunner.Io() {
        @Override
        public void publish(Ready.Event e) {
            if (e.type() == org.distribank.consortium.entity.EventType.VIEW) {
                events.publishView(core.view(), e.clock());
            } else {
                events.emitMessage(e.type(), e.peer(), e.opId(), e.detail(), e.clock(), e.message(), e.seq());
            }
        }

        @Override
        public void rewind(long seq) {
            outbox.rewind(seq);
            core.takeTakenBack().forEach(NodeImpl.this::refuseWaiting); // never ordered: the client may retry
        }

        @Override
        public void sendBallot(org.distribank.consortium.core.BallotReady.Envelope e) {
            if (e.to().equals(self) || viewIo == null) {
                return;
            }
            String json = org.distribank.consortium.wire.BallotCodec.write(self, e.message());
            ballotSenders.computeIfAbsent(e.to(), to -> Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ballot-" + self + "-to-" + to);
                t.setDaemon(true);
                return t;
            })).execute(() -> {
                try {
                    transport.sendBallot(e.to(), json);
                } catch (Exception ex) { // (an undeclared InterruptedException too, while the node stops)
                    LOG.debug("{}: ballot message to {} failed: {} (the ballot retries)", self, e.to(), ex.toString());
                }
            });
        }

        @Override
        public void fetch(Map<String, long[]> wanted) {
            if (viewIo == null || !fetching.compareAndSet(false, true)) {
                return; // one fetch at a time; the core asks again at its next tick while anything is missing
            }
            Map<String, Long> cut = new java.util.TreeMap<>(PeerIds.COMPARATOR);
            Map<String, Long> held = new java.util.TreeMap<>(PeerIds.COMPARATOR);
            wanted.forEach((bank, range) -> {
                held.put(bank, range[0]);
                cut.put(bank, range[1]);
            });
            List<String> from = new ArrayList<>(core.view().members());
            for (String p : core.view().banks()) {
                if (!from.contains(p)) {
                    from.add(p); // members first, then anyone who may hold it
                }
            }
            java.util.Collections.shuffle(from.subList(0, core.view().members().size()));
            List<String> offline = detector.offlinePeers();
            from.sort(java.util.Comparator.comparing(offline::contains)); // (stable) a paused bank would hold it up
            viewIo.execute(() -> {
                try {
                    new org.distribank.consortium.wire.RelayFetcher(transport, self, 64).fetch(cut, held, from,
                            (origin, msgs) -> {
                                List<String> jsons = msgs.stream().map(org.distribank.consortium.wire.FetchAnswer
                                        .Relayed::json).toList();
                                inbox.add(() -> {
                                    String refusal = core.relayed(origin, jsons);
                                    if (refusal != null) {
                                        LOG.warn("{}: refused messages of {} relayed for a view change: {}", self,
                                                origin, refusal);
                                    }
                                });
                            });
                } catch (java.io.IOException | RuntimeException ex) {
                    LOG.info("{}: fetching a view change's cut failed: {} (asked again at the next tick)", self,
                            ex.toString());
                } finally {
                    fetching.set(false);
                }
            });
        }

        @Override
        public void enqueue(Ready.Outgoing m) {
            outbox.put(m.seq(), m.json());
        }

        @Override
        public void trim(long seq) {
            outbox.trimThrough(seq);
        }

        @Override
        public void append(LogRecord r) {
            log.append(r.encode());
        }

        @Override
        public void sync() {
            log.sync();
        }

        @Override
        public void release(long seq) {
            if (!running) {
                throw new Killed();
            }
            outbox.markDurable(seq);
            outbox.receiveVector(core.receiveVector(), core.takeVectorNews()); // durable now: frames from here on carry it
            outbox.epoch(core.view().epoch());
            currentView = core.view();
            wedgedNow = core.isWedged();
            highestSentNow = core.highestSent();
            publishedClock = core.clockNow();
            for (OutboundLink l : links) {
                l.carryAck(core.received(l.peer())); // durable now: frames sent from here on acknowledge it
                l.signal();
            }
        }

        @Override
        public void report(Outcome o) {
            CompletableFuture<Outcome> f = waiting.remove(o.id());
            if (f != null) {
                f.complete(o);
            }
        }

        @Override
        public void answerInbound() {
            for (Runnable r : afterSync) {
                r.run();
            }
            afterSync.clear();
        }
    };

    /**
     * The log cannot be trusted to hold what this node would acknowledge (or the machine no longer matches it):
     * stop now, release nothing more.
     */
    private void failStop(RuntimeException e) {
        failure = e;
        boolean wasRunning = running;
        running = false;
        LOG.error("{}: STOPPED (fail-stop): {}. Nothing written since the last good sync was acknowledged, sent "
                + "or answered; fix the cause (the disk, mostly) and restart this node: it recovers from its log.", self,
                e.getMessage(), e.getCause());
        afterSync.clear();
        if (wasRunning) {
            halt();
        }
    }

    /** What a crash or a fail-stop leaves: nothing more is sent, waiters fail, the log is dropped unsynced. */
    private void halt() {
        if (snapshotWriter != null) {
            snapshotWriter.shutdownNow();
        }
        detector.close();
        if (viewTimer != null) {
            viewTimer.shutdownNow();
            viewIo.shutdownNow();
            ballotSenders.values().forEach(java.util.concurrent.ExecutorService::shutdownNow);
        }
        if (linkTimer != null) {
            linkTimer.shutdownNow();
        }
        links.forEach(OutboundLink::halt);
        log.abandon();
        transport.close();
        failWaiters();
    }

    private void failWaiters() {
        ConsortiumException gone = failure != null
                ? new ConsortiumException(self + " stopped: " + failure.getMessage(), failure)
                : new ConsortiumException(self + " stopped");
        waiting.values().forEach(f -> f.completeExceptionally(gone));
        waiting.clear();
        // answer waiting peer requests now (503) rather than after their timeout
        List.copyOf(pendingAcks).forEach(f -> f.completeExceptionally(gone));
        Runnable r;
        while ((r = inbox.poll()) != null) {
            LOG.trace("dropping {}", r);
        }
    }

    /** Why this node stopped on its own (a storage failure, a machine that threw), or null while healthy. */
    public RuntimeException failure() {
        return failure;
    }

    @Override
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(failure).map(Throwable::getMessage);
    }

    @Override
    public void close() {
        stop(true);
    }

    /** Crash: no final sync, nothing more sent (owed acks included), in-memory state discarded; pending requests fail. */
    public void kill() {
        stop(false);
    }

    private synchronized void stop(boolean graceful) {
        if (!running) {
            events.closeHistory(graceful); // a node that never started has its history open all the same
            return;
        }
        running = false;
        if (!graceful) {
            links.forEach(OutboundLink::halt); // first: from now on nothing leaves
        }
        detector.close();
        if (viewTimer != null) {
            viewTimer.shutdownNow();
            viewIo.shutdownNow();
            ballotSenders.values().forEach(java.util.concurrent.ExecutorService::shutdownNow);
        }
        if (linkTimer != null) {
            linkTimer.shutdownNow();
        }
        if (graceful) {
            links.forEach(OutboundLink::stop);
        }
        if (protocolThread != null) {
            if (!graceful) {
                protocolThread.interrupt();
            }
            try {
                protocolThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (OutboundLink l : links) {
            try {
                l.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (snapshotWriter != null) {
            snapshotWriter.shutdown();
            try {
                if (!snapshotWriter.awaitTermination(graceful ? 5_000 : 0, TimeUnit.MILLISECONDS)) {
                    snapshotWriter.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.closeHistory(graceful);
        if (graceful && failure == null) {
            try {
                log.close();
            } catch (StorageFailure e) {
                LOG.error("{}: the log's last sync at shutdown failed: {}", self, e.getMessage());
            }
        } else {
            log.abandon();
        }
        transport.close();
        failWaiters();
    }

    /** Test hook: as if the process were stopped (SIGSTOP): no heartbeats, no links, requests refused. */
    public void pause() {
        paused = true;
        detector.setPaused(true);
    }

    public void resume() {
        detector.setPaused(false);
        paused = false;
        links.forEach(OutboundLink::signal);
    }

    // ------------------------------------------------------------------ submit

    @Override
    public CompletableFuture<Outcome> submit(String id, String payload) {
        if (id == null || id.isEmpty() || payload == null) {
            throw new IllegalArgumentException("an operation needs an id and a payload");
        }
        long bytes = codec.opMessageBytes(id, payload);
        // the envelope also carries the receive vector: up to 17 bytes per peer
        long fits = options.maxFrameBytes() - Outbox.FRAME_ENVELOPE_BYTES - 17L * options.peers().size();
        if (bytes > fits) {
            // ordered, it would be a frame no link could send: refused before anything is logged
            throw new OperationTooLargeException(bytes, fits);
        }
        if (!running) {
            throw new ConsortiumException(self + " is not running"
                    + (failure == null ? "" : " (stopped: " + failure.getMessage() + ")"));
        }
        Optional<Outcome> done = core.outcome(id);
        if (done.isPresent()) {
            return CompletableFuture.completedFuture(done.get());
        }
        List<String> offline = detector.offlinePeers();
        if (options.views()) {
            refuseOutsideTheView(id, payload, offline);
        } else if (!offline.isEmpty()) {
            throw new PeerOfflineException(offline);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> existing = waiting.putIfAbsent(id, mine);
        if (existing != null) {
            return existing;
        }
        inbox.add(() -> {
            if (core.isWedged() || !core.view().isMember(self)) {
                // a view change began, or this node was left out, after the check above: refused as it would be now
                // (the nemesis test with views found such submits left waiting forever, answering 202 to each retry)
                refuseWaiting(id);
                return;
            }
            core.submit(id, payload).ifPresent(o -> {
                CompletableFuture<Outcome> f = waiting.remove(id);
                if (f != null) {
                    f.complete(o);
                }
            });
        });
        return mine;
    }

    /** Fails the client waiting for {@code id} as a refusal (a bank's 503): nothing of it was ordered here. */
    private void refuseWaiting(String id) {
        CompletableFuture<Outcome> f = waiting.remove(id);
        if (f != null) {
            f.completeExceptionally(new PeerOfflineException(List.of(self)));
        }
    }

    /**
     * Views: refuses at once an operation whose voters are outside the view or offline (their votes would not come
     * before the view changes), and any operation while a view change is under way or this node is outside the view.
     */
    private void refuseOutsideTheView(String id, String payload, List<String> offline) {
        View v = currentView;
        if (!v.banks().contains(self)) {
            throw new ConsortiumException(self + " has retired from the consortium (view of epoch " + v.epoch()
                    + ", banks " + v.banks() + "): it orders nothing");
        }
        if (!v.isMember(self)) {
            throw new ConsortiumException(self + " is outside the view of epoch " + v.epoch() + " (members "
                    + v.members() + "): it orders nothing until it rejoins");
        }
        if (wedgedNow) {
            throw new PeerOfflineException(offline.isEmpty() ? List.of(self) : offline); // a view change: retry soon
        }
        Set<String> voters;
        try {
            voters = machine.voters(new Operation(id, self, core.clockNow(), payload));
        } catch (RuntimeException e) {
            return; // unreadable: its origin refuses it at delivery, as everywhere
        }
        List<String> refused = new ArrayList<>();
        for (String b : voters) {
            if (v.isOut(b) || v.isMember(b) && offline.contains(b)) {
                refused.add(b);
            }
        }
        if (!refused.isEmpty()) {
            refused.sort(PeerIds.COMPARATOR);
            throw new PeerOfflineException(refused);
        }
    }

    @Override
    public void onBallot(String sender, String json) {
        if (viewIo == null) {
            throw new PeerEndpoint.NotReadyException(self + " takes no part in view changes (views off)");
        }
        if (!running || paused) {
            throw new UnavailableException(self + " is not taking ballot messages now");
        }
        var received = org.distribank.consortium.wire.BallotCodec.read(json);
        detector.touch(sender);
        inbox.add(() -> core.ballotMessage(sender, received.message()));
    }

    @Override
    public String fetch(String sender, String json) {
        servingViews("relaying");
        var request = org.distribank.consortium.wire.BallotCodec.readFetch(json);
        CompletableFuture<String> f = new CompletableFuture<>();
        inbox.add(() -> f.complete(org.distribank.consortium.wire.FetchAnswer.answer(request,
                options.maxFrameBytes(), (origin, seq) -> {
                    if (origin.equals(self)) {
                        return outbox.message(seq);
                    }
                    List<String> one = core.relay(origin, seq - 1, seq);
                    return one.isEmpty() ? null : one.get(0);
                }).toJson()));
        return answered(f, "relay");
    }

    /** A request of the view change's wire: only with views on, and while this node runs. */
    private void servingViews(String what) {
        if (viewIo == null) {
            throw new PeerEndpoint.NotReadyException(self + " takes no part in view changes (views off)");
        }
        if (!running || paused) {
            throw new UnavailableException(self + " is not " + what + " now");
        }
    }

    /** The protocol thread's answer to a peer's request, waited for (bounded); its own refusal passes through. */
    private String answered(CompletableFuture<String> f, String what) {
        try {
            return f.get(REQUEST_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(self + " was interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PeerEndpoint.NotReadyException n ? n
                    : new UnavailableException(self + " failed to " + what + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException(self + " did not " + what + " in time");
        }
    }

    /**
     * A joining bank's first snapshot ({@code ProtocolCore.transferTo}), served between two bursts.
     *
     * @throws PeerEndpoint.NotReadyException why this node cannot give one now (not a member of a view that has the
     *                                        joiner among its banks, ...): the joiner asks again, here or elsewhere
     */
    @Override
    public String transfer(String sender, String json) {
        servingViews("serving");
        String joiner = org.distribank.consortium.wire.Transfer.readRequest(json);
        CompletableFuture<String> f = new CompletableFuture<>();
        inbox.add(() -> transfersDue.add(() -> {
            byte[] body = core.transferTo(joiner, unacked());
            if (body == null) {
                String why = core.transferRefusal(joiner);
                f.completeExceptionally(new PeerEndpoint.NotReadyException(why != null ? why
                        : "its state machine cannot hand its state to a joining bank"));
            } else {
                LOG.info("{}: gives {} its first snapshot at position {} ({} bytes)", self, joiner,
                        core.deliveredCount(), body.length);
                f.complete(org.distribank.consortium.wire.Transfer.answer(core.deliveredCount(), body));
            }
        }));
        return answered(f, "answer");
    }

    @Override
    public void admit(String bank) {
        if (viewIo == null) {
            throw new IllegalStateException(self + " takes no part in view changes (views off)");
        }
        if (!others.contains(bank)) {
            throw new IllegalArgumentException(bank + " is not another configured bank (configured: " + others + ")");
        }
        if (machine.retiredBanks().contains(bank)) {
            throw new IllegalArgumentException(bank + " has retired from the consortium: it is not added again");
        }
        if (!running || paused) {
            throw new UnavailableException(self + " is not running");
        }
        LOG.info("{}: asked to admit {} in the next view", self, bank);
        inbox.add(() -> core.admit(bank));
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public PeerAuthenticator authenticator() {
        return authenticator;
    }

    @Override
    public CompletableFuture<LinkAck> onBatch(String sender, String batchJson) {
        if (!running || paused) {
            throw new UnavailableException(self + " is not taking messages now");
        }
        if (!admitFrames.getAsBoolean()) {
            throw new UnavailableException(self + " is holding frames back: what it decided is not written yet");
        }
        WireBatch batch = codec.readBatch(batchJson);
        String from = batch.from();
        if (!from.equals(sender)) {
            String claimed = from.length() > 40 ? from.substring(0, 40) + "..." : from;
            LOG.warn("{}: peer {} sent a batch claiming to be from {}: refused, nothing stored", self, sender,
                    claimed.replaceAll("[^\\x21-\\x7e]", "?"));
            throw new PeerAuthenticator.Refused("a batch from " + sender + " must say \"from\":\"" + sender + "\"");
        }
        if (!others.contains(from)) {
            throw new IllegalArgumentException("unknown peer " + from);
        }
        detector.touch(from);
        if (batch.ack() != null && outboxRestored && batch.ack() > Math.max(outbox.durableSeq(), highestSentNow)) {
            // a message is logged before it is sent, so only a lost log explains a peer holding more of them than
            // this node has: going on would give new messages sequence numbers the peers hold for others, and the
            // peers' clocks count messages this node no longer knows (PROTOCOL.md, "Catch-up from a peer's
            // snapshot"). Stop and say so, on the protocol thread.
            StorageFailure lost = new StorageFailure("peer " + from + " holds " + batch.ack() + " messages from this "
                    + "node, whose log has only " + outbox.durableSeq() + ": this node's data directory was lost or "
                    + "put back from an older copy, and it cannot take part with a past its peers do not share", null);
            inbox.add(() -> {
                throw lost;
            });
            throw new UnavailableException(self + " lost its log: it is stopping");
        }
        OutboundLink back = linkByPeer.get(from);
        if (batch.ack() != null && back != null) {
            back.ackedByReceiver(batch.ack());
        }
        if (batch.snap() != null) {
            snapshotter.peerPosition(from, batch.snap());
        }
        CompletableFuture<LinkAck> ack = new CompletableFuture<>();
        pendingAcks.add(ack);
        ack.whenComplete((a, e) -> pendingAcks.remove(ack));
        inbox.add(() -> {
            String refusal = core.receive(from, batch, batchJson);
            if (refusal != null) {
                // refused whole and before the log: a restart never replays it, the link stays where it was
                LOG.warn("{}: refused a batch from {}: {}; nothing of it stored", self, from, refusal);
                ack.completeExceptionally(new RefusedBatchException(refusal));
                return;
            }
            long upTo = core.received(from);
            // after the sync and the links' frames of this burst: was the ack carried by one of them?
            afterSync.add(() -> ack.complete(new LinkAck(from, upTo, back != null && back.ackCarried() >= upTo)));
        });
        // bounded: a node that stops meanwhile never completes it
        return ack.orTimeout(REQUEST_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** The peer ranked after the other of a pair defers; the one ranked first always acks at once. */
    @Override
    public boolean deferAck(String from, long upTo, Runnable sendNow) {
        OutboundLink back = linkByPeer.get(from);
        return back != null && PeerIds.COMPARATOR.compare(self, from) > 0 && back.oweAck(upTo, sendNow);
    }

    @Override
    public void onHeartbeat(String sender) {
        if (!running || paused) {
            throw new UnavailableException(self + " is paused");
        }
        if (!others.contains(sender)) {
            throw new IllegalArgumentException("unknown peer " + sender);
        }
        detector.touch(sender);
    }

    /** Link acks, read lazily on the protocol thread (an ack never wakes it); the core logs and trims. */
    private void collectLinkAcks() {
        for (OutboundLink l : links) {
            core.linkAcked(l.peer(), l.acked());
        }
    }

    // ------------------------------------------------------------------ observers

    @Override
    public Optional<Outcome> outcome(String id) {
        return core.outcome(id);
    }

    @Override
    public Optional<String> inFlight(String id) {
        if (!running || failure != null) {
            return Optional.empty();
        }
        CompletableFuture<Optional<String>> f = new CompletableFuture<>();
        inbox.add(() -> f.complete(core.inFlight(id).map(Operation::payload)));
        try {
            return f.get(REQUEST_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    @Override
    public ConsortiumView view() {
        CompletableFuture<ConsortiumView> f = new CompletableFuture<>();
        inbox.add(() -> f.complete(buildView()));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_WAIT_MS);
        try {
            // in short waits: a node stopping meanwhile never runs the request, and its server's graceful stop
            // must not wait out the whole bound for it
            while (true) {
                try {
                    return f.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!running) {
                        throw new ConsortiumException(self + " stopped");
                    }
                    if (System.nanoTime() > until) {
                        throw new ConsortiumException(self + " did not answer the view in time", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsortiumException("interrupted");
        } catch (ExecutionException e) {
            throw new ConsortiumException(self + " did not answer the view", e);
        }
    }

    private ConsortiumView buildView() {
        List<PeerStatus> peers = new ArrayList<>();
        for (PeerInfo p : options.peers()) {
            boolean me = p.id().equals(self);
            peers.add(new PeerStatus(p.id(), p.name(), p.url(), me || detector.isOnline(p.id()),
                    me ? System.currentTimeMillis() : detector.lastSeenMs(p.id())));
        }
        return new ConsortiumView(self, peers, core.clockNow(), core.queueEntries(), core.deliveredCount(),
                logHash(), core.view());
    }

    @Override
    public EventSource events() {
        return events;
    }

    @Override
    public void report(EventType type, String opId, String detail) {
        events.emit(type, null, opId, detail, publishedClock);
    }

    @Override
    public void admitFramesWhile(java.util.function.BooleanSupplier open) {
        admitFrames = java.util.Objects.requireNonNull(open, "open");
    }

    @Override
    public PeerEndpoint endpoint() {
        return this;
    }

    public long deliveredCount() {
        return core.deliveredCount();
    }

    @Override
    public boolean restartRequested() {
        return restartRequested;
    }

    @Override
    public long snapshotPosition() {
        return snapshotter.position();
    }

    @Override
    public Optional<java.time.Instant> snapshotAt() {
        long at = snapshotter.atMillis();
        return at == 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(at));
    }

    @Override
    public long logBytes() {
        return log.bytes();
    }

    /** The last snapshot's cost: {serialising on the protocol thread, writing it}, in nanoseconds. */
    public long[] lastSnapshotNanos() {
        return new long[] {snapshotter.lastSerialiseNanos(), snapshotter.lastWriteNanos()};
    }

    /** Outcomes the protocol keeps in memory now (at most NodeOptions.recentOutcomes). Any thread. */
    public int recentOutcomeCount() {
        return core.recentOutcomeCount();
    }

    public String logHash() {
        return HexFormat.of().formatHex(core.logHash());
    }

    public VectorClock clockNow() {
        return publishedClock;
    }

    /** Messages this peer has sent (each goes to every other peer), for the benchmark. */
    public long messagesSent() {
        return messagesSent.get();
    }

    /** Messages of this peer on disk, so sendable (its last durable sequence number), for operators and tests. */
    public long messagesDurable() {
        return outbox.durableSeq();
    }

    /** Link requests that succeeded, for the benchmark. */
    public long requestsSent() {
        return links.stream().mapToLong(OutboundLink::requests).sum();
    }

    public boolean isPaused() {
        return paused;
    }

    public List<String> offlinePeers() {
        return detector.offlinePeers();
    }
}
