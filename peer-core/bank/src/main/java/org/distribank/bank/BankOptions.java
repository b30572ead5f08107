package org.distribank.bank;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.common.tls.TlsOptions;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.entity.PeerInfo;

/**
 * Everything one bank peer needs to start: an immutable record, validated when made; build one with
 * {@link #builder()} (defaults as given there), change one with {@link #toBuilder()}. {@link BankConfig#load}
 * reads one from a JSON file. {@link #toString()} hides every secret.
 *
 * @param id             this bank's id ("b1".."bN"), one of {@code peers}
 * @param name           its display name (null: the id)
 * @param host           the address it listens on (default 127.0.0.1)
 * @param port           its port; 0 picks a free one
 * @param dataDir        the protocol log's directory
 * @param peers          every bank of the consortium including this one: id, name, base URL and peer public key
 * @param peerKey        this bank's own Ed25519 private key (PKCS#8, Base64 or PEM): it signs every peer request
 *                       this bank sends; its public half is this bank's {@code publicKey} in {@code peers}. No other
 *                       bank holds it
 * @param peerKeyFile    where {@code peerKey} was read from (the config's {@code peerKeyFile}), or null when inline
 * @param operatorToken  bearer token of the operator API
 * @param dataServer     the bank's data server
 * @param heartbeatMs    the protocol's heartbeat interval
 * @param offlineMs      silence after which a peer is offline
 * @param sessionTtl     how long a customer session lives
 * @param bcryptCost     bcrypt cost: 12 in production; tests may use 4
 * @param answerWaitMs   how long a money call waits for its outcome before answering 202 PENDING
 * @param fsync          fsync the protocol log (off only for experiments)
 * @param transport      protocol links: {@code websocket} (streaming, the protocol's default) or {@code http}
 *                       (a POST per batch)
 * @param clock          judges consents' expiry and sessions' (tests move it)
 * @param moneySupplyCap the consortium's money supply cap (the same at every bank; see
 *                       BankMachine.DEFAULT_MONEY_SUPPLY_CAP)
 * @param tls            TLS (null: plain HTTP, the loopback default): the bank serves HTTPS with
 *                       {@code certificate}/{@code key}, asks every client for a certificate, requires one from
 *                       {@code trustedCa} naming the calling bank on its peer routes, and presents its own to its
 *                       peers and its data server (BANK.md, "TLS")
 * @param limits         what one client may ask (body size, sign-in attempts, request rates, sessions): BANK.md
 *                       "Limits"
 * @param snapshotEveryOps   a protocol snapshot after this many deliveries since the last (0: never by count); the
 *                           log is truncated below what every bank can restart from (BANK.md, "Snapshots")
 * @param snapshotEveryBytes a snapshot after this many protocol log bytes since the last (0: never by bytes); with
 *                           both 0 the bank keeps and replays its whole log
 * @param logSegmentBytes    the size of one protocol log segment file: truncation deletes whole segments
 * @param views              view changes (PROTOCOL.md "Views: the view change"; off by default): a bank down for
 *                           {@code offlineMs} is voted out and the others go on; it is voted back in when it returns
 * @param initialBanks       the banks that founded the consortium (null or empty: every peer); a peer not among them
 *                           is a slot for a bank added later (BANK.md "Adding a bank"); needs {@code views}
 * @param historyEvents      protocol events kept on disk for the desktop app's history (BANK.md "Event history"; 0:
 *                           none kept there)
 * @param historyMaxAge      events older than this leave the history
 */
