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
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.entity.PeerInfo;

/**
 * Everything one bank peer needs to start. Plain mutable fields with defaults, like {@link NodeOptions};
 * {@link BankConfig#load} fills them from a JSON file. {@link #toString()} hides every secret.
 */
public class BankOptions {

    /** This bank's id ("b1".."bN"), one of {@link #peers}. */
    public String id;
    public String name;
    public String host = "127.0.0.1";
    /** 0 picks a free port. */
    public int port;
    /** The protocol log's directory. */
    public Path dataDir;
    /** Every bank of the consortium including this one: id, name, base URL and peer public key. */
    public List<PeerInfo> peers = new ArrayList<>();
    /**
     * This bank's own Ed25519 private key (PKCS#8, Base64 or PEM): it signs every peer request this bank
     * sends; its public half is this bank's {@code publicKey} in {@link #peers}. No other bank holds it.
     */
    public String peerKey;
    /** Where {@link #peerKey} was read from (the config's {@code peerKeyFile}), or null when inline. */
    public Path peerKeyFile;
    /** Bearer token of the operator API. */
    public String operatorToken;
    public DataServerLink dataServer;
    public long heartbeatMs = 1_000;
    public long offlineMs = 3_000;
    public Duration sessionTtl = Duration.ofMinutes(30);
    /** bcrypt cost: 12 in production; tests may use 4. */
    public int bcryptCost = 12;
    /** How long a money call waits for its outcome before answering 202 PENDING. */
    public long answerWaitMs = 5_000;
    /** fsync the protocol log (off only for experiments). */
    public boolean fsync = true;
    /** Protocol links: {@code websocket} (streaming, the protocol's default) or {@code http} (a POST per batch). */
    public String transport = NodeOptions.WEBSOCKET;
    /** Judges consents' expiry and sessions' (tests move it). */
    public Clock clock = Clock.systemUTC();
    /** The consortium's money supply cap (the same at every bank; see BankMachine.DEFAULT_MONEY_SUPPLY_CAP). */
    public long moneySupplyCap = BankMachine.DEFAULT_MONEY_SUPPLY_CAP;
    /**
     * TLS (null: plain HTTP, the loopback default): the bank serves HTTPS with {@code certificate}/{@code key},
     * asks every client for a certificate, requires one from {@code trustedCa} naming the calling bank on its peer
     * routes, and presents its own to its peers and its data server (BANK.md, "TLS").
     */
    public TlsOptions tls;
    /** What one client may ask (body size, sign-in attempts, request rates, sessions): BANK.md "Limits". */
    public BankLimits limits = BankLimits.production();

    public void validate() {
        Objects.requireNonNull(id, "id");
        if (!NodeOptions.WEBSOCKET.equals(transport) && !NodeOptions.HTTP.equals(transport)) {
            throw new IllegalArgumentException("transport must be " + NodeOptions.WEBSOCKET + " or " + NodeOptions.HTTP);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dataServer, "dataServer");
        if (peers.stream().noneMatch(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("peers must include this bank " + id);
        }
        if (peerKey == null || peerKey.isBlank()) {
            throw new IllegalArgumentException("peerKey (or peerKeyFile), this bank's own Ed25519 private key, is required");
        }
        SignedRequests.of(id, peerKey, peers); // every peer's publicKey present, distinct, ours matching our key
        if (operatorToken == null || operatorToken.length() < 8) {
            throw new IllegalArgumentException("operatorToken needs at least 8 characters");
        }
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcryptCost must be 4..31");
        }
        Objects.requireNonNull(limits, "limits").validate();
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (tls != null && (tls.certificate() == null || tls.trustedCa() == null)) {
            throw new IllegalArgumentException("tls needs \"certificate\", \"key\" and \"trustedCa\" for a bank");
        }
    }

    public String displayName() {
        return name == null ? id : name;
    }

    static final long BATCH_WINDOW_MICROS = 1_000;

    public NodeOptions toNodeOptions() {
        NodeOptions o = new NodeOptions();
        o.selfId = id;
        o.peers = new ArrayList<>(peers);
        o.dataDir = dataDir;
        o.privateKey = peerKey;
        o.heartbeatIntervalMs = heartbeatMs;
        o.offlineAfterMs = offlineMs;
        o.fsync = fsync;
        o.transport = transport;
        // A busy bank's protocol thread gathers 1 ms (not the protocol's default 0.3 ms) before a burst: fewer,
        // larger fsyncs and frames. Only after bursts of 4+ events less than 2 ms apart, so a lone client never
        // waits. Interleaved at 64 clients: 2,194 and 1,980 against 2,039 and 1,862 transfers/s (BANK.md).
        o.batchWindowMicros = BATCH_WINDOW_MICROS;
        return o;
    }

    public BankOptions copy() {
        BankOptions o = new BankOptions();
        o.id = id;
        o.name = name;
        o.host = host;
        o.port = port;
        o.dataDir = dataDir;
        o.peers = new ArrayList<>(peers);
        o.peerKey = peerKey;
        o.peerKeyFile = peerKeyFile;
        o.operatorToken = operatorToken;
        o.dataServer = dataServer;
        o.heartbeatMs = heartbeatMs;
        o.offlineMs = offlineMs;
        o.sessionTtl = sessionTtl;
        o.bcryptCost = bcryptCost;
        o.answerWaitMs = answerWaitMs;
        o.fsync = fsync;
        o.transport = transport;
        o.clock = clock;
        o.moneySupplyCap = moneySupplyCap;
        o.tls = tls;
        o.limits = limits.copy();
        return o;
    }

    @Override
    public String toString() {
        return "BankOptions[id=" + id + ", name=" + name + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", peers=" + peers.stream().map(PeerInfo::id).toList() + ", dataServer=" + dataServer
                + ", heartbeatMs=" + heartbeatMs + ", offlineMs=" + offlineMs + ", transport=" + transport + ", tls=" + (tls != null) + ", secrets=***]";
    }
}
