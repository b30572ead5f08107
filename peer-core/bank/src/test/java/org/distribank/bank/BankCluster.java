package org.distribank.bank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.DataServerOptions;

/**
 * Test harness: N real bank peers on 127.0.0.1 with real data servers (one shared by all banks, or one per
 * bank), real logs and H2 files under one directory. Ports are chosen up front so a bank restarts on the same
 * URL. {@link #stop}/{@link #restart} close a bank and start it again on the same directories.
 */
public final class BankCluster implements AutoCloseable {

    public static final String OPERATOR = "operator-token-1";

    private final Path dir;
    private final boolean shared;
    private final List<DataServer> dataServers = new ArrayList<>();
    private final List<DataServerOptions> dataServerOptions = new ArrayList<>();
    private final Map<String, BankOptions> options = new LinkedHashMap<>();
    private final Map<String, BankPeer> banks = new LinkedHashMap<>();

    private BankCluster(Path dir, boolean shared) {
        this.dir = dir;
        this.shared = shared;
    }

    /** Starts {@code n} banks b1..bn. {@code sharedDataServer}: one data server for all, else one each. */
    public static BankCluster start(Path dir, int n, boolean sharedDataServer) {
        return start(dir, n, sharedDataServer, o -> { });
    }

    public static BankCluster start(Path dir, int n, boolean sharedDataServer,
                                    java.util.function.Consumer<BankOptions.Builder> tweak) {
        BankCluster c = new BankCluster(dir, sharedDataServer);
        try {
            if (sharedDataServer) {
                DataServerOptions.Builder b = DataServerOptions.builder().dataDir(dir.resolve("ds"));
                for (int i = 1; i <= n; i++) {
                    b.business("b" + i, "token-of-b" + i);
                }
                c.dataServerOptions.add(b.build());
                c.dataServers.add(DataServer.start(b.build()));
            } else {
                for (int i = 1; i <= n; i++) {
                    DataServerOptions dso = DataServerOptions.builder().dataDir(dir.resolve("ds" + i))
                            .business("b" + i, "token-of-b" + i).build();
                    c.dataServerOptions.add(dso);
                    c.dataServers.add(DataServer.start(dso));
                }
            }
            // Bank ports are chosen after the data servers have bound theirs (port 0), so that a data
            // server cannot be handed a port probed for a bank and released before the bank binds it.
            List<PeerInfo> peers = new ArrayList<>();
            Set<Integer> chosen = new HashSet<>();
            Map<String, KeyPair> keys = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                KeyPair k = PeerKeys.generate(); // each bank its own peer key
                keys.put("b" + i, k);
                peers.add(new PeerInfo("b" + i, "Bank " + i, "http://127.0.0.1:" + freePort(chosen),
                        PeerKeys.encode(k.getPublic())));
            }
            for (int i = 1; i <= n; i++) {
                String id = "b" + i;
                DataServer ds = sharedDataServer ? c.dataServers.get(0) : c.dataServers.get(i - 1);
                BankOptions.Builder o = BankOptions.builder()
                        .id(id)
                        .name("Bank " + i)
                        .port(Integer.parseInt(peers.get(i - 1).url().substring(peers.get(i - 1).url().lastIndexOf(':') + 1)))
                        .dataDir(dir.resolve("log-" + id))
                        .peers(peers)
                        .peerKey(PeerKeys.encode(keys.get(id).getPrivate()))
                        .operatorToken(OPERATOR)
                        .dataServer(new DataServerLink(ds.url(), id, "token-of-" + id))
                        .heartbeatMs(200)
                        .offlineMs(2_000)
                        .bcryptCost(4)
                        .answerWaitMs(8_000)
                        .sessionTtl(Duration.ofMinutes(10))
                        .limits(BankLimits.loopback()); // many clients from 127.0.0.1; tests of the limits set their own
                tweak.accept(o);
                c.options.put(id, o.build());
            }
            for (String id : c.options.keySet()) {
                List<String> founders = c.options.get(id).initialBanks();
                if (founders != null && !founders.isEmpty() && !founders.contains(id)) {
                    continue; // a slot for a bank added later: the test starts it (restart) when it adds it
                }
                c.banks.put(id, BankPeer.start(c.options.get(id)));
            }
            return c;
        } catch (IOException e) {
            c.close();
            throw new UncheckedIOException(e);
        }
    }

    /** A port free now and not among {@code chosen} (the kernel may hand a released port out again). */
    private static int freePort(Set<Integer> chosen) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (chosen.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no distinct free port after 100 attempts");
    }

    /** Signs peer requests as bank {@code id}, with its own key (what its transports do). */
    public org.distribank.consortium.auth.SignedRequests signer(String id) {
        BankOptions o = options.get(id);
        return org.distribank.consortium.auth.SignedRequests.of(id, o.peerKey(), o.peers());
    }

    public BankPeer bank(String id) {
        BankPeer b = banks.get(id);
        if (b == null) {
            throw new IllegalStateException(id + " is stopped");
        }
        return b;
    }

    public String url(String id) {
        return options.get(id).peers().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().url();
    }

    public List<String> ids() {
        return List.copyOf(options.keySet());
    }

    public boolean sharedDataServer() {
        return shared;
    }

    public Path dir() {
        return dir;
    }

    /** Bank {@code id}'s protocol log and snapshot directory. */
    public Path logDir(String id) {
        return options.get(id).dataDir();
    }

    /** Closes bank {@code id} (its log and data server stay). */
    public void stop(String id) {
        BankPeer b = banks.remove(id);
        if (b != null) {
            b.close();
        }
    }

    /**
     * Kills bank {@code id}: its protocol node stops as in a crash (no final sync, nothing more sent), then the rest
     * closes; its log, snapshots and data server stay. {@link #restart} starts it again.
     */
    public void kill(String id) {
        BankPeer b = banks.remove(id);
        if (b != null) {
            ((org.distribank.consortium.node.NodeImpl) b.node()).kill();
            b.close();
        }
    }

    /** Starts bank {@code id} again on the same port, log and data server. */
    public BankPeer restart(String id) {
        stop(id);
        try {
            BankPeer b = BankPeer.start(options.get(id));
            banks.put(id, b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data server of bank {@code id} (the shared one, or its own). */
    private int dataServerIndex(String id) {
        return shared ? 0 : ids().indexOf(id);
    }

    /** Stops the data server bank {@code id} writes to (its files stay). */
    public void stopDataServer(String id) {
        dataServers.get(dataServerIndex(id)).close();
    }

    /** Starts that data server again on the same port and files. */
    public void restartDataServer(String id) {
        restartDataServer(id, "token-of-" + id);
    }

    /**
     * Starts that data server again on the same port and files, with {@code token} as bank {@code id}'s token (a
     * rotation the bank was not told of, or back to its own {@code token-of-<id>}).
     */
    public void restartDataServer(String id, String token) {
        int i = dataServerIndex(id);
        DataServer old = dataServers.get(i);
        old.close();
        DataServerOptions o = dataServerOptions.get(i);
        DataServerOptions.Builder b = DataServerOptions.builder().dataDir(o.dataDir()).port(old.port());
        o.tokens().forEach((business, t) -> b.business(business, business.equals(id) ? token : t));
        try {
            dataServers.set(i, DataServer.start(b.build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (BankPeer b : new ArrayList<>(banks.values())) {
            b.close();
        }
        banks.clear();
        for (DataServer d : dataServers) {
            d.close();
        }
    }
}
