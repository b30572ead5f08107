package org.distribank.app.launch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankOptions;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.common.SecureFiles;
import org.distribank.common.StrictJson;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.entity.PeerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a headless consortium on 127.0.0.1 (API.md, "Launcher"): the data server(s), then banks b1..bN, and waits
 * (bounded) until every bank answers {@code /health} and sees every peer online. Used by
 * {@code ./distribank consortium}, the tests, the bank benchmark and (later) the desktop app.
 *
 * <p>Data dir layout: {@code consortium.json} (ports, secrets, topology), {@code ds/} or {@code ds-bI/} (each data
 * server's {@code data-server.json} and H2 files), {@code bI/} ({@code bank.json}, written with
 * {@link BankConfig#write}; {@code peer.key}, the bank's own peer private key, created owner-only; and the protocol
 * log in {@code bI/log/}), {@code logs/} (child processes' output). Every bank has its own peer key, operator
 * token and data-server token.
 */
public final class ConsortiumLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ConsortiumLauncher.class);

    private ConsortiumLauncher() {
    }

    /** Starts (or resumes, when {@code dataDir} already holds one) a consortium; the caller closes the handle. */
    public static RunningConsortium start(LaunchOptions o) throws IOException {
        Path dataDir = o.dataDir().toAbsolutePath().normalize();
        LaunchOptions options = o.toBuilder().dataDir(dataDir).build();
        SecureFiles.createPrivateDirectories(dataDir); // configs with secrets, logs, customers' data
        ConsortiumState state = ConsortiumState.loadOrCreate(options);
        if (options.portBase() != 0 && state.banks.get(0).port != options.portBase() + 1) {
            LOG.warn("{} was created with other ports; resuming it on its own ports (bank b1 on {})", dataDir,
                    state.banks.get(0).port);
        }
        List<Path> dsConfigs = new ArrayList<>();
        for (ConsortiumState.DataServer d : state.dataServers) {
            dsConfigs.add(writeDataServerConfig(dataDir, state, d));
        }
        List<Path> bankConfigs = new ArrayList<>();
        Map<String, String> privateKeys = new HashMap<>();
        boolean newKeys = false;
        for (ConsortiumState.Bank b : state.banks) {
            Path keyFile = dataDir.resolve(b.id).resolve(PEER_KEY_FILE);
            String previous = b.publicKey;
            privateKeys.put(b.id, peerKey(b, keyFile));
            newKeys |= !b.publicKey.equals(previous);
        }
        if (newKeys) {
            state.save(dataDir);
        }
        List<PeerInfo> peers = state.banks.stream()
                .map(b -> new PeerInfo(b.id, b.name, "http://127.0.0.1:" + b.port, b.publicKey)).toList();
        for (ConsortiumState.Bank b : state.banks) {
            BankOptions bo = BankOptions.builder()
                    .id(b.id)
                    .name(b.name)
                    .host("127.0.0.1")
                    .port(b.port)
                    .dataDir(Path.of("log"))
                    .peers(peers)
                    .peerKey(privateKeys.get(b.id))
                    .peerKeyFile(Path.of(PEER_KEY_FILE)) // next to bank.json
                    .operatorToken(b.operatorToken)
                    .dataServer(new DataServerLink("http://127.0.0.1:" + state.dataServers.get(b.dataServer).port,
                            b.id, b.token))
                    .bcryptCost(options.bcryptCost())
                    .heartbeatMs(options.heartbeatMs())
                    .offlineMs(options.offlineMs())
                    .views(options.views())
                    .historyEvents(options.historyEvents())
                    .initialBanks(state.initialBanks())
                    // a consortium on loopback: every client comes from 127.0.0.1 (tests, benchmark, desktop app), so
                    // no per-address or per-session request rates; written to bank.json, where an operator can
                    // change them
                    .limits(org.distribank.bank.BankLimits.loopback())
                    .build();
            Path config = dataDir.resolve(b.id).resolve("bank.json");
            BankConfig.write(bo, config); // 0600, its directory 0700
            bankConfigs.add(config);
        }
        RunningConsortium running = new RunningConsortium(options, state, dsConfigs, bankConfigs);
        try {
            running.startAll();
        } catch (IOException | RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    /** A bank's answer to retire-bank or add-bank: its status and JSON body. */
    public record Retirement(int status, String body) {
    }

    /**
     * retire-bank from another process than the one that runs the consortium (the CLI): asks bank {@code id} of the
     * consortium in {@code dataDir} to leave, and once it has, notes it there so later starts leave it out (the
     * running launcher keeps the retired bank up, refusing all work, until it stops).
     */
    public static Retirement retire(Path dataDir, String id) throws IOException {
        ConsortiumState state = ConsortiumState.load(dataDir);
        ConsortiumState.Bank b = state.banks.stream().filter(x -> x.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bank " + id + " in the consortium of " + dataDir));
        if (b.retired) {
            return new Retirement(409, "{\"error\":\"BANK_RETIRED\",\"message\":\"Bank " + id
                    + " has retired already.\"}");
        }
        java.net.http.HttpResponse<String> r = RunningConsortium.retireAt("http://127.0.0.1:" + b.port,
                b.operatorToken);
        if (r.statusCode() == 200) {
            b.retired = true;
            state.save(dataDir);
        }
        return new Retirement(r.statusCode(), r.body());
    }

    /**
     * add-bank from another process than the one that runs the consortium (the CLI): asks a member of the consortium
     * in {@code dataDir} to add slot {@code id} (BANK.md "Adding a bank"); the running launcher starts the bank once a
     * view has it among its banks, and notes it in the data dir. Returns the member's answer (202, or its refusal).
     */
    public static Retirement addBank(Path dataDir, String id) throws IOException {
        ConsortiumState state = ConsortiumState.load(dataDir);
        ConsortiumState.Bank b = state.banks.stream().filter(x -> x.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bank " + id + " in the consortium of " + dataDir));
        if (!b.slot) {
            return new Retirement(409, "{\"error\":\"ALREADY_MEMBER\",\"message\":\"Bank " + id
                    + (b.retired ? " has retired." : " is in the consortium already.") + "\"}");
        }
        ConsortiumState.Bank member = state.banks.stream().filter(ConsortiumState.Bank::active).findFirst()
                .orElseThrow(() -> new IllegalStateException("no bank of " + dataDir + " to ask"));
        java.net.http.HttpResponse<String> r = RunningConsortium.addBankAt("http://127.0.0.1:" + member.port,
                member.operatorToken, id);
        return new Retirement(r.statusCode(), r.body());
    }

    /** The name of each bank's private peer key file, in its directory. */
    static final String PEER_KEY_FILE = "peer.key";

    /**
     * Bank {@code b}'s private peer key: the one in {@code keyFile} when it is the other half of the state's
     * {@code publicKey}; else a new pair (the file written owner-only from its creation, the state's key
     * replaced). The launcher owns both halves of every key it made, so a new pair loses nothing.
     */
    private static String peerKey(ConsortiumState.Bank b, Path keyFile) throws IOException {
        if (b.publicKey != null && Files.exists(keyFile)) {
            try {
                PrivateKey k = PeerKeys.readPrivateKey(keyFile);
                if (PeerKeys.matches(k, PeerKeys.publicKey(b.publicKey))) {
                    return PeerKeys.encode(k);
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("bank {}: unreadable peer key ({}); making a new one", b.id, e.getMessage());
            }
        }
        KeyPair pair = PeerKeys.generate();
        Files.deleteIfExists(keyFile);
        PeerKeys.writePrivateKey(pair.getPrivate(), keyFile);
        b.publicKey = PeerKeys.encode(pair.getPublic());
        return PeerKeys.encode(pair.getPrivate());
    }

    private static Path writeDataServerConfig(Path dataDir, ConsortiumState state, ConsortiumState.DataServer d)
            throws IOException {
        JsonObject j = new JsonObject();
        j.addProperty("host", "127.0.0.1");
        j.addProperty("port", d.port);
        j.addProperty("dataDir", ".");
        JsonArray businesses = new JsonArray();
        int index = state.dataServers.indexOf(d);
        for (ConsortiumState.Bank b : state.banks) {
            if (b.dataServer == index) {
                JsonObject bo = new JsonObject();
                bo.addProperty("id", b.id);
                bo.addProperty("token", b.token);
                businesses.add(bo);
            }
        }
        j.add("businesses", businesses);
        Path dir = dataDir.resolve(d.dir);
        SecureFiles.createPrivateDirectories(dir);
        Path config = dir.resolve("data-server.json");
        ConsortiumState.writePrivate(config, StrictJson.GSON.toJson(j));
        return config;
    }
}
