package org.distribank.consortium.sample;

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
 * {@code {"self":"b1","port":7001,"dataDir":"data/b1","credential":"s3cret","heartbeatMs":1000,
 * "offlineMs":3000,"peers":[{"id":"b1","name":"Bank 1","url":"http://127.0.0.1:7001"},...]}}.
 */
public record PeerConfig(String self, int port, String dataDir, String credential, Long heartbeatMs, Long offlineMs,
                         List<PeerInfo> peers) {

    public static PeerConfig read(Path file) throws IOException {
        PeerConfig c = Json.GSON.fromJson(Files.readString(file), PeerConfig.class);
        if (c == null || c.self == null || c.peers == null || c.credential == null || c.dataDir == null) {
            throw new IOException(file + ": a peer config needs self, peers, credential and dataDir");
        }
        return c;
    }

    public void write(Path file) throws IOException {
        SecureFiles.writePrivate(file, Json.GSON.toJson(this)); // holds the credential
    }

    public NodeOptions toOptions() {
        NodeOptions o = new NodeOptions();
        o.selfId = self;
        o.peers = peers;
        o.dataDir = Path.of(dataDir);
        o.credential = credential;
        if (heartbeatMs != null) {
            o.heartbeatIntervalMs = heartbeatMs;
        }
        if (offlineMs != null) {
            o.offlineAfterMs = offlineMs;
        }
        return o;
    }
}
