package org.distribank.consortium.sample;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.distribank.common.SecureFiles;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.transport.Json;

/**
 * The standalone peer's config file:
 * {@code {"self":"b1","port":7001,"dataDir":"data/b1","privateKey":"<b1's own Ed25519 key, PKCS#8 Base64>",
 * "operatorToken":"<b1's own>","heartbeatMs":1000,"offlineMs":3000,
 * "peers":[{"id":"b1","name":"Bank 1","url":"http://127.0.0.1:7001","publicKey":"<X.509 Base64>"},...]}}.
 * Each peer has its own private key and operator token; no secret is shared by two peers.
 */
public record PeerConfig(String self, int port, String dataDir, String privateKey, String operatorToken,
                         Long heartbeatMs, Long offlineMs, List<PeerInfo> peers) {

    public static PeerConfig read(Path file) throws IOException {
        String text = Files.readString(file);
        JsonObject raw = Json.GSON.fromJson(text, JsonObject.class);
        if (raw != null && raw.has("credential") && !raw.has("privateKey")) {
            throw new IOException(file + ": \"credential\" (one secret shared by every peer) is no longer used; give"
                    + " this peer its own \"privateKey\" and \"operatorToken\", and every peer its \"publicKey\""
                    + " (peer-core/PROTOCOL.md, Standalone peer)");
        }
        PeerConfig c = Json.GSON.fromJson(text, PeerConfig.class);
        if (c == null || c.self == null || c.peers == null || c.privateKey == null || c.operatorToken == null
                || c.dataDir == null) {
            throw new IOException(file + ": a peer config needs self, peers, privateKey, operatorToken and dataDir");
        }
        return c;
    }

    /** Writes the config readable by its owner only (it holds this peer's private key). */
    public void write(Path file) throws IOException {
        SecureFiles.writePrivate(file, Json.GSON.toJson(this)); // holds the credential
    }

    public NodeOptions toOptions() {
        NodeOptions.Builder o = NodeOptions.builder().selfId(self).peers(peers).dataDir(Path.of(dataDir))
                .privateKey(privateKey);
        if (heartbeatMs != null) {
            o.heartbeatIntervalMs(heartbeatMs);
        }
        if (offlineMs != null) {
            o.offlineAfterMs(offlineMs);
        }
        return o.build();
    }
}
