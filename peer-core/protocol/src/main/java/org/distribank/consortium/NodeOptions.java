package org.distribank.consortium;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distribank.consortium.auth.PeerKeys;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.entity.PeerInfo;

/** Configuration of one node. Plain mutable fields with sane defaults, like sofa-jraft's options. */
public class NodeOptions {

    /** This peer's id, one of {@link #peers}. */
    public String selfId;
    /** Every member including this one, each with its {@link PeerInfo#publicKey()}. */
    public List<PeerInfo> peers = new ArrayList<>();
    /** Where the log lives; one directory per peer. */
    public Path dataDir;
    /**
     * This peer's own Ed25519 private key (PKCS#8, Base64 or PEM; {@link PeerKeys}): it signs every
     * request this peer sends, and no other peer holds it. With the peers' public keys it makes
     * {@link #signer()} and {@link #authenticator()} unless those are given.
     */
    public String privateKey;
    /** How requests to peers are signed; null: Ed25519 with {@link #privateKey}. */
    public PeerSigner signer;
    /** How requests from peers are authenticated; null: Ed25519 with the peers' public keys. */
    public PeerAuthenticator authenticator;
    public long heartbeatIntervalMs = 1_000;
    /** A peer not heard from for this long is offline. */
    public long offlineAfterMs = 3_000;
    /** fsync each batch before acknowledging; off only for experiments. */
    public boolean fsync = true;
    /**
     * When busy (large bursts back to back), the protocol thread waits this long before a burst to
     * gather more events: fewer fsyncs and fuller frames for a little latency. A lone client's
     * small bursts never wait. 0 disables.
     */
    public long batchWindowMicros = 300;
    /**
     * How link batches travel: {@link #WEBSOCKET} (one long-lived WebSocket per link, a frame per
     * batch; the default) or {@link #HTTP} (a POST per batch). Heartbeats are HTTP either way, and
     * a node accepts both. Used by {@link Consortium#createNode(NodeOptions, StateMachine)}.
     */
    public String transport = WEBSOCKET;
    public static final String WEBSOCKET = "websocket";
    public static final String HTTP = "http";
    /**
     * Streaming links: most frames in flight (sent, not yet acknowledged) per link. 1 is
     * stop-and-wait: messages made durable meanwhile wait and go in one frame with the ack.
     */
    public int maxFramesInFlight = 1;
    /** Most messages in one link request. */
    public int maxBatchMessages = 4_096;
    /** Retransmission backoff after a failed request. */
    public long retryMinMs = 20;
    public long retryMaxMs = 1_000;
    /** Events kept for {@link EventSource#recent()} and the ShiViz export; 0 keeps none. */
    public int eventLogCapacity = 20_000;
    /** Size of a log segment file (preallocated with zeros). */
    public long segmentBytes = 16L << 20;

    public NodeOptions copy() {
        NodeOptions o = new NodeOptions();
        o.selfId = selfId;
        o.peers = new ArrayList<>(peers);
        o.dataDir = dataDir;
        o.privateKey = privateKey;
        o.signer = signer;
        o.authenticator = authenticator;
        o.heartbeatIntervalMs = heartbeatIntervalMs;
        o.offlineAfterMs = offlineAfterMs;
        o.fsync = fsync;
        o.transport = transport;
        o.maxBatchMessages = maxBatchMessages;
        o.maxFramesInFlight = maxFramesInFlight;
        o.batchWindowMicros = batchWindowMicros;
        o.retryMinMs = retryMinMs;
        o.retryMaxMs = retryMaxMs;
        o.eventLogCapacity = eventLogCapacity;
        o.segmentBytes = segmentBytes;
        return o;
    }

    /** {@link #signer}, or one made from {@link #privateKey} (which must match this peer's listed key). */
    public PeerSigner signer() {
        return signer != null ? signer : signed();
    }

    /** {@link #authenticator}, or one made from the peers' public keys. */
    public PeerAuthenticator authenticator() {
        return authenticator != null ? authenticator : signed();
    }

    /**
     * Fills {@link #signer} and {@link #authenticator}, where not given, with one {@link SignedRequests} made
     * from {@link #privateKey} (the key is checked once). Returns this.
     */
    public NodeOptions withOwnIdentity() {
        if (signer == null || authenticator == null) {
            SignedRequests s = signed();
            signer = signer == null ? s : signer;
            authenticator = authenticator == null ? s : authenticator;
        }
        return this;
    }

    /** A fresh one each call: its owner keeps it (an authenticator remembers single-use requests). */
    private SignedRequests signed() {
        return SignedRequests.of(selfId, privateKey, peers);
    }

    public List<String> peerIds() {
        return peers.stream().map(PeerInfo::id).toList();
    }
}
