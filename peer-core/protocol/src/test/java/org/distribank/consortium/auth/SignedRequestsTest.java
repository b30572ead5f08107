package org.distribank.consortium.auth;

import org.distribank.consortium.PeerKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.PeerAuthenticator;
import org.distribank.consortium.PeerAuthenticator.Replay;
import org.distribank.consortium.entity.PeerInfo;
import org.junit.jupiter.api.Test;

class SignedRequestsTest {

    private final KeyPair k1 = PeerKeys.generate();
    private final KeyPair k2 = PeerKeys.generate();
    private final KeyPair k3 = PeerKeys.generate();
    private final List<PeerInfo> peers = List.of(peer("b1", k1), peer("b2", k2), peer("b3", k3));

    private static PeerInfo peer(String id, KeyPair k) {
        return new PeerInfo(id, id, "http://" + id, PeerKeys.encode(k.getPublic()));
    }

    private SignedRequests as(String id, KeyPair k) {
        return SignedRequests.of(id, PeerKeys.encode(k.getPrivate()), peers);
    }

    private static Map<String, String> sign(SignedRequests s, String to, String target, String body) {
        Map<String, String> h = new HashMap<>();
        s.sign(to, "POST", target, body.getBytes(StandardCharsets.UTF_8), h::put);
        return h;
    }

    private static PeerAuthenticator.Request req(Map<String, String> h, String target, String body, Replay replay) {
        return new PeerAuthenticator.Request("POST", target, h::get, body.getBytes(StandardCharsets.UTF_8), replay);
    }

    @Test
    void theSenderIsWhoSignedForThisReceiverThisTargetAndThisBody() {
        SignedRequests b1 = as("b1", k1);
        SignedRequests b2 = as("b2", k2);
        Map<String, String> h = sign(b2, "b1", "/peer/v1/messages", "{}");
        assertThat(b1.authenticate(req(h, "/peer/v1/messages", "{}", Replay.HARMLESS))).isEqualTo("b2");
        assertThat(b1.authenticate(req(h, "/peer/v1/messages", "{}", Replay.HARMLESS))).isEqualTo("b2"); // harmless copy
        assertThatThrownBy(() -> b1.authenticate(req(h, "/peer/v1/messages", "{ }", Replay.HARMLESS)))
                .isInstanceOf(PeerAuthenticator.Refused.class);
        assertThatThrownBy(() -> b1.authenticate(req(h, "/peer/v1/heartbeat", "{}", Replay.HARMLESS)))
                .isInstanceOf(PeerAuthenticator.Refused.class);
        // b1 cannot replay what b2 sent it to b3
        assertThatThrownBy(() -> as("b3", k3).authenticate(req(h, "/peer/v1/messages", "{}", Replay.HARMLESS)))
                .isInstanceOf(PeerAuthenticator.Refused.class);
        // naming another sender than the key that signed
        Map<String, String> renamed = new HashMap<>(h);
        renamed.put(SignedRequests.PEER, "b3");
        assertThatThrownBy(() -> b1.authenticate(req(renamed, "/peer/v1/messages", "{}", Replay.HARMLESS)))
                .isInstanceOf(PeerAuthenticator.Refused.class).hasMessageNotContaining(h.get(SignedRequests.SIGNATURE));
        Map<String, String> stranger = new HashMap<>(h);
        stranger.put(SignedRequests.PEER, "b9");
        assertThatThrownBy(() -> b1.authenticate(req(stranger, "/peer/v1/messages", "{}", Replay.HARMLESS)))
                .hasMessageContaining("unknown peer");
    }

    @Test
    void whatACopyMayDo() {
        SignedRequests b1 = as("b1", k1);
        SignedRequests b2 = as("b2", k2);
        Map<String, String> upgrade = sign(b2, "b1", "/peer/v1/link", "");
        assertThat(b1.authenticate(req(upgrade, "/peer/v1/link", "", Replay.ONCE))).isEqualTo("b2");
        assertThatThrownBy(() -> b1.authenticate(req(upgrade, "/peer/v1/link", "", Replay.ONCE)))
                .hasMessageContaining("replayed");
        Map<String, String> beat = sign(b2, "b1", "/peer/v1/heartbeat", "{\"from\":\"b2\"}");
        for (int i = 0; i < 3; i++) {
            assertThat(b1.authenticate(req(beat, "/peer/v1/heartbeat", "{\"from\":\"b2\"}", Replay.RECENT))).isEqualTo("b2");
        }
        SignedRequests oldB2 = new SignedRequests("b2", k2.getPrivate(), Map.of(),
                Clock.offset(Clock.systemUTC(), Duration.ofMillis(-SignedRequests.RECENT_MS - 1_000)));
        Map<String, String> old = sign(oldB2, "b1", "/peer/v1/heartbeat", "{\"from\":\"b2\"}");
        assertThatThrownBy(() -> b1.authenticate(req(old, "/peer/v1/heartbeat", "{\"from\":\"b2\"}", Replay.RECENT)))
                .hasMessageContaining("stale");
        assertThat(b1.authenticate(req(old, "/peer/v1/heartbeat", "{\"from\":\"b2\"}", Replay.HARMLESS))).isEqualTo("b2");
        SignedRequests farB2 = new SignedRequests("b2", k2.getPrivate(), Map.of(),
                Clock.offset(Clock.systemUTC(), SignedRequests.MAX_SKEW.plusSeconds(10)));
        Map<String, String> future = sign(farB2, "b1", "/x", "");
        assertThatThrownBy(() -> b1.authenticate(req(future, "/x", "", Replay.HARMLESS))).hasMessageContaining("stale");
    }

    @Test
    void aConfigWhereTwoPeersShareAKeyOrTheOwnKeyDoesNotMatchIsRefused() {
        List<PeerInfo> shared = List.of(peer("b1", k1), peer("b2", k1));
        assertThatThrownBy(() -> SignedRequests.of("b1", PeerKeys.encode(k1.getPrivate()), shared))
                .hasMessageContaining("same publicKey");
        assertThatThrownBy(() -> SignedRequests.of("b1", PeerKeys.encode(k2.getPrivate()), peers))
                .hasMessageContaining("does not match").hasMessageNotContaining(PeerKeys.encode(k2.getPrivate()));
        assertThatThrownBy(() -> SignedRequests.of("b1", "not a key", peers)).hasMessageNotContaining("not a key");
    }
}
