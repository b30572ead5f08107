package org.distribank.consortium.auth;

import org.distribank.consortium.PeerKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.distribank.consortium.PeerAuthenticator;
import org.distribank.consortium.PeerAuthenticator.Replay;
import org.distribank.consortium.PeerSigner;
import org.distribank.consortium.entity.PeerInfo;

/**
 * Peer requests signed with the sender's own Ed25519 key. Each request carries
 * {@value #PEER} (the sender), {@value #TIME} (epoch milliseconds), {@value #NONCE} (random) and
 * {@value #SIGNATURE}: Base64 of the signature over
 * <pre>distribank-peer-v1 \n sender \n receiver \n time \n nonce \n METHOD \n target \n hex(SHA-256(body))</pre>
 * The receiver checks it with the sender's public key from its own config: so the sender is proven,
 * the body and target cannot be changed, and the receiver's id in the text stops a receiver from
 * replaying a request to a third peer. A timestamp more than {@link #MAX_SKEW} away from the
 * receiver's clock is refused. What a copy replayed to the same receiver may do depends on the
 * request ({@link PeerAuthenticator.Replay}): harmless for link batches (sequence numbers drop
 * duplicates), relay fetches of a view change and the bank's reads; a link upgrade and a view-ballot
 * message are remembered for the window and refused the second time; a heartbeat may be sent again by its sender for a few seconds (one signature per
 * receiver every {@link #REUSE_MS}), is accepted only within {@link #RECENT_MS} of its time, and each
 * distinct one is verified once. Confidentiality is TLS's job, not this one's.
 */
public final class SignedRequests implements PeerAuthenticator, PeerSigner {