public record BankOptions(
        String id,
        String name,
        String host,
        int port,
        Path dataDir,
        List<PeerInfo> peers,
        String peerKey,
        Path peerKeyFile,
        String operatorToken,
        DataServerLink dataServer,
        long heartbeatMs,
        long offlineMs,
        Duration sessionTtl,
        int bcryptCost,
        long answerWaitMs,
        boolean fsync,
        TransportKind transport,
        Clock clock,
        long moneySupplyCap,
        TlsOptions tls,
        BankLimits limits,
        long snapshotEveryOps,
        long snapshotEveryBytes,
        long logSegmentBytes,
        boolean views,
        List<String> initialBanks,
        int historyEvents,
        Duration historyMaxAge) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);
    public static final int DEFAULT_BCRYPT_COST = 12;
    public static final long DEFAULT_ANSWER_WAIT_MS = 5_000;
    /**
     * About a minute of a busy consortium (BANK.md, "Snapshots"): a restart replays at most about this many
     * operations, and a snapshot's pause on the protocol thread is paid rarely.
     */
    public static final long DEFAULT_SNAPSHOT_EVERY_OPS = 50_000;
    /** About 1 KB of log per operation: a snapshot at least every 32 MiB keeps a bank's log to a few segments. */
    public static final long DEFAULT_SNAPSHOT_EVERY_BYTES = 32L << 20;
    public static final long DEFAULT_LOG_SEGMENT_BYTES = NodeOptions.DEFAULT_SEGMENT_BYTES;
    /** About 40 MB on disk: an hour of a busy consortium of 4, days of a quiet one. */
    public static final int DEFAULT_HISTORY_EVENTS = 100_000;
    public static final Duration DEFAULT_HISTORY_MAX_AGE = Duration.ofHours(24);

    public BankOptions {
        Objects.requireNonNull(id, "id");
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        transport = transport == null ? NodeOptions.DEFAULT_TRANSPORT : transport;
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dataServer, "dataServer");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        if (peers.stream().noneMatch(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("peers must include this bank " + id);
        }
        if (peerKey == null || peerKey.isBlank()) {
            throw new IllegalArgumentException("peerKey (or peerKeyFile), this bank's own Ed25519 private key, is required");
        }
        PeerKeys.checkIdentity(id, peerKey, peers); // every peer's publicKey present, distinct, ours matching our key
        if (operatorToken == null || operatorToken.length() < 8) {
            throw new IllegalArgumentException("operatorToken needs at least 8 characters");
        }
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcryptCost must be 4..31");
        }
        if (heartbeatMs <= 0 || offlineMs <= 0) {
            throw new IllegalArgumentException("heartbeatMs and offlineMs must be positive, got " + heartbeatMs + " and "
                    + offlineMs);
        }
        if (answerWaitMs < 0) {
            throw new IllegalArgumentException("answerWaitMs must be 0 or more, got " + answerWaitMs);
        }
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("sessionTtl must be positive, got " + sessionTtl);
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (snapshotEveryOps < 0 || snapshotEveryBytes < 0) {
            throw new IllegalArgumentException("snapshotEveryOps and snapshotEveryBytes must be 0 (never) or more, got "
                    + snapshotEveryOps + " and " + snapshotEveryBytes);
        }
        if (logSegmentBytes <= 0) {
            throw new IllegalArgumentException("logSegmentBytes must be positive, got " + logSegmentBytes);
        }
        if (historyEvents < 0) {
            throw new IllegalArgumentException("historyEvents must be 0 (none) or more, got " + historyEvents);
        }
        Objects.requireNonNull(historyMaxAge, "historyMaxAge");
        if (historyMaxAge.toMillis() <= 0) {
            throw new IllegalArgumentException("historyMaxAge must be positive, got " + historyMaxAge);
        }
        if (tls != null && (tls.certificate() == null || tls.trustedCa() == null)) {
            throw new IllegalArgumentException("tls needs \"certificate\", \"key\" and \"trustedCa\" for a bank");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public String displayName() {
        return name == null ? id : name;
    }

    static final long BATCH_WINDOW_MICROS = 1_000;

    public NodeOptions toNodeOptions() {
        return NodeOptions.builder()
                .selfId(id)
                .peers(peers)
                .dataDir(dataDir)
                .privateKey(peerKey)
                .heartbeatIntervalMs(heartbeatMs)
                .offlineAfterMs(offlineMs)
                .fsync(fsync)
                .transport(transport)
                // A busy bank's protocol thread gathers 1 ms (not the protocol's default 0.3 ms) before a burst:
                // fewer, larger fsyncs and frames. Only after bursts of 4+ events less than 2 ms apart, so a lone
                // client never waits. Interleaved at 64 clients: 2,194 and 1,980 against 2,039 and 1,862
                // transfers/s (BANK.md).
                .batchWindowMicros(BATCH_WINDOW_MICROS)
                .maxFrameBytes(limits.maxFrameBytes())
                .snapshotEveryOps(snapshotEveryOps)
                .snapshotEveryBytes(snapshotEveryBytes)
                .segmentBytes(logSegmentBytes)
                .views(views)
                .initialBanks(initialBanks)
                .historyEvents(historyEvents)
                .historyMaxAgeMs(historyMaxAge.toMillis())
                .build();
    }

    @Override
    public String toString() {
        return "BankOptions[id=" + id + ", name=" + name + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", peers=" + peers.stream().map(PeerInfo::id).toList() + ", dataServer=" + dataServer
                + ", heartbeatMs=" + heartbeatMs + ", offlineMs=" + offlineMs + ", transport=" + transport
                + ", tls=" + (tls != null) + ", snapshotEveryOps=" + snapshotEveryOps + ", snapshotEveryBytes="
                + snapshotEveryBytes + ", logSegmentBytes=" + logSegmentBytes + ", views=" + views + ", historyEvents=" + historyEvents + ", historyMaxAge=" + historyMaxAge
                + ", secrets=***]";
    }

    public static final class Builder {
        private String id;
        private String name;
        private String host = DEFAULT_HOST;
        private int port;
        private Path dataDir;
        private List<PeerInfo> peers = new ArrayList<>();
        private String peerKey;
        private Path peerKeyFile;
        private String operatorToken;
        private DataServerLink dataServer;
        private long heartbeatMs = NodeOptions.DEFAULT_HEARTBEAT_INTERVAL_MS;
        private long offlineMs = NodeOptions.DEFAULT_OFFLINE_AFTER_MS;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private int bcryptCost = DEFAULT_BCRYPT_COST;
        private long answerWaitMs = DEFAULT_ANSWER_WAIT_MS;
        private boolean fsync = true;
        private TransportKind transport = NodeOptions.DEFAULT_TRANSPORT;
        private Clock clock = Clock.systemUTC();
        private long moneySupplyCap = BankMachine.DEFAULT_MONEY_SUPPLY_CAP;
        private TlsOptions tls;
        private BankLimits limits = BankLimits.production();
        private long snapshotEveryOps = DEFAULT_SNAPSHOT_EVERY_OPS;
        private long snapshotEveryBytes = DEFAULT_SNAPSHOT_EVERY_BYTES;
        private long logSegmentBytes = DEFAULT_LOG_SEGMENT_BYTES;
        private boolean views;
        private List<String> initialBanks;
        private int historyEvents = DEFAULT_HISTORY_EVENTS;
        private Duration historyMaxAge = DEFAULT_HISTORY_MAX_AGE;

        private Builder() {
        }

        private Builder(BankOptions o) {
            id = o.id;
            name = o.name;
            host = o.host;
            port = o.port;
            dataDir = o.dataDir;
            peers = new ArrayList<>(o.peers);
            peerKey = o.peerKey;
            peerKeyFile = o.peerKeyFile;
            operatorToken = o.operatorToken;
            dataServer = o.dataServer;
            heartbeatMs = o.heartbeatMs;
            offlineMs = o.offlineMs;
            sessionTtl = o.sessionTtl;
            bcryptCost = o.bcryptCost;
            answerWaitMs = o.answerWaitMs;
            fsync = o.fsync;
            transport = o.transport;
            clock = o.clock;
            moneySupplyCap = o.moneySupplyCap;
            tls = o.tls;
            limits = o.limits;
            snapshotEveryOps = o.snapshotEveryOps;
            snapshotEveryBytes = o.snapshotEveryBytes;
            logSegmentBytes = o.logSegmentBytes;
            views = o.views;
            initialBanks = o.initialBanks;
            historyEvents = o.historyEvents;
            historyMaxAge = o.historyMaxAge;
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder name(String name) { this.name = name; return this; }
        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder peers(List<PeerInfo> peers) { this.peers = new ArrayList<>(peers); return this; }
        public Builder peerKey(String peerKey) { this.peerKey = peerKey; return this; }
        public Builder peerKeyFile(Path peerKeyFile) { this.peerKeyFile = peerKeyFile; return this; }
        public Builder operatorToken(String operatorToken) { this.operatorToken = operatorToken; return this; }
        public Builder dataServer(DataServerLink dataServer) { this.dataServer = dataServer; return this; }
        public Builder heartbeatMs(long ms) { this.heartbeatMs = ms; return this; }
        public Builder offlineMs(long ms) { this.offlineMs = ms; return this; }
        public Builder sessionTtl(Duration ttl) { this.sessionTtl = ttl; return this; }
        public Builder bcryptCost(int cost) { this.bcryptCost = cost; return this; }
        public Builder answerWaitMs(long ms) { this.answerWaitMs = ms; return this; }
        public Builder fsync(boolean fsync) { this.fsync = fsync; return this; }
        public Builder transport(TransportKind transport) { this.transport = transport; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder moneySupplyCap(long cap) { this.moneySupplyCap = cap; return this; }
        public Builder tls(TlsOptions tls) { this.tls = tls; return this; }
        public Builder limits(BankLimits limits) { this.limits = limits; return this; }
        public Builder snapshotEveryOps(long ops) { this.snapshotEveryOps = ops; return this; }
        public Builder snapshotEveryBytes(long bytes) { this.snapshotEveryBytes = bytes; return this; }
        public Builder logSegmentBytes(long bytes) { this.logSegmentBytes = bytes; return this; }
        public Builder views(boolean on) { this.views = on; return this; }
        public Builder initialBanks(List<String> banks) { this.initialBanks = banks; return this; }
        public Builder historyEvents(int n) { this.historyEvents = n; return this; }
        public Builder historyMaxAge(Duration age) { this.historyMaxAge = age; return this; }

        public BankOptions build() {
            return new BankOptions(id, name, host, port, dataDir, peers, peerKey, peerKeyFile, operatorToken,
                    dataServer, heartbeatMs, offlineMs, sessionTtl, bcryptCost, answerWaitMs, fsync, transport, clock,
                    moneySupplyCap, tls, limits, snapshotEveryOps, snapshotEveryBytes, logSegmentBytes, views,
                    initialBanks, historyEvents, historyMaxAge);
        }
    }
}
