package org.distribank.bank;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.common.SecureFiles;
import org.distribank.common.tls.TlsOptions;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.entity.PeerInfo;

/**
 * The bank's JSON config file (format in peer-core/BANK.md). A relative {@code dataDir} or {@code peerKeyFile} is
 * resolved against the file's directory.
 */
public final class BankConfig {

    private BankConfig() {
    }

    public static BankOptions load(Path file) throws IOException {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": a bank config is a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            BankOptions.Builder b = BankOptions.builder();
            b.id(req(o, "id"));
            b.name(opt(o, "name"));
            if (o.has("host")) {
                b.host(o.get("host").getAsString());
            }
            if (o.has("port")) {
                b.port(o.get("port").getAsInt());
            }
            Path dir = Path.of(req(o, "dataDir"));
            Path base = file.toAbsolutePath().getParent();
            b.dataDir(dir.isAbsolute() || base == null ? dir : base.resolve(dir).normalize());
            if (o.has("consortiumCredential") && !o.has("peerKey") && !o.has("peerKeyFile")) {
                throw new IOException("\"consortiumCredential\" (one secret shared by every bank) is no longer used: each"
                        + " bank signs its peer requests with a key of its own. Give this bank \"peerKeyFile\" (a new key:"
                        + " ./distribank peer --new-key FILE, which prints its public key) and every entry of \"peers\""
                        + " its \"publicKey\" (peer-core/BANK.md)");
            }
            List<PeerInfo> peers = new ArrayList<>();
            for (JsonElement p : o.getAsJsonArray("peers")) {
                JsonObject po = p.getAsJsonObject();
                String peerId = req(po, "id");
                String key = opt(po, "publicKey");
                if (key == null) {
                    throw new IOException("peer " + peerId + " needs its \"publicKey\"");
                }
                peers.add(new PeerInfo(peerId, opt(po, "name") == null ? peerId : opt(po, "name"), req(po, "url"), key));
            }
            b.peers(peers);
            if (o.has("peerKeyFile")) {
                Path keyFile = Path.of(req(o, "peerKeyFile"));
                b.peerKeyFile(keyFile);
                Path resolved = keyFile.isAbsolute() || base == null ? keyFile : base.resolve(keyFile).normalize();
                b.peerKey(Files.readString(resolved).strip());
            } else {
                b.peerKey(req(o, "peerKey"));
            }
            b.operatorToken(req(o, "operatorToken"));
            JsonObject ds = o.getAsJsonObject("dataServer");
            if (ds == null) {
                throw new IOException(file + ": \"dataServer\" {url, businessId, token} is required");
            }
            b.dataServer(new DataServerLink(req(ds, "url"), req(ds, "businessId"), req(ds, "token")));
            if (o.has("heartbeatMs")) {
                b.heartbeatMs(o.get("heartbeatMs").getAsLong());
            }
            if (o.has("offlineMs")) {
                b.offlineMs(o.get("offlineMs").getAsLong());
            }
            if (o.has("sessionTtlSeconds")) {
                b.sessionTtl(Duration.ofSeconds(o.get("sessionTtlSeconds").getAsLong()));
            }
            if (o.has("bcryptCost")) {
                b.bcryptCost(o.get("bcryptCost").getAsInt());
            }
            if (o.has("answerWaitMs")) {
                b.answerWaitMs(o.get("answerWaitMs").getAsLong());
            }
            if (o.has("transport")) {
                b.transport(TransportKind.parse(o.get("transport").getAsString())); // "websocket" or "http"
            }
            b.tls(TlsOptions.fromConfig(o, base));
            if (o.has("limits")) {
                b.limits(BankLimits.fromJson(o.getAsJsonObject("limits")));
            }
            if (o.has("views")) {
                b.views(o.get("views").getAsBoolean());
            }
            if (o.has("initialBanks")) {
                List<String> banks = new ArrayList<>();
                o.getAsJsonArray("initialBanks").forEach(e -> banks.add(e.getAsString()));
                b.initialBanks(banks);
            }
            if (o.has("eventHistory")) {
                JsonObject h = o.getAsJsonObject("eventHistory"); // {"maxEvents": 100000, "maxAgeMinutes": 1440}
                if (h.has("maxEvents")) {
                    b.historyEvents(h.get("maxEvents").getAsInt());
                }
                if (h.has("maxAgeMinutes")) {
                    b.historyMaxAge(Duration.ofMinutes(h.get("maxAgeMinutes").getAsLong()));
                }
            }
            if (o.has("snapshotEveryOps")) {
                b.snapshotEveryOps(o.get("snapshotEveryOps").getAsLong());
            }
            if (o.has("snapshotEveryBytes")) {
                b.snapshotEveryBytes(o.get("snapshotEveryBytes").getAsLong());
            }
            if (o.has("logSegmentBytes")) {
                b.logSegmentBytes(o.get("logSegmentBytes").getAsLong());
            }
            return b.build();
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code o} in the format {@link #load} reads (secrets included: it is the bank's own config file,
     * e.g. for the launcher's one-process-per-bank mode). {@code dataDir} is written as given.
     */
    public static void write(BankOptions o, Path file) throws IOException {
        JsonObject j = new JsonObject();
        j.addProperty("id", o.id());
        if (o.name() != null) {
            j.addProperty("name", o.name());
        }
        j.addProperty("host", o.host());
        j.addProperty("port", o.port());
        j.addProperty("dataDir", o.dataDir().toString());
        com.google.gson.JsonArray peers = new com.google.gson.JsonArray();
        for (PeerInfo p : o.peers()) {
            JsonObject po = new JsonObject();
            po.addProperty("id", p.id());
            po.addProperty("name", p.name());
            po.addProperty("url", p.url());
            po.addProperty("publicKey", p.publicKey());
            peers.add(po);
        }
        j.add("peers", peers);
        if (o.peerKeyFile() != null) {
            j.addProperty("peerKeyFile", o.peerKeyFile().toString());
        } else {
            j.addProperty("peerKey", o.peerKey());
        }
        j.addProperty("operatorToken", o.operatorToken());
        JsonObject ds = new JsonObject();
        ds.addProperty("url", o.dataServer().url());
        ds.addProperty("businessId", o.dataServer().businessId());
        ds.addProperty("token", o.dataServer().token());
        j.add("dataServer", ds);
        j.addProperty("heartbeatMs", o.heartbeatMs());
        j.addProperty("offlineMs", o.offlineMs());
        j.addProperty("sessionTtlSeconds", o.sessionTtl().toSeconds());
        j.addProperty("bcryptCost", o.bcryptCost());
        j.addProperty("answerWaitMs", o.answerWaitMs());
        j.addProperty("transport", o.transport().configName());
        j.add("limits", o.limits().toJson());
        j.addProperty("snapshotEveryOps", o.snapshotEveryOps());
        j.addProperty("views", o.views());
        if (o.initialBanks() != null && !o.initialBanks().isEmpty()) {
            com.google.gson.JsonArray banks = new com.google.gson.JsonArray();
            o.initialBanks().forEach(banks::add);
            j.add("initialBanks", banks);
        }
        j.addProperty("snapshotEveryBytes", o.snapshotEveryBytes());
        j.addProperty("logSegmentBytes", o.logSegmentBytes());
        JsonObject history = new JsonObject();
        history.addProperty("maxEvents", o.historyEvents());
        history.addProperty("maxAgeMinutes", o.historyMaxAge().toMinutes());
        j.add("eventHistory", history);
        if (o.tls() != null) {
            j.add("tls", o.tls().toJson());
        }
        // it holds the bank's secrets: 0600 from the start, its directory 0700 if this creates it
        SecureFiles.writePrivate(file,
                new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(j));
    }

    private static String req(JsonObject o, String name) throws IOException {
        String v = opt(o, name);
        if (v == null) {
            throw new IOException("\"" + name + "\" is required");
        }
        return v;
    }

    private static String opt(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
