package org.distribank.consortium.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.distribank.consortium.ConsortiumException;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.PeerAuthenticator;
import org.distribank.consortium.PeerEndpoint;
import org.distribank.consortium.PeerEndpoint.LinkAck;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.Transport;
import org.distribank.consortium.clock.LogicalClock;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.OrderKey;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.entity.PeerStatus;
import org.distribank.consortium.entity.QueueEntry;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.Vote;
import org.distribank.consortium.link.LinkOptions;
import org.distribank.consortium.link.LinkSender;
import org.distribank.consortium.link.OutboundLink;
import org.distribank.consortium.link.StreamLink;
import org.distribank.consortium.link.Outbox;
import org.distribank.consortium.membership.FailureDetector;
import org.distribank.consortium.multicast.HoldBackQueue;
import org.distribank.consortium.observe.EventBus;
import org.distribank.consortium.storage.SegmentLog;
import org.distribank.consortium.transport.WireBatch;
import org.distribank.consortium.transport.WireCodec;
import org.distribank.consortium.transport.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine of one peer. All protocol state belongs to one thread (the "protocol
 * thread") which takes events (submits, inbound batches, link acks) from a queue in bursts,
 * handles a burst, then writes and forces the log once (group commit) and only then answers the
 * inbound requests, releases outbound messages to the links and completes futures.
 *
 * <p>Log records: {@code S<json>} a message this peer sent (its seq and clock stamp),
 * {@code B<from>\n<batch json>} a batch received from a peer (replayed through the same
 * duplicate filter), {@code A<peer>\n<seq>} a link ack (only to trim the outbox on replay; never
 * forced on its own). Replaying them in order rebuilds the clock, queue, votes and outcomes.
 */
public final class NodeImpl implements ConsortiumNode, PeerEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(NodeImpl.class);
    private static final long REQUEST_WAIT_MS = 5_000;

    private final NodeOptions options;
    private final StateMachine machine;
    private final Transport transport;
    private final String self;
    private final List<String> peerIds;
    private final List<String> others;
    private final Map<String, Integer> peerRank = new HashMap<>();

    // --- protocol-thread state ---
    private final LogicalClock clock;
    private final HoldBackQueue queue;
    private final Map<String, Long> received = new HashMap<>();
    /** The clock of the last message received from each peer (canonical order): a sender's clock never goes back. */
    private final Map<String, long[]> lastClockFrom = new HashMap<>();
    private final Map<String, Long> linkAcked = new HashMap<>();
    private final Map<String, Map<String, Vote>> votes = new HashMap<>();
    private final ArrayDeque<Pending> awaitingDecision = new ArrayDeque<>();
    /** Delivered and not yet decided (the decided ones are in {@link #outcomes}): a second delivery of an id is skipped. */
    private final Set<String> undecidedIds = new HashSet<>();
    /** During replay: delivered operations this peer votes on, waiting for their logged vote. */
    private final LinkedHashMap<String, Operation> replayedAwaitingOwnVote = new LinkedHashMap<>();
    private final List<Runnable> afterSync = new ArrayList<>();
    /** Votes cast in this burst: they leave in one VOTE message at its end. */
    private final List<WireMessage.Ballot> ballots = new ArrayList<>();
    private long nextSeq = 1;
    private boolean needAck;
    private boolean mustSync;
    private boolean replaying;
    private byte[] logHash = new byte[32];
    private final MessageDigest sha256;

    // --- shared with other threads ---
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<LinkAck>> pendingAcks = ConcurrentHashMap.newKeySet();
    private final Outbox outbox = new Outbox();
    private final EventBus events;
    private final SegmentLog log;
    private final FailureDetector detector;
    private final List<OutboundLink> links = new ArrayList<>();
    /** The links by peer, published once all exist (inbound batches carry acks for them). */
    private volatile Map<String, OutboundLink> linkByPeer = Map.of();
    private final WireCodec codec;
    private final PeerAuthenticator authenticator;
    /** Streaming links: reconnect and resend timer (no thread per link). */
    private ScheduledExecutorService linkTimer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong messagesSent = new AtomicLong();
    private volatile VectorClock publishedClock;
    /** The log hash as of the last delivery (a fresh array each time, never written after); hex only when read. */
    private volatile byte[] publishedHash = new byte[32];
    private volatile boolean running;
    private volatile boolean paused;
    private Thread protocolThread;
    /** Bursts closer together than this mean the node is busy (see the batch window). */
    private static final long BUSY_NANOS = 2_000_000L;
    /** ...and bursts this large: a lone client's bursts (a message or two) never wait. */
    private static final int BUSY_EVENTS = 4;
    private int lastBurstSize;
    private final long batchWindowNanos;
    private long lastBurstEnd;

    /** A delivered operation waiting for its voters. */
    private record Pending(Operation op, List<String> voters, long position) {
    }

    public NodeImpl(NodeOptions options, StateMachine machine, Transport transport) {
        this.options = options;
        this.batchWindowNanos = options.batchWindowMicros() * 1_000L;
        this.machine = machine;
        this.transport = transport;
        this.self = options.selfId();
        this.peerIds = options.peerIds();
        if (!peerIds.contains(self)) {
            throw new IllegalArgumentException("selfId " + self + " is not among the peers " + peerIds);
        }
        for (int i = 0; i < peerIds.size(); i++) {
            peerRank.put(peerIds.get(i), i);
        }
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
        this.clock = new LogicalClock(self, peerIds);
        this.codec = new WireCodec(peerIds);
        this.authenticator = options.authenticator();
        this.publishedClock = clock.current();
        this.queue = new HoldBackQueue(self, peerIds);
        for (String p : others) {
            received.put(p, 0L);
            linkAcked.put(p, 0L);
        }
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.events = new EventBus(self, options.eventLogCapacity());
        this.log = new SegmentLog(options.dataDir(), options.segmentBytes(), options.fsync());
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
        replaying = true;
        log.open(this::replayRecord);
        replaying = false;
        // What the crash cut short: deliveries whose vote never reached the log (asked now, in
        // delivery order; nobody has seen a vote for them), an ACK owed.
        for (Operation op : new ArrayList<>(replayedAwaitingOwnVote.values())) {
            castOwnVote(op, machine.vote(op));
        }
        replayedAwaitingOwnVote.clear();
        tryDecide();
        flushVotes();
        if (needAck) {
            sendAck();
        }
        mustSync = true;
        endOfBurst();
        LOG.debug("{}: started with {} delivered, clock {}, {} queued", self, delivered.get(), clock.current(),
                queue.size());
        running = true;
        boolean streaming = transport.streaming();
        LinkOptions linkOptions = LinkOptions.from(options);
        for (String p : others) {
            links.add(streaming
                    ? new StreamLink(self, p, linkAcked.get(p), outbox, transport, linkOptions, () -> paused)
                    : new LinkSender(self, p, linkAcked.get(p), outbox, transport, linkOptions, () -> paused));
        }
        Map<String, OutboundLink> byPeer = new HashMap<>();
        links.forEach(l -> byPeer.put(l.peer(), l));
        linkByPeer = Map.copyOf(byPeer);
        protocolThread = new Thread(this::protocolLoop, "protocol-" + self);
        protocolThread.setDaemon(true);
        protocolThread.start();
        links.forEach(OutboundLink::start);
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
        detector.start();
    }

    private void protocolLoop() {
        List<Runnable> burst = new ArrayList<>();
        while (running) {
            try {
                Runnable first = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    collectLinkAcks();
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
                for (Runnable r : burst) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.error("{}: protocol event failed", self, e);
                    }
                }
                burst.clear();
                collectLinkAcks();
                flushVotes();
                if (needAck && !paused) {
                    sendAck();
                }
                endOfBurst();
                lastBurstEnd = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.error("{}: protocol loop failure", self, e);
            }
        }
    }

    /** Group commit: one write+fsync for the burst, then release what waited for durability. */
    private void endOfBurst() {
        if (mustSync) {
            log.sync();
            mustSync = false;
        }
        outbox.markDurable(nextSeq - 1);
        publishedClock = clock.current();
        for (OutboundLink l : links) {
            l.carryAck(received.get(l.peer())); // durable now: frames sent from here on acknowledge it
            l.signal();
        }
        for (Runnable r : afterSync) {
            r.run();
        }
        afterSync.clear();
    }

    @Override
    public void close() {
        stop(true);
    }

    /** Crash: no final sync, in-memory state discarded; pending requests fail. */
    public void kill() {
        stop(false);
    }

    private synchronized void stop(boolean graceful) {
        if (!running) {
            return;
        }
        running = false;
        detector.close();
        if (linkTimer != null) {
            linkTimer.shutdownNow();
        }
        links.forEach(OutboundLink::stop);
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
        if (graceful) {
            log.close();
        } else {
            log.abandon();
        }
        transport.close();
        ConsortiumException gone = new ConsortiumException(self + " stopped");
        waiting.values().forEach(f -> f.completeExceptionally(gone));
        // answer waiting peer requests now (503) rather than after their timeout
        List.copyOf(pendingAcks).forEach(f -> f.completeExceptionally(gone));
        Runnable r;
        while ((r = inbox.poll()) != null) {
            LOG.trace("dropping {}", r);
        }
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
        if (!running) {
            throw new ConsortiumException(self + " is not running");
        }
        Outcome done = outcomes.get(id);
        if (done != null) {
            return CompletableFuture.completedFuture(done);
        }
        List<String> offline = detector.offlinePeers();
        if (!offline.isEmpty()) {
            throw new PeerOfflineException(offline);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> existing = waiting.putIfAbsent(id, mine);
        if (existing != null) {
            return existing;
        }
        inbox.add(() -> multicastOperation(id, payload));
        return mine;
    }

    private void multicastOperation(String id, String payload) {
        Outcome done = outcomes.get(id);
        if (done != null) {
            CompletableFuture<Outcome> f = waiting.remove(id);
            if (f != null) {
                f.complete(done);
            }
            return;
        }
        send((seq, stamp) -> WireMessage.op(seq, stamp, id, payload));
        queue.add(new Operation(id, self, clock.current(), payload));
        needAck = true;
        tryDeliver();
    }

    // ------------------------------------------------------------------ sending

    /** What a send is made of: the message, given its sequence number and clock stamp. */
    @FunctionalInterface
    private interface Stamped {
        WireMessage message(long seq, long[] stamp);
    }

    /** Stamps (next sequence number, clock ticked), logs and queues one message for every other peer. */
    private void send(Stamped what) {
        long seq = nextSeq++;
        WireMessage m = what.message(seq, clock.tick());
        String json = codec.write(m);
        log.append(("S" + json).getBytes(StandardCharsets.UTF_8));
        mustSync = true;
        outbox.put(seq, json);
        needAck = false; // anything sent after a receive carries a larger key: it acknowledges
        messagesSent.incrementAndGet();
        if (events.active()) {
            VectorClock stamp = clock.current();
            if (m.votes() != null) {
                for (WireMessage.Ballot b : m.votes()) {
                    events.emit(EventType.SEND, "all", b.id(), "VOTE seq=" + seq, stamp);
                }
            } else {
                events.emit(WireMessage.ACK.equals(m.type()) ? EventType.ACK : EventType.SEND, "all", m.id(),
                        m.type() + " seq=" + seq, stamp);
            }
        }
    }

    private void sendAck() {
        send(WireMessage::ack);
    }

    /** The votes cast in this burst, in one message. */
    private void flushVotes() {
        if (!ballots.isEmpty()) {
            send((seq, stamp) -> WireMessage.votes(seq, stamp, ballots)); // copies them
            ballots.clear();
        }
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
        WireBatch batch = codec.readBatch(batchJson);
        String from = batch.from();
        if (!from.equals(sender)) {
            String claimed = from.length() > 40 ? from.substring(0, 40) + "..." : from;
            LOG.warn("{}: peer {} sent a batch claiming to be from {}: refused, nothing stored", self, sender,
                    claimed.replaceAll("[^\\x21-\\x7e]", "?"));
            throw new PeerAuthenticator.Refused("a batch from " + sender + " must say \"from\":\"" + sender + "\"");
        }
        if (!received.containsKey(from)) {
            throw new IllegalArgumentException("unknown peer " + from);
        }
        detector.touch(from);
        OutboundLink back = linkByPeer.get(from);
        if (batch.ack() != null && back != null) {
            back.ackedByReceiver(batch.ack());
        }
        CompletableFuture<LinkAck> ack = new CompletableFuture<>();
        pendingAcks.add(ack);
        ack.whenComplete((a, e) -> pendingAcks.remove(ack));
        inbox.add(() -> {
            String refusal = refusal(from, batch);
            if (refusal != null) {
                // refused whole and before the log: a restart never replays it, the link stays where it was
                LOG.warn("{}: refused a batch from {}: {}; nothing of it stored", self, from, refusal);
                ack.completeExceptionally(new RefusedBatchException(refusal));
                return;
            }
            receiveBatch(from, batch, batchJson);
            long upTo = received.get(from);
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
        if (!received.containsKey(sender)) {
            throw new IllegalArgumentException("unknown peer " + sender);
        }
        detector.touch(sender);
    }

    /**
     * Why the new messages of a batch from {@code from} could not come from an honest peer, or null.
     * Sequence numbers: at most {@link LogicalClock#MAX_ENTRY}, one by one within the batch (a sender
     * sends a range of its outbox). Clocks: {@link LogicalClock#refusal}, each message checked against
     * this peer's clock as merged with the batch's earlier messages. Protocol thread.
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
        long last = received.get(from);
        boolean fresh = false;
        for (WireMessage m : batch.messages()) {
            if (m.seq() == last + 1) {
                fresh = true;
                break;
            }
        }
        if (!fresh) {
            return; // a duplicate or a stale copy: nothing to persist
        }
        if (!replaying) {
            log.append(("B" + from + "\n" + raw).getBytes(StandardCharsets.UTF_8));
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
            receive(from, m);
        }
        tryDeliver();
    }

    private void receive(String from, WireMessage m) {
        long sum = clock.onReceive(m.clock());
        lastClockFrom.put(from, m.clock());
        queue.observe(from, new OrderKey(sum, from));
        VectorClock now = events.active() ? clock.current() : null;
        switch (m.type()) {
            case WireMessage.OP -> {
                queue.add(new Operation(m.id(), from, clock.toVectorClock(m.clock()), m.payload()));
                needAck = true;
                if (events.active()) {
                    events.emit(EventType.RECEIVE, from, m.id(), "OP seq=" + m.seq(), now);
                }
            }
            case WireMessage.VOTE -> {
                for (WireMessage.Ballot b : m.votes()) {
                    Vote v = b.yes() ? Vote.yesVote() : Vote.no(b.reason());
                    recordVote(b.id(), from, v);
                    if (events.active()) {
                        events.emit(EventType.RECEIVE, from, b.id(), "VOTE " + (v.yes() ? "YES" : "NO " + v.reason())
                                + " seq=" + m.seq(), now);
                    }
                }
            }
            default -> {
                if (events.active()) {
                    events.emit(EventType.RECEIVE, from, null, "ACK seq=" + m.seq(), now);
                }
            }
        }
    }

    /**
     * Link acks, read lazily on the protocol thread (an ack never wakes it): logs the new ones
     * (they ride the next sync; only for trimming at replay) and forgets what every link acked.
     */
    private void collectLinkAcks() {
        boolean changed = false;
        for (OutboundLink l : links) {
            long ack = l.acked();
            if (ack > linkAcked.get(l.peer())) {
                linkAcked.put(l.peer(), ack);
                log.append(("A" + l.peer() + "\n" + ack).getBytes(StandardCharsets.UTF_8));
                changed = true;
            }
        }
        if (changed) {
            long min = Long.MAX_VALUE;
            for (long a : linkAcked.values()) {
                min = Math.min(min, a);
            }
            outbox.trimThrough(min);
        }
    }

    // ------------------------------------------------------------------ delivery and votes

    private void tryDeliver() {
        Operation op;
        while ((op = queue.pollDeliverable()) != null) {
            if (outcomes.containsKey(op.id()) || !undecidedIds.add(op.id())) {
                LOG.warn("{}: operation id {} delivered twice (from {}); the second is skipped", self, op.id(),
                        op.origin());
                continue;
            }
            long position = delivered.incrementAndGet();
            sha256.update(logHash);
            sha256.update(op.id().getBytes(StandardCharsets.UTF_8));
            logHash = sha256.digest();
            if (events.active()) {
                events.emit(EventType.DELIVER, op.origin(), op.id(), "position=" + position, clock.current());
            }
            List<String> voters = new ArrayList<>(machine.voters(op));
            voters.sort((a, b) -> Integer.compare(peerRank.getOrDefault(a, Integer.MAX_VALUE),
                    peerRank.getOrDefault(b, Integer.MAX_VALUE)));
            awaitingDecision.add(new Pending(op, voters, position));
            if (voters.contains(self)) {
                if (replaying) {
                    // Its vote, if it was logged, follows in the log: that verdict is the one the
                    // others decided with, so it is restored rather than asked again.
                    replayedAwaitingOwnVote.put(op.id(), op);
                } else {
                    castOwnVote(op, machine.vote(op));
                }
            }
        }
        publishedHash = logHash;
        tryDecide();
    }

    private void castOwnVote(Operation op, Vote v) {
        recordVote(op.id(), self, v);
        ballots.add(new WireMessage.Ballot(op.id(), v.yes(), v.reason()));
        if (events.active()) {
            events.emit(EventType.VOTE, null, op.id(), v.yes() ? "YES" : "NO " + v.reason(), clock.current());
        }
    }

    /** Replay of this peer's logged vote: the machine re-reserves, the logged verdict counts. */
    private void restoreOwnVote(String opId, Vote logged) {
        Operation op = replayedAwaitingOwnVote.remove(opId);
        if (op == null) {
            LOG.warn("{}: logged vote for {} has no replayed delivery; ignored", self, opId);
            return;
        }
        machine.restoreVote(op, logged);
        recordVote(opId, self, logged);
        tryDecide();
    }

    private void recordVote(String opId, String voter, Vote v) {
        votes.computeIfAbsent(opId, k -> new HashMap<>()).putIfAbsent(voter, v);
    }

    /** Decides in delivery order: each operation once all of its voters have voted. */
    private void tryDecide() {
        while (!awaitingDecision.isEmpty()) {
            Pending p = awaitingDecision.peekFirst();
            Map<String, Vote> got = votes.getOrDefault(p.op().id(), Map.of());
            if (!got.keySet().containsAll(p.voters())) {
                return;
            }
            awaitingDecision.pollFirst();
            votes.remove(p.op().id());
            undecidedIds.remove(p.op().id());
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
            // the origin as this node's own peer-id instance: every outcome stays in memory, a decoded copy each
            Integer rank = peerRank.get(op.origin());
            Outcome outcome = new Outcome(op.id(), rank == null ? op.origin() : peerIds.get(rank), op.clock(),
                    reason == null ? Decision.COMMITTED : Decision.ABORTED, reason, voter, p.position());
            outcomes.put(op.id(), outcome);
            machine.decide(op, outcome);
            if (events.active()) {
                events.emit(outcome.committed() ? EventType.COMMIT : EventType.ABORT, null, op.id(),
                        reason == null ? null : reason + " (" + voter + ")", clock.current());
            }
            if (!replaying) {
                CompletableFuture<Outcome> f = waiting.remove(op.id());
                if (f != null) {
                    afterSync.add(() -> f.complete(outcome));
                }
            }
        }
    }

    // ------------------------------------------------------------------ replay

    private void replayRecord(byte[] rec) {
        char tag = (char) rec[0];
        String body = new String(rec, 1, rec.length - 1, StandardCharsets.UTF_8);
        switch (tag) {
            case 'S' -> {
                WireMessage m = codec.readMessage(body);
                clock.restoreSend(m.clock());
                VectorClock stamp = clock.toVectorClock(m.clock());
                nextSeq = m.seq() + 1;
                outbox.put(m.seq(), body);
                needAck = false;
                switch (m.type()) {
                    case WireMessage.OP -> {
                        queue.add(new Operation(m.id(), self, stamp, m.payload()));
                        needAck = true;
                        tryDeliver();
                    }
                    case WireMessage.VOTE -> {
                        for (WireMessage.Ballot b : m.votes()) {
                            restoreOwnVote(b.id(), b.yes() ? Vote.yesVote() : Vote.no(b.reason()));
                        }
                    }
                    default -> { }
                }
            }
            case 'B' -> {
                int nl = body.indexOf('\n');
                String from = body.substring(0, nl);
                String raw = body.substring(nl + 1);
                receiveBatch(from, codec.readBatch(raw), raw);
            }
            case 'A' -> {
                int nl = body.indexOf('\n');
                String peer = body.substring(0, nl);
                long ack = Long.parseLong(body.substring(nl + 1));
                linkAcked.merge(peer, ack, Math::max);
                long min = Long.MAX_VALUE;
                for (long a : linkAcked.values()) {
                    min = Math.min(min, a);
                }
                outbox.trimThrough(min);
            }
            default -> throw new IllegalStateException("unknown log record " + tag);
        }
    }

    // ------------------------------------------------------------------ observers

    @Override
    public Optional<Outcome> outcome(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    @Override
    public ConsortiumView view() {
        CompletableFuture<ConsortiumView> f = new CompletableFuture<>();
        inbox.add(() -> f.complete(buildView()));
        try {
            return f.get(REQUEST_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsortiumException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new ConsortiumException(self + " did not answer the view in time", e);
        }
    }

    private ConsortiumView buildView() {
        List<PeerStatus> peers = new ArrayList<>();
        for (PeerInfo p : options.peers()) {
            boolean me = p.id().equals(self);
            peers.add(new PeerStatus(p.id(), p.name(), p.url(), me || detector.isOnline(p.id()),
                    me ? System.currentTimeMillis() : detector.lastSeenMs(p.id())));
        }
        List<QueueEntry> q = new ArrayList<>();
        for (Operation op : queue.snapshot()) {
            q.add(new QueueEntry(op.id(), op.origin(), op.clock(), queue.acks(op), "QUEUED"));
        }
        for (Pending p : awaitingDecision) {
            q.add(new QueueEntry(p.op().id(), p.op().origin(), p.op().clock(), List.copyOf(peerIds), "DELIVERED"));
        }
        return new ConsortiumView(self, peers, clock.current(), q, delivered.get(), HexFormat.of().formatHex(publishedHash));
    }

    @Override
    public EventSource events() {
        return events;
    }

    @Override
    public PeerEndpoint endpoint() {
        return this;
    }

    public long deliveredCount() {
        return delivered.get();
    }

    public String logHash() {
        return HexFormat.of().formatHex(publishedHash);
    }

    public VectorClock clockNow() {
        return publishedClock;
    }

    /** Messages this peer has sent (each goes to every other peer), for the benchmark. */
    public long messagesSent() {
        return messagesSent.get();
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
