package org.distribank.consortium;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.entity.PeerInfo;

/**
 * Configuration of one node: an immutable, validated record; make one with {@link #builder()} (defaults as the
 * {@code DEFAULT_} constants) and change one with {@link #toBuilder()}.
 *
 * @param selfId             this peer's id, one of {@code peers}
 * @param peers              every member including this one, each with its {@link PeerInfo#publicKey()}
 * @param dataDir            where the log lives; one directory per peer
 * @param privateKey         this peer's own Ed25519 private key (PKCS#8, Base64 or PEM; {@link PeerKeys}): it signs
 *                           every request this peer sends, and no other peer holds it. With the peers' public keys
 *                           it makes {@link #signer()} and {@link #authenticator()} unless those are given
 * @param signer             how requests to peers are signed; null: Ed25519 with {@code privateKey}
 * @param authenticator      how requests from peers are authenticated; null: Ed25519 with the peers' public keys
 * @param heartbeatIntervalMs how often a heartbeat goes to each peer
 * @param offlineAfterMs     a peer not heard from for this long is offline
 * @param fsync              fsync each batch before acknowledging; off only for experiments
 * @param batchWindowMicros  when busy (large bursts back to back), the protocol thread waits this long before a
 *                           burst to gather more events: fewer fsyncs and fuller frames for a little latency. A lone
 *                           client's small bursts never wait. 0 disables
 * @param transport          how link batches travel ({@link TransportKind}; used by
 *                           {@link Consortium#createNode(NodeOptions, StateMachine)})
 * @param maxFramesInFlight  streaming links: most frames in flight (sent, not yet acknowledged) per link. 1 is
 *                           stop-and-wait: messages made durable meanwhile wait and go in one frame with the ack
 * @param maxBatchMessages   most messages in one link request
 * @param maxFrameBytes      most UTF-8 bytes in one link request or frame ({@value #MIN_FRAME_BYTES} up to
 *                           {@value #MAX_FRAME_BYTES}: a streaming link keeps at most about two frames' bytes
 *                           unacknowledged, below OkHttp's 16 MiB WebSocket queue, and the receiver reads 64 MiB);
 *                           an operation that cannot fit in one frame is refused at submit
 *                           ({@link OperationTooLargeException})
 * @param retryMinMs         retransmission backoff after a failed request, from this...
 * @param retryMaxMs         ...doubling up to this
 * @param eventLogCapacity   events kept for {@link EventSource#recent()} and the ShiViz export; 0 keeps none
 * @param segmentBytes       size of a log segment file (preallocated with zeros)
 * @param snapshotEveryOps   a snapshot after this many deliveries since the last one (0: never by count)
 * @param views              view changes on (DESIGN.md "Views", off by default until a left-out bank can rejoin):
 *                           a member silent for {@code offlineAfterMs} is voted out by the others, who go on without
 *                           it; a bank out of the view stays out (rejoining is not built yet)
 * @param recentOutcomes     outcomes the protocol keeps in memory (the latest ones; older ones only the state
 *                           machine remembers, through {@link StateMachine#outcomeOf}); the same at every peer
 * @param snapshotEveryBytes a snapshot after this many log bytes since the last one (0: never by bytes); with both 0
 *                           no snapshot is taken and the log is never truncated
 * @param initialBanks       the banks of the first view (null or empty: every peer). A peer left out is a slot for a
 *                           bank an operator adds later ({@link ConsortiumNode#admit}; PROTOCOL.md "Adding a bank"):
 *                           it orders and votes on nothing until a view adds it, and when it is this node, started
 *                           with an empty data directory, it first takes its snapshot from a member. Every peer must
 *                           be configured alike; needs {@code views}
 * @param historyEvents      events this peer keeps on disk for observers ({@link EventSource#replay}: an event history
 *                           beside its log, indexes going on across restarts); 0 keeps none there
 * @param historyMaxAgeMs    events older than this leave the history
 */
