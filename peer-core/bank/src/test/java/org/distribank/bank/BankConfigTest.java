package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.TransportKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankConfigTest {

    @TempDir
    Path dir;
    private final KeyPair k1 = PeerKeys.generate();
    private final KeyPair k2 = PeerKeys.generate();
    private final String pub1 = PeerKeys.encode(k1.getPublic());
    private final String pub2 = PeerKeys.encode(k2.getPublic());
    private final String priv1 = PeerKeys.encode(k1.getPrivate());
    private final String priv2 = PeerKeys.encode(k2.getPrivate());

    @Test
    void loadsTheDocumentedFormat() throws IOException {
        Path f = dir.resolve("b1.json");
        PeerKeys.writePrivateKey(k1.getPrivate(), dir.resolve("b1.key"));
        Files.writeString(f, """
                {"id":"b1","name":"Bank 1","host":"127.0.0.1","port":7001,"dataDir":"data/b1","peerKeyFile":"b1.key",
                 "peers":[{"id":"b1","name":"Bank 1","url":"http://127.0.0.1:7001","publicKey":"%s"},
                          {"id":"b2","name":"Bank 2","url":"http://127.0.0.1:7002","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b1","token":"data-token-1"},
                 "heartbeatMs":500,"offlineMs":2000,"sessionTtlSeconds":600,"bcryptCost":10,"answerWaitMs":3000}
                """.formatted(pub1, pub2));
        BankOptions o = BankConfig.load(f);
        assertThat(o.id()).isEqualTo("b1");
        assertThat(o.port()).isEqualTo(7001);
        assertThat(o.dataDir()).isEqualTo(dir.resolve("data/b1"));
        assertThat(o.peers()).hasSize(2);
        assertThat(o.peers().get(1).publicKey()).isEqualTo(pub2);
        assertThat(o.peerKey()).isEqualTo(priv1);
        assertThat(o.dataServer().businessId()).isEqualTo("b1");
        assertThat(o.heartbeatMs()).isEqualTo(500);
        assertThat(o.sessionTtl().toSeconds()).isEqualTo(600);
        assertThat(o.bcryptCost()).isEqualTo(10);
        assertThat(o.toString()).doesNotContain(priv1, "operator-secret", "data-token-1");
        assertThat(o.toNodeOptions().peerIds()).containsExactly("b1", "b2");
        assertThat(Files.getPosixFilePermissions(dir.resolve("b1.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void writeThenLoadGivesTheSameOptionsInAnOwnerOnlyFile() throws IOException {
        Path f = dir.resolve("in.json");
        Files.writeString(f, """
                {"id":"b2","port":0,"dataDir":"%s","peerKey":"%s",
                 "peers":[{"id":"b2","name":"Bank 2","url":"http://127.0.0.1:7002","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b2","token":"data-token-2"}}
                """.formatted(dir.resolve("d2").toString().replace("\\", "/"), priv2, pub2));
        BankOptions o = BankConfig.load(f);
        Path out = dir.resolve("sub/out.json");
        BankConfig.write(o, out);
        BankOptions back = BankConfig.load(out);
        assertThat(back.toString()).isEqualTo(o.toString());
        assertThat(back.operatorToken()).isEqualTo("operator-secret");
        assertThat(back.peerKey()).isEqualTo(priv2);
        assertThat(back.peers()).isEqualTo(o.peers());
        assertThat(back.dataServer()).isEqualTo(o.dataServer());
        assertThat(back.bcryptCost()).isEqualTo(12);
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // no "limits": the production values; they are written out and read back
        assertThat(back.limits().toJson()).isEqualTo(BankLimits.production().toJson());
        assertThat(back.limits().maxBodyBytes()).isEqualTo(1L << 20);
    }

    @Test
    void limitsAreReadFromTheFileFieldByField() throws IOException {
        Path f = dir.resolve("limits.json");
        Files.writeString(f, """
                {"id":"b3","dataDir":"d3","peerKey":"%s","peers":[{"id":"b3","url":"http://127.0.0.1:7003",
                 "publicKey":"%s"}],"operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b3","token":"data-token-3"},
                 "limits":{"requestsPerSecondPerAddress":0,"loginLockoutSeconds":60,"maxSessionsPerUser":3}}
                """.formatted(priv2, pub2));
        BankLimits l = BankConfig.load(f).limits();
        assertThat(l.requestsPerSecondPerAddress()).isZero();
        assertThat(l.loginLockout()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(l.maxSessionsPerUser()).isEqualTo(3);
        assertThat(l.requestsPerSecondPerSession()).isEqualTo(20);
        Files.writeString(f, Files.readString(f).replace("\"maxSessionsPerUser\":3", "\"maxSessionsPerUser\":0"));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class);
    }

    @Test
    void snapshotThresholdsAreReadCarriedToTheProtocolAndValidated() throws IOException {
        String base = """
                {"id":"b2","port":0,"dataDir":"d2","peerKey":"%s",
                 "peers":[{"id":"b2","name":"Bank 2","url":"http://127.0.0.1:7002","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b2","token":"data-token-2"}%s}
                """;
        Path f = dir.resolve("snap.json");
        Files.writeString(f, base.formatted(priv2, pub2, ""));
        BankOptions defaults = BankConfig.load(f);
        assertThat(defaults.snapshotEveryOps()).isEqualTo(BankOptions.DEFAULT_SNAPSHOT_EVERY_OPS);
        assertThat(defaults.snapshotEveryBytes()).isEqualTo(BankOptions.DEFAULT_SNAPSHOT_EVERY_BYTES);
        assertThat(defaults.toNodeOptions().snapshots()).isTrue();

        Files.writeString(f, base.formatted(priv2, pub2,
                ",\"snapshotEveryOps\":25,\"snapshotEveryBytes\":0,\"logSegmentBytes\":4096"));
        BankOptions o = BankConfig.load(f);
        assertThat(o.toNodeOptions().snapshotEveryOps()).isEqualTo(25);
        assertThat(o.toNodeOptions().snapshotEveryBytes()).isZero();
        assertThat(o.toNodeOptions().segmentBytes()).isEqualTo(4096);
        Path out = dir.resolve("snap-out.json");
        BankConfig.write(o, out);
        assertThat(BankConfig.load(out).toString()).isEqualTo(o.toString());

        Files.writeString(f, base.formatted(priv2, pub2, ",\"snapshotEveryOps\":0,\"snapshotEveryBytes\":0"));
        assertThat(BankConfig.load(f).toNodeOptions().snapshots()).as("both 0: the whole log is kept").isFalse();

        // views: off unless the config says so, and carried to the protocol and back through the file
        assertThat(defaults.toNodeOptions().views()).isFalse();
        Files.writeString(f, base.formatted(priv2, pub2, ",\"views\":true"));
        BankOptions withViews = BankConfig.load(f);
        assertThat(withViews.toNodeOptions().views()).isTrue();
        BankConfig.write(withViews, out);
        assertThat(BankConfig.load(out).views()).isTrue();
        Files.writeString(f, base.formatted(priv2, pub2, ",\"snapshotEveryOps\":-1"));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("snapshotEveryOps");
        Files.writeString(f, base.formatted(priv2, pub2, ",\"logSegmentBytes\":0"));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("logSegmentBytes");
    }

    @Test
    void theEventHistoryIsOnByDefaultAndItsBoundsAreReadCarriedToTheProtocolAndValidated() throws IOException {
        String base = """
                {"id":"b2","port":0,"dataDir":"d2","peerKey":"%s",
                 "peers":[{"id":"b2","name":"Bank 2","url":"http://127.0.0.1:7002","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b2","token":"data-token-2"}%s}
                """;
        Path f = dir.resolve("history.json");
        Files.writeString(f, base.formatted(priv2, pub2, ""));
        assertThat(BankConfig.load(f).toNodeOptions().historyEvents()).isEqualTo(BankOptions.DEFAULT_HISTORY_EVENTS)
                .isPositive();
        Files.writeString(f, base.formatted(priv2, pub2, ",\"eventHistory\":{\"maxEvents\":500,\"maxAgeMinutes\":90}"));
        BankOptions o = BankConfig.load(f);
        assertThat(o.toNodeOptions().historyEvents()).isEqualTo(500);
        assertThat(o.toNodeOptions().historyMaxAgeMs()).isEqualTo(90 * 60_000L);
        Path out = dir.resolve("history-out.json");
        BankConfig.write(o, out);
        assertThat(BankConfig.load(out).toString()).isEqualTo(o.toString());
        Files.writeString(f, base.formatted(priv2, pub2, ",\"eventHistory\":{\"maxEvents\":0}"));
        assertThat(BankConfig.load(f).toNodeOptions().historyEvents()).as("0: no history on disk").isZero();
        Files.writeString(f, base.formatted(priv2, pub2, ",\"eventHistory\":{\"maxAgeMinutes\":0}"));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("historyMaxAge");
    }

    @Test
    void hostIsTheBindAddressAndDefaultsToLoopback() throws IOException {
        String body = """
                {"id":"b4",%s"port":7000,"dataDir":"d4","peerKey":"%s",
                 "peers":[{"id":"b4","url":"http://127.0.0.4:7000","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.4:8090","businessId":"b4","token":"data-token-4"}}
                """;
        Path f = dir.resolve("b4.json");
        Files.writeString(f, body.formatted("\"host\":\"127.0.0.4\",", priv1, pub1));
        assertThat(BankConfig.load(f).host()).isEqualTo("127.0.0.4");
        Files.writeString(f, body.formatted("", priv1, pub1));
        assertThat(BankConfig.load(f).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void transportIsNamedInLowerCaseAndAnUnknownOneIsRefused() throws IOException {
        Path f = dir.resolve("transport.json");
        String body = """
                {"id":"b5","dataDir":"d5","peerKey":"%s","transport":"%s",
                 "peers":[{"id":"b5","url":"http://127.0.0.1:7005","publicKey":"%s"}],
                 "operatorToken":"operator-secret",
                 "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b5","token":"data-token-5"}}
                """;
        Files.writeString(f, body.formatted(priv1, "http", pub1));
        BankOptions o = BankConfig.load(f);
        assertThat(o.transport()).isEqualTo(TransportKind.HTTP);
        assertThat(o.toNodeOptions().transport()).isEqualTo(TransportKind.HTTP);
        Path out = dir.resolve("transport-out.json");
        BankConfig.write(o, out);
        assertThat(Files.readString(out)).contains("\"transport\": \"http\"");
        assertThat(BankConfig.load(out).transport()).isEqualTo(TransportKind.HTTP);
        Files.writeString(f, body.formatted(priv1, "websocket", pub1));
        assertThat(BankConfig.load(f).transport()).isEqualTo(TransportKind.WEBSOCKET);
        Files.writeString(f, body.formatted(priv1, "carrier-pigeon", pub1));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("transport must be websocket or http");
    }

    @Test
    void refusesIncompleteFiles() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"id\":\"b1\",\"dataDir\":\"x\",\"peers\":[]}");
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class);
        Files.writeString(f, "not json");
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class);
    }

    private static final String TWO_BANKS = """
            {"id":"b1","dataDir":"d1",%s
             "peers":[{"id":"b1","url":"http://127.0.0.1:7001"%s},{"id":"b2","url":"http://127.0.0.1:7002"%s}],
             "operatorToken":"operator-secret",
             "dataServer":{"url":"http://127.0.0.1:8090","businessId":"b1","token":"data-token-1"}}
            """;

    @Test
    void aConfigOfTheSharedCredentialDaysFailsWithAClearMessage() throws IOException {
        Path f = dir.resolve("old.json");
        Files.writeString(f, TWO_BANKS.formatted("\"consortiumCredential\":\"consortium-secret\",", "", ""));
        assertThatThrownBy(() -> BankConfig.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("consortiumCredential").hasMessageContaining("peerKeyFile")
                .hasMessageContaining("publicKey").hasMessageNotContaining("consortium-secret");
    }

    @Test
    void refusesPeersWithoutKeysSharedKeysOrAPrivateKeyThatIsNotTheBanks() throws IOException {
        Path f = dir.resolve("keys.json");
        String key = "\"peerKey\":\"" + priv1 + "\",";
        Files.writeString(f, TWO_BANKS.formatted(key, ",\"publicKey\":\"" + pub1 + "\"", ""));
        assertThatThrownBy(() -> BankConfig.load(f)).hasMessageContaining("b2").hasMessageContaining("publicKey");
        Files.writeString(f, TWO_BANKS.formatted(key, ",\"publicKey\":\"" + pub1 + "\"", ",\"publicKey\":\"" + pub1 + "\""));
        assertThatThrownBy(() -> BankConfig.load(f)).hasMessageContaining("same publicKey");
        Files.writeString(f, TWO_BANKS.formatted(key, ",\"publicKey\":\"" + pub2 + "\"", ",\"publicKey\":\"" + pub1 + "\""));
        assertThatThrownBy(() -> BankConfig.load(f)).hasMessageContaining("does not match")
                .hasMessageNotContaining(priv1);
        Files.writeString(f, TWO_BANKS.formatted(key, ",\"publicKey\":\"" + pub1 + "\"", ",\"publicKey\":\"" + pub2 + "\""));
        assertThat(BankConfig.load(f).peerKey()).isEqualTo(priv1);
    }
}
