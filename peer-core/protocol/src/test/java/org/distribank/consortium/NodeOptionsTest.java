package org.distribank.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.link.LinkOptions;
import org.junit.jupiter.api.Test;

/** NodeOptions: the documented defaults, validation with clear messages, immutability, TransportKind names. */
class NodeOptionsTest {

    private final KeyPair k1 = PeerKeys.generate();
    private final KeyPair k2 = PeerKeys.generate();
    private final List<PeerInfo> peers = List.of(
            new PeerInfo("b1", "Bank 1", "http://127.0.0.1:7001", PeerKeys.encode(k1.getPublic())),
            new PeerInfo("b2", "Bank 2", "http://127.0.0.1:7002", PeerKeys.encode(k2.getPublic())));

    private NodeOptions.Builder valid() {
        return NodeOptions.builder().selfId("b1").peers(peers).dataDir(Path.of("data/b1"))
                .privateKey(PeerKeys.encode(k1.getPrivate()));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        NodeOptions o = valid().build();
        assertThat(o.heartbeatIntervalMs()).isEqualTo(1_000);
        assertThat(o.offlineAfterMs()).isEqualTo(3_000);
        assertThat(o.fsync()).isTrue();
        assertThat(o.batchWindowMicros()).isEqualTo(300);
        assertThat(o.transport()).isEqualTo(TransportKind.WEBSOCKET);
        assertThat(o.maxFramesInFlight()).isEqualTo(1);
        assertThat(o.maxBatchMessages()).isEqualTo(4_096);
        assertThat(o.retryMinMs()).isEqualTo(20);
        assertThat(o.retryMaxMs()).isEqualTo(1_000);
        assertThat(o.eventLogCapacity()).isEqualTo(20_000);
        assertThat(o.segmentBytes()).isEqualTo(16L << 20);
        assertThat(o.peerIds()).containsExactly("b1", "b2");
        assertThat(LinkOptions.from(o)).isEqualTo(LinkOptions.builder().build());
    }

    @Test
    void peersAreCopiedAndTheRecordCannotBeChanged() {
        List<PeerInfo> mutable = new ArrayList<>(peers);
        NodeOptions o = valid().peers(mutable).build();
        mutable.clear();
        assertThat(o.peers()).hasSize(2);
        assertThatThrownBy(() -> o.peers().clear()).isInstanceOf(UnsupportedOperationException.class);
        NodeOptions changed = o.toBuilder().heartbeatIntervalMs(200).transport(TransportKind.HTTP).build();
        assertThat(changed.heartbeatIntervalMs()).isEqualTo(200);
        assertThat(changed.transport()).isEqualTo(TransportKind.HTTP);
        assertThat(o.heartbeatIntervalMs()).isEqualTo(1_000);
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> valid().selfId("b9").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selfId b9 is not among the peers");
        assertThatThrownBy(() -> valid().dataDir(null).build()).hasMessageContaining("dataDir");
        assertThatThrownBy(() -> valid().privateKey(null).build()).hasMessageContaining("privateKey");
        assertThatThrownBy(() -> valid().heartbeatIntervalMs(0).build()).hasMessageContaining("heartbeatIntervalMs");
        assertThatThrownBy(() -> valid().retryMinMs(50).retryMaxMs(10).build()).hasMessageContaining("retryMaxMs");
        assertThatThrownBy(() -> valid().maxFramesInFlight(0).build()).hasMessageContaining("maxFramesInFlight");
        assertThatThrownBy(() -> valid().batchWindowMicros(-1).build()).hasMessageContaining("batchWindowMicros");
        assertThatThrownBy(() -> valid().snapshotEveryOps(-1).build()).hasMessageContaining("snapshotEveryOps");
        assertThatThrownBy(() -> valid().snapshotEveryBytes(-1).build()).hasMessageContaining("snapshotEveryBytes");
        assertThatThrownBy(() -> valid().recentOutcomes(0).build()).hasMessageContaining("recentOutcomes");
        assertThat(valid().snapshotEveryOps(0).snapshotEveryBytes(0).build().snapshots()).isFalse();
        assertThat(valid().snapshotEveryOps(3).snapshotEveryBytes(0).build().snapshots()).isTrue();
    }

    @Test
    void withOwnIdentityMakesOneSignerAndAuthenticatorFromTheKeyAndHidesIt() {
        NodeOptions o = valid().build();
        NodeOptions identified = o.withOwnIdentity();
        assertThat(identified.signer()).isSameAs(identified.authenticator());
        assertThat(identified.withOwnIdentity()).isSameAs(identified);
        assertThat(o.toString()).doesNotContain(o.privateKey());
        NodeOptions wrongKey = valid().privateKey(PeerKeys.encode(k2.getPrivate())).build();
        assertThatThrownBy(wrongKey::withOwnIdentity).hasMessageContaining("does not match");
    }

    @Test
    void transportKindsKeepTheirLowerCaseNames() {
        assertThat(TransportKind.parse("websocket")).isEqualTo(TransportKind.WEBSOCKET);
        assertThat(TransportKind.parse("HTTP")).isEqualTo(TransportKind.HTTP);
        assertThat(TransportKind.HTTP.configName()).isEqualTo("http");
        assertThatThrownBy(() -> TransportKind.parse("udp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport must be websocket or http, got udp");
        assertThatThrownBy(() -> TransportKind.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