public record NodeOptions(
        String selfId,
        List<PeerInfo> peers,
        Path dataDir,
        String privateKey,
        PeerSigner signer,
        PeerAuthenticator authenticator,
        long heartbeatIntervalMs,
        long offlineAfterMs,
        boolean fsync,
        long batchWindowMicros,
        TransportKind transport,
        int maxFramesInFlight,
        int maxBatchMessages,
        long maxFrameBytes,
        long retryMinMs,
        long retryMaxMs,
        int eventLogCapacity,
        long segmentBytes,
        long snapshotEveryOps,
        long snapshotEveryBytes,
        int recentOutcomes,
        boolean views,
        List<String> initialBanks,
        int historyEvents,
        long historyMaxAgeMs) {

    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
    public static final long DEFAULT_OFFLINE_AFTER_MS = 3_000;
    public static final long DEFAULT_BATCH_WINDOW_MICROS = 300;
    public static final TransportKind DEFAULT_TRANSPORT = TransportKind.WEBSOCKET;
    public static final int DEFAULT_MAX_FRAMES_IN_FLIGHT = 1;
    public static final int DEFAULT_MAX_BATCH_MESSAGES = 4_096;
    /** 4 MiB: a full frame of the benchmark's small messages (about 300 bytes each) is far below it. */
    public static final long DEFAULT_MAX_FRAME_BYTES = 4L << 20;
    public static final long MIN_FRAME_BYTES = 4L << 10;
    public static final long MAX_FRAME_BYTES = 6L << 20;
    public static final long DEFAULT_RETRY_MIN_MS = 20;
    public static final long DEFAULT_RETRY_MAX_MS = 1_000;
    public static final int DEFAULT_EVENT_LOG_CAPACITY = 20_000;
    /** Events are kept on disk for a day by default (when {@code historyEvents} turns the history on). */
    public static final long DEFAULT_HISTORY_MAX_AGE_MS = 24L * 3_600_000L;
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    public static final long DEFAULT_SNAPSHOT_EVERY_OPS = 100_000;
    public static final long DEFAULT_SNAPSHOT_EVERY_BYTES = 64L << 20;

    public NodeOptions {
        if (selfId == null || selfId.isBlank()) {
            throw new IllegalArgumentException("selfId is required");
        }
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        if (peers.stream().noneMatch(p -> p.id().equals(selfId))) {
            throw new IllegalArgumentException("selfId " + selfId + " is not among the peers "
                    + peers.stream().map(PeerInfo::id).toList());
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if ((signer == null || authenticator == null) && (privateKey == null || privateKey.isBlank())) {
            throw new IllegalArgumentException("privateKey is required unless both signer and authenticator are given");
        }
        transport = transport == null ? DEFAULT_TRANSPORT : transport;
        positive("heartbeatIntervalMs", heartbeatIntervalMs);
        positive("offlineAfterMs", offlineAfterMs);
        if (batchWindowMicros < 0) {
            throw new IllegalArgumentException("batchWindowMicros must be 0 or more, got " + batchWindowMicros);
        }
        positive("maxFramesInFlight", maxFramesInFlight);
        positive("maxBatchMessages", maxBatchMessages);
        checkFrameBytes(maxFrameBytes);
        positive("retryMinMs", retryMinMs);
        if (retryMaxMs < retryMinMs) {
            throw new IllegalArgumentException("retryMaxMs (" + retryMaxMs + ") must be at least retryMinMs ("
                    + retryMinMs + ")");
        }
        if (eventLogCapacity < 0) {
            throw new IllegalArgumentException("eventLogCapacity must be 0 or more, got " + eventLogCapacity);
        }
        positive("segmentBytes", segmentBytes);
        if (historyEvents < 0) {
            throw new IllegalArgumentException("historyEvents must be 0 or more, got " + historyEvents);
        }
        positive("historyMaxAgeMs", historyMaxAgeMs);
        if (recentOutcomes < 1) {
            throw new IllegalArgumentException("recentOutcomes must be at least 1, got " + recentOutcomes);
        }
        initialBanks = initialBanks == null || initialBanks.isEmpty()
                ? peers.stream().map(PeerInfo::id).toList() : List.copyOf(initialBanks);
        List<String> ids = peers.stream().map(PeerInfo::id).toList();
        if (!ids.containsAll(initialBanks)) {
            throw new IllegalArgumentException("initialBanks " + initialBanks + " are not all among the peers " + ids);
        }
        if (initialBanks.size() < ids.size() && !views) {
            throw new IllegalArgumentException("a slot for a bank added later (initialBanks " + initialBanks
                    + " of the peers " + ids + ") needs views on");
        }
        if (snapshotEveryOps < 0 || snapshotEveryBytes < 0) {
            throw new IllegalArgumentException("snapshotEveryOps and snapshotEveryBytes must be 0 (never) or more, got "
                    + snapshotEveryOps + " and " + snapshotEveryBytes);
        }
    }

    /** Whether this node takes snapshots (and so truncates its log). */
    public boolean snapshots() {
        return snapshotEveryOps > 0 || snapshotEveryBytes > 0;
    }

    /** {@link #MIN_FRAME_BYTES}..{@link #MAX_FRAME_BYTES}, or an IllegalArgumentException. */
    public static void checkFrameBytes(long maxFrameBytes) {
        if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be " + MIN_FRAME_BYTES + ".." + MAX_FRAME_BYTES
                    + ", got " + maxFrameBytes);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The signer given, or one made from {@link #privateKey} (which must match this peer's listed key). */
    @Override
    public PeerSigner signer() {
        return signer != null ? signer : signed();
    }

    /** The authenticator given, or one made from the peers' public keys. */
    @Override
    public PeerAuthenticator authenticator() {
        return authenticator != null ? authenticator : signed();
    }

    /**
     * These options with {@code signer} and {@code authenticator}, where not given, filled with one
     * {@link SignedRequests} made from {@link #privateKey} (the key is checked once).
     */
    public NodeOptions withOwnIdentity() {
        if (signer != null && authenticator != null) {
            return this;
        }
        SignedRequests s = signed();
        return toBuilder().signer(signer == null ? s : signer).authenticator(authenticator == null ? s : authenticator)
                .build();
    }

    /** A fresh one each call: its owner keeps it (an authenticator remembers single-use requests). */
    private SignedRequests signed() {
        return SignedRequests.of(selfId, privateKey, peers);
    }

    public List<String> peerIds() {
        return peers.stream().map(PeerInfo::id).toList();
    }

    /** Hides the private key: options get logged, secrets must not. */
    @Override
    public String toString() {
        return "NodeOptions[selfId=" + selfId + ", peers=" + peerIds() + ", dataDir=" + dataDir
                + ", heartbeatIntervalMs=" + heartbeatIntervalMs + ", offlineAfterMs=" + offlineAfterMs + ", fsync="
                + fsync + ", batchWindowMicros=" + batchWindowMicros + ", transport=" + transport
                + ", maxFramesInFlight=" + maxFramesInFlight + ", maxBatchMessages=" + maxBatchMessages
                + ", maxFrameBytes=" + maxFrameBytes
                + ", retryMinMs=" + retryMinMs + ", retryMaxMs=" + retryMaxMs + ", eventLogCapacity="
                + eventLogCapacity + ", segmentBytes=" + segmentBytes + ", snapshotEveryOps=" + snapshotEveryOps
                + ", snapshotEveryBytes=" + snapshotEveryBytes + ", recentOutcomes=" + recentOutcomes
                + ", views=" + views + ", historyEvents=" + historyEvents + ", historyMaxAgeMs=" + historyMaxAgeMs
                + ", privateKey=***]";
    }

    public static final class Builder {
        private String selfId;
        private List<PeerInfo> peers = new ArrayList<>();
        private Path dataDir;
        private String privateKey;
        private PeerSigner signer;
        private PeerAuthenticator authenticator;
        private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
        private long offlineAfterMs = DEFAULT_OFFLINE_AFTER_MS;
        private boolean fsync = true;
        private long batchWindowMicros = DEFAULT_BATCH_WINDOW_MICROS;
        private TransportKind transport = DEFAULT_TRANSPORT;
        private int maxFramesInFlight = DEFAULT_MAX_FRAMES_IN_FLIGHT;
        private int maxBatchMessages = DEFAULT_MAX_BATCH_MESSAGES;
        private long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private long retryMinMs = DEFAULT_RETRY_MIN_MS;
        private long retryMaxMs = DEFAULT_RETRY_MAX_MS;
        private int eventLogCapacity = DEFAULT_EVENT_LOG_CAPACITY;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long snapshotEveryOps = DEFAULT_SNAPSHOT_EVERY_OPS;
        private long snapshotEveryBytes = DEFAULT_SNAPSHOT_EVERY_BYTES;
        private int recentOutcomes = org.distribank.consortium.core.ProtocolCore.RECENT_OUTCOMES;
        private boolean views;
        private List<String> initialBanks;
        private int historyEvents;
        private long historyMaxAgeMs = DEFAULT_HISTORY_MAX_AGE_MS;

        private Builder() {
        }

        private Builder(NodeOptions o) {
            selfId = o.selfId;
            peers = new ArrayList<>(o.peers);
            dataDir = o.dataDir;
            privateKey = o.privateKey;
            signer = o.signer;
            authenticator = o.authenticator;
            heartbeatIntervalMs = o.heartbeatIntervalMs;
            offlineAfterMs = o.offlineAfterMs;
            fsync = o.fsync;
            batchWindowMicros = o.batchWindowMicros;
            transport = o.transport;
            maxFramesInFlight = o.maxFramesInFlight;
            maxBatchMessages = o.maxBatchMessages;
            maxFrameBytes = o.maxFrameBytes;
            retryMinMs = o.retryMinMs;
            retryMaxMs = o.retryMaxMs;
            eventLogCapacity = o.eventLogCapacity;
            segmentBytes = o.segmentBytes;
            snapshotEveryOps = o.snapshotEveryOps;
            snapshotEveryBytes = o.snapshotEveryBytes;
            recentOutcomes = o.recentOutcomes;
            views = o.views;
            initialBanks = o.initialBanks;
            historyEvents = o.historyEvents;
            historyMaxAgeMs = o.historyMaxAgeMs;
        }

        public Builder selfId(String selfId) { this.selfId = selfId; return this; }
        public Builder peers(List<PeerInfo> peers) { this.peers = new ArrayList<>(peers); return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder privateKey(String privateKey) { this.privateKey = privateKey; return this; }
        public Builder signer(PeerSigner signer) { this.signer = signer; return this; }
        public Builder authenticator(PeerAuthenticator authenticator) { this.authenticator = authenticator; return this; }
        public Builder heartbeatIntervalMs(long ms) { this.heartbeatIntervalMs = ms; return this; }
        public Builder offlineAfterMs(long ms) { this.offlineAfterMs = ms; return this; }
        public Builder fsync(boolean fsync) { this.fsync = fsync; return this; }
        public Builder batchWindowMicros(long micros) { this.batchWindowMicros = micros; return this; }
        public Builder transport(TransportKind transport) { this.transport = transport; return this; }
        public Builder maxFramesInFlight(int n) { this.maxFramesInFlight = n; return this; }
        public Builder maxBatchMessages(int n) { this.maxBatchMessages = n; return this; }
        public Builder maxFrameBytes(long n) { this.maxFrameBytes = n; return this; }
        public Builder retryMinMs(long ms) { this.retryMinMs = ms; return this; }
        public Builder retryMaxMs(long ms) { this.retryMaxMs = ms; return this; }
        public Builder eventLogCapacity(int n) { this.eventLogCapacity = n; return this; }
        public Builder segmentBytes(long bytes) { this.segmentBytes = bytes; return this; }
        public Builder snapshotEveryOps(long ops) { this.snapshotEveryOps = ops; return this; }
        public Builder snapshotEveryBytes(long bytes) { this.snapshotEveryBytes = bytes; return this; }
        public Builder recentOutcomes(int n) { this.recentOutcomes = n; return this; }
        public Builder views(boolean on) { this.views = on; return this; }
        public Builder initialBanks(List<String> banks) { this.initialBanks = banks; return this; }
        public Builder historyEvents(int n) { this.historyEvents = n; return this; }
        public Builder historyMaxAgeMs(long ms) { this.historyMaxAgeMs = ms; return this; }

        public NodeOptions build() {
            return new NodeOptions(selfId, peers, dataDir, privateKey, signer, authenticator, heartbeatIntervalMs,
                    offlineAfterMs, fsync, batchWindowMicros, transport, maxFramesInFlight, maxBatchMessages,
                    maxFrameBytes, retryMinMs, retryMaxMs, eventLogCapacity, segmentBytes, snapshotEveryOps,
                    snapshotEveryBytes, recentOutcomes, views, initialBanks, historyEvents, historyMaxAgeMs);
        }
    }
}