    public static final String PEER = "X-Peer-Id";
    public static final String TIME = "X-Peer-Time";
    public static final String NONCE = "X-Peer-Nonce";
    public static final String SIGNATURE = "X-Peer-Signature";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** How long a {@link PeerAuthenticator.Replay#RECENT} request stays acceptable after its time. */
    public static final long RECENT_MS = 30_000;
    /** How long a sender may send the same signed heartbeat (well inside {@link #RECENT_MS}, clocks a little apart). */
    public static final long REUSE_MS = 10_000;
    /** Single-use signatures remembered at most; past it (a flood) such requests are refused, never memory spent. */
    private static final int MAX_REMEMBERED = 200_000;
    private static final String DOMAIN = "distribank-peer-v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String self;
    private final PrivateKey key;
    private final Map<String, PublicKey> peers;
    /** The same keys for BouncyCastle's Ed25519 (about ten times faster than the JDK 17 provider's, same bytes). */
    private final AsymmetricKeyParameter signingKey;
    private final Map<String, AsymmetricKeyParameter> verifyingKeys;
    private final Clock clock;
    /** Single-use signatures seen, with when they stop mattering (epoch ms). */
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    /** Repeatable requests already verified (signature and signed text), with when they stop being acceptable. */
    private final ConcurrentHashMap<String, Long> verified = new ConcurrentHashMap<>();

    public SignedRequests(String self, PrivateKey key, Map<String, PublicKey> peers, Clock clock) {
        this.self = self;
        this.key = key;
        this.peers = Map.copyOf(peers);
        try {
            this.signingKey = PrivateKeyFactory.createKey(key.getEncoded());
            Map<String, AsymmetricKeyParameter> v = new HashMap<>();
            for (Map.Entry<String, PublicKey> e : peers.entrySet()) {
                v.put(e.getKey(), PublicKeyFactory.createKey(e.getValue().getEncoded()));
            }
            this.verifyingKeys = Map.copyOf(v);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable Ed25519 key: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /**
     * For peer {@code self} with its private key (PKCS#8, Base64 or PEM) and every member's
     * {@link PeerInfo#publicKey()}. Refuses a config where a member has no key, two members share one
     * (two banks would share a secret), or {@code self}'s listed key is not its private key's.
     */
    public static SignedRequests of(String self, String privateKey, List<PeerInfo> members) {
        if (privateKey == null || privateKey.isBlank()) {
            throw new IllegalArgumentException("peer " + self + " has no private peer key");
        }
        PrivateKey key = PeerKeys.privateKey(privateKey);
        Map<String, PublicKey> keys = new HashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (PeerInfo p : members) {
            if (p.publicKey() == null || p.publicKey().isBlank()) {
                throw new IllegalArgumentException("peer " + p.id() + " has no publicKey");
            }
            PublicKey pk;
            try {
                pk = PeerKeys.publicKey(p.publicKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("peer " + p.id() + ": " + e.getMessage());
            }
            String other = owner.putIfAbsent(Base64.getEncoder().encodeToString(pk.getEncoded()), p.id());
            if (other != null) {
                throw new IllegalArgumentException("peers " + other + " and " + p.id()
                        + " have the same publicKey: every bank needs a key pair of its own");
            }
            keys.put(p.id(), pk);
        }
        PublicKey mine = keys.get(self);
        if (mine == null) {
            throw new IllegalArgumentException("peers must include " + self);
        }
        if (!PeerKeys.matches(key, mine)) {
            throw new IllegalArgumentException("the private peer key of " + self
                    + " does not match the publicKey listed for " + self + " in peers");
        }
        return new SignedRequests(self, key, keys, Clock.systemUTC());
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public void sign(String to, String method, String target, byte[] body, BiConsumer<String, String> header) {
        String time = Long.toString(clock.millis());
        byte[] n = new byte[12];
        RANDOM.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        try {
            byte[] text = text(self, to, time, nonce, method, target, body);
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, signingKey);
            s.update(text, 0, text.length);
            header.accept(PEER, self);
            header.accept(TIME, time);
            header.accept(NONCE, nonce);
            header.accept(SIGNATURE, Base64.getEncoder().encodeToString(s.generateSignature()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot sign a peer request", e);
        }
    }

    @Override
    public String authenticate(Request r) {
        String from = r.header().apply(PEER);
        String time = r.header().apply(TIME);
        String nonce = r.header().apply(NONCE);
        String signature = r.header().apply(SIGNATURE);
        if (from == null || time == null || nonce == null || signature == null) {
            throw new Refused("missing peer signature (" + PEER + ", " + TIME + ", " + NONCE + ", " + SIGNATURE + ")");
        }
        PublicKey pk = peers.get(from);
        if (pk == null) {
            throw new Refused("unknown peer " + printable(from));
        }
        long at;
        try {
            at = Long.parseLong(time);
        } catch (NumberFormatException e) {
            throw new Refused("malformed " + TIME);
        }
        long now = clock.millis();
        if (Math.abs(now - at) > MAX_SKEW.toMillis() || at <= 0) {
            throw new Refused("stale peer request from " + from + ": its time is " + (at - now) / 1000
                    + " s from this peer's (at most " + MAX_SKEW.toSeconds() + " s)");
        }
        boolean recent = r.replay() == Replay.RECENT;
        if (recent && now - at > RECENT_MS) {
            throw new Refused("stale peer request from " + from + ": signed " + (now - at) / 1000 + " s ago (at most "
                    + RECENT_MS / 1000 + " s)");
        }
        if (nonce.length() > 64) {
            throw new Refused("malformed " + NONCE);
        }
        byte[] text;
        try {
            text = text(from, self, time, nonce, r.method(), r.target(), r.body());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // the same signature over the same text verifies the same way: checked once
        String key = recent ? signature + "\n" + new String(text, StandardCharsets.UTF_8) : null;
        if (key == null || !verified.containsKey(key)) {
            boolean ok;
            try {
                byte[] sig = Base64.getDecoder().decode(signature);
                Ed25519Signer v = new Ed25519Signer();
                v.init(false, verifyingKeys.get(from));
                v.update(text, 0, text.length);
                ok = v.verifySignature(sig);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                throw new Refused("wrong peer signature for " + from);
            }
            if (key != null) {
                remember(verified, key, at + RECENT_MS, now, false);
            }
        }
        if (r.replay() == Replay.ONCE) {
            remember(seen, signature, at + MAX_SKEW.toMillis(), now, true);
        }
        return from;
    }

    /** Adds {@code key} to a bounded memory, expired entries dropped first; {@code once}: a key seen before is refused. */
    private static void remember(ConcurrentHashMap<String, Long> memory, String key, long until, long now, boolean once) {
        if (memory.size() >= MAX_REMEMBERED / 2) {
            memory.values().removeIf(expiry -> expiry < now);
            if (memory.size() >= MAX_REMEMBERED) {
                if (once) {
                    throw new Refused("too many peer requests; try again shortly");
                }
                return; // only a saving lost: verified again next time
            }
        }
        if (memory.putIfAbsent(key, until) != null && once) {
            throw new Refused("replayed peer request");
        }
    }

    private static byte[] text(String from, String to, String time, String nonce, String method, String target,
                               byte[] body) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        return (DOMAIN + "\n" + from + "\n" + to + "\n" + time + "\n" + nonce + "\n" + method.toUpperCase(java.util.Locale.ROOT)
                + "\n" + target + "\n" + HexFormat.of().formatHex(digest)).getBytes(StandardCharsets.UTF_8);
    }

    /** A claimed id for a message: at most 40 visible characters (a header is attacker-chosen). */
    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
