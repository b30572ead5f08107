package org.distribank.app.launch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.distribank.common.SecureFiles;

/**
 * {@code consortium.json} in the data dir: what makes a consortium the same one when started again — its
 * ports, its secrets (consortium credential, operator token, one data-server token per bank) and its topology.
 * Created with fresh random secrets on the first start, read back on every later one. Owner-only permissions.
 */
final class ConsortiumState {

    static final String FILE = "consortium.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final SecureRandom RANDOM = new SecureRandom();

    int version = 1;
    boolean separateDataServers;
    String consortiumCredential;
    String operatorToken;
    List<Bank> banks = new ArrayList<>();
    List<DataServer> dataServers = new ArrayList<>();

    static final class Bank {
        String id;
        String name;
        int port;
        /** This bank's token at its data server. */
        String token;
        /** Index into {@link ConsortiumState#dataServers}. */
        int dataServer;
    }

    static final class DataServer {
        int port;
        /** Directory (relative to the data dir) with its config file and H2 files. */
        String dir;
    }

    /** Reads the state of {@code dataDir}, or creates (and writes) a new one for {@code o}. */
    static ConsortiumState loadOrCreate(LaunchOptions o) throws IOException {
        Path file = o.dataDir().resolve(FILE);
        if (Files.exists(file)) {
            ConsortiumState s = GSON.fromJson(Files.readString(file), ConsortiumState.class);
            if (s == null || s.banks == null || s.banks.isEmpty() || s.operatorToken == null) {
                throw new IOException(file + " is not a consortium state file");
            }
            if (s.banks.size() != o.banks() || s.separateDataServers != o.separateDataServers()) {
                throw new IllegalArgumentException(o.dataDir() + " holds a consortium of " + s.banks.size()
                        + " banks with " + (s.separateDataServers ? "one data server per bank" : "a shared data server")
                        + "; start it with the same --banks and topology, or use another --data-dir");
            }
            return s;
        }
        ConsortiumState s = new ConsortiumState();
        s.separateDataServers = o.separateDataServers();
        s.consortiumCredential = secret();
        s.operatorToken = secret();
        Set<Integer> used = new HashSet<>();
        int dsCount = o.separateDataServers() ? o.banks() : 1;
        for (int j = 0; j < dsCount; j++) {
            DataServer d = new DataServer();
            d.port = o.portBase() == 0 ? freePort(used) : o.portBase() + 100 + (o.separateDataServers() ? j + 1 : 0);
            d.dir = o.separateDataServers() ? "ds-b" + (j + 1) : "ds";
            s.dataServers.add(d);
        }
        for (int i = 1; i <= o.banks(); i++) {
            Bank b = new Bank();
            b.id = "b" + i;
            b.name = "Bank " + i;
            b.port = o.portBase() == 0 ? freePort(used) : o.portBase() + i;
            b.token = secret();
            b.dataServer = o.separateDataServers() ? i - 1 : 0;
            s.banks.add(b);
        }
        SecureFiles.createPrivateDirectories(o.dataDir());
        writePrivate(file, GSON.toJson(s));
        return s;
    }

    /** Writes {@code text} atomically, readable by the owner only (it holds secrets). */
    static void writePrivate(Path file, String text) throws IOException {
        SecureFiles.writePrivate(file, text); // 0600 from the start, not chmod-ed after the fact
    }

    private static String secret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int freePort(Set<Integer> used) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (used.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }
}
