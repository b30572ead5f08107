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
 * ports, its secrets (per bank: an operator token, a data-server token, and the public half of its peer key,
 * whose private half lives in that bank's own {@code bI/peer.key}) and its topology. Created with fresh random
 * secrets on the first start, read back on every later one; no secret is shared by two banks. Owner-only
 * permissions from the first byte.
 */
final class ConsortiumState {

    static final String FILE = "consortium.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final SecureRandom RANDOM = new SecureRandom();

    int version = 2;
    boolean separateDataServers;
    /** Version 1's one secret shared by every bank: read only to drop it (its peers now sign with keys of their own). */
    String consortiumCredential;
    /** Bank b1's operator token (the launcher's JSON line shows it as the top-level {@code operatorToken}). */
    String operatorToken;
    List<Bank> banks = new ArrayList<>();
    /** How many banks founded the consortium (the first view's); the others are slots for add-bank. 0: all. */
    int founders;
    List<DataServer> dataServers = new ArrayList<>();

    static final class Bank {
        String id;
        String name;
        int port;
        /** This bank's token at its data server. */
        String token;
        /** This bank's own operator token. */
        String operatorToken;
        /** The public half of this bank's peer key (X.509, Base64); null until the launcher made the key. */
        String publicKey;
        /** Index into {@link ConsortiumState#dataServers}. */
        int dataServer;
        /** Retired from the consortium (retire-bank): the launcher no longer starts it or waits for it. */
        boolean retired;
        /** A slot for a bank added later (add-bank): configured everywhere, not started until a view adds it. */
        boolean slot;

        /** Started and waited for: neither retired nor a slot not added yet. */
        boolean active() {
            return !retired && !slot;
        }
    }

    static final class DataServer {
        int port;
        /** Directory (relative to the data dir) with its config file and H2 files. */
        String dir;
    }

    /** Reads the state an earlier start wrote in {@code dataDir}. */
    static ConsortiumState load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException(dataDir + " holds no consortium (no " + FILE + "): give the --data-dir it was "
                    + "started with");
        }
        ConsortiumState s = GSON.fromJson(Files.readString(file), ConsortiumState.class);
        if (s == null || s.banks == null || s.banks.isEmpty() || s.operatorToken == null) {
            throw new IOException(file + " is not a consortium state file");
        }
        return s;
    }

    /** Reads the state of {@code dataDir}, or creates (and writes) a new one for {@code o}. */
    static ConsortiumState loadOrCreate(LaunchOptions o) throws IOException {
        Path file = o.dataDir().resolve(FILE);
        if (Files.exists(file)) {
            ConsortiumState s = load(o.dataDir());
            if (s.founderCount() != o.banks() || s.separateDataServers != o.separateDataServers()) {
                throw new IllegalArgumentException(o.dataDir() + " holds a consortium of " + s.founderCount()
                        + " banks with " + (s.separateDataServers ? "one data server per bank" : "a shared data server")
                        + "; start it with the same --banks and topology, or use another --data-dir");
            }
            if (s.upgrade()) {
                writePrivate(file, GSON.toJson(s));
            }
            return s;
        }
        ConsortiumState s = new ConsortiumState();
        s.separateDataServers = o.separateDataServers();
        s.operatorToken = secret();
        Set<Integer> used = new HashSet<>();
        int all = o.banks() + o.spare();
        s.founders = o.banks();
        int dsCount = o.separateDataServers() ? all : 1;
        for (int j = 0; j < dsCount; j++) {
            DataServer d = new DataServer();
            d.port = o.portBase() == 0 ? freePort(used) : o.portBase() + 100 + (o.separateDataServers() ? j + 1 : 0);
            d.dir = o.separateDataServers() ? "ds-b" + (j + 1) : "ds";
            s.dataServers.add(d);
        }
        for (int i = 1; i <= all; i++) {
            Bank b = new Bank();
            b.slot = i > o.banks();
            b.id = "b" + i;
            b.name = "Bank " + i;
            b.port = o.portBase() == 0 ? freePort(used) : o.portBase() + i;
            b.token = secret();
            b.operatorToken = i == 1 ? s.operatorToken : secret();
            b.dataServer = o.separateDataServers() ? i - 1 : 0;
            s.banks.add(b);
        }
        SecureFiles.createPrivateDirectories(o.dataDir());
        writePrivate(file, GSON.toJson(s));
        return s;
    }

    /**
     * A state written by an earlier version, brought to this one: every bank gets its own operator token (b1
     * keeps the one it had) and distinct data-server tokens; the shared consortium credential is dropped. True
     * when something changed (the caller writes it back).
     */
    boolean upgrade() {
        boolean changed = consortiumCredential != null || version < 2;
        consortiumCredential = null;
        version = 2;
        Set<String> seenOperator = new HashSet<>();
        Set<String> seenData = new HashSet<>();
        for (int i = 0; i < banks.size(); i++) {
            Bank b = banks.get(i);
            if (b.operatorToken == null) {
                b.operatorToken = i == 0 && operatorToken != null ? operatorToken : secret();
                changed = true;
            }
            while (!seenOperator.add(b.operatorToken)) {
                b.operatorToken = secret();
                changed = true;
            }
            while (b.token == null || !seenData.add(b.token)) {
                b.token = secret(); // the data-server config is written from this state at every start
                changed = true;
            }
        }
        if (!banks.get(0).operatorToken.equals(operatorToken)) {
            operatorToken = banks.get(0).operatorToken;
            changed = true;
        }
        return changed;
    }

    /** The banks that founded the consortium. */
    int founderCount() {
        return founders == 0 ? banks.size() : founders;
    }

    /** The founders' ids when some banks are slots for add-bank (the first view's banks), else null (every bank). */
    List<String> initialBanks() {
        return founderCount() == banks.size() ? null
                : banks.subList(0, founderCount()).stream().map(b -> b.id).toList();
    }

    /** Writes this state back to {@code dataDir}. */
    void save(Path dataDir) throws IOException {
        writePrivate(dataDir.resolve(FILE), GSON.toJson(this));
    }

    /** Writes {@code text} atomically, readable by the owner only from the first byte (it holds secrets). */
    static void writePrivate(Path file, String text) throws IOException {
        SecureFiles.writePrivate(file, text);
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
