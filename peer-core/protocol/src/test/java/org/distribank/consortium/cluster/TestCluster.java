package org.distribank.consortium.cluster;

import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.distribank.consortium.Consortium;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.LinkControls;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.node.NodeImpl;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.sample.CounterStateMachine;
import org.distribank.consortium.storage.CrashableFiles;
import org.distribank.consortium.storage.NioSegmentFiles;
import org.distribank.consortium.transport.ChaosTransport;
import org.distribank.consortium.transport.FaultOptions;

/**
 * An in-process consortium for protocol tests, after sofa-jraft's TestCluster: N peers, each with
 * its own Javalin on 127.0.0.1 port 0, its own data directory and the sample counter machine,
 * talking over real loopback sockets (WebSocket links by default, or HTTP: {@link #transport})
 * through the operator's link controls and the test kit's random faults ({@link ChaosTransport}). Peers can be stopped, killed (no final
 * sync, memory discarded), restarted from their data, paused, partitioned and healed. Each peer has
 * its own Ed25519 key pair, kept across restarts ({@link #signer} signs as a peer, for tests that
 * speak to the peer routes by hand).
 */
public final class TestCluster implements AutoCloseable {

    /** One running peer. */
    public static final class Member {
        public final String id;
        public final NodeImpl node;
        public final CounterStateMachine machine;
        final Javalin server;
        /** This peer's link controls (cut, slow). */
        final LinkControls transport;
        /** Its random faults, under the link controls. */
        final ChaosTransport chaos;
        /** Its log's files: a kill loses what they did not force. */
        final CrashableFiles files;

        Member(String id, NodeImpl node, CounterStateMachine machine, Javalin server, LinkControls t,
               ChaosTransport chaos, CrashableFiles files) {
            this.id = id;
            this.node = node;
            this.machine = machine;
            this.server = server;
            this.transport = t;
            this.chaos = chaos;
            this.files = files;
        }
    }

    private final List<String> ids = new ArrayList<>();
    private final Path baseDir;
    private final FaultOptions faults;
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, KeyPair> keys = new LinkedHashMap<>();
    public long heartbeatMs = 200;
    public long offlineMs = 1_000;
    public int eventLogCapacity = 2_000;
    /** {@link NodeOptions#transport()} of the peers started from now on (the node default unless set). */
    public TransportKind transport = NodeOptions.DEFAULT_TRANSPORT;
    /** Applied to each new peer's machine before its node starts (and replays). */
    public Consumer<CounterStateMachine> machineSetup = m -> { };
    private int restarts;
    /** Changes the options of the peers started from now on (snapshot thresholds, segment size...). */
    public java.util.function.UnaryOperator<NodeOptions.Builder> tune = b -> b;

    public TestCluster(int n, Path baseDir, FaultOptions faults) {
        for (int i = 1; i <= n; i++) {
            ids.add("b" + i);
            keys.put("b" + i, PeerKeys.generate());
        }
        this.baseDir = baseDir;
        this.faults = faults;
    }

    /**
     * Sets how long a silent peer stays online. Tests that are not about failure detection use a
     * long one, so that a CPU-starved run (8 peers on 2 cores, a busy CI machine) never mistakes a
     * slow peer for a dead one and refuses their submissions.
     */
    public TestCluster withOfflineAfter(long ms) {
        this.offlineMs = ms;
        return this;
    }

    public List<String> ids() {
        return ids;
    }

    /**
     * Starts every peer and waits until they all see each other online (on a busy machine the
     * first peer's start-up grace can run out while the last ones are still starting).
     */
    public TestCluster start() {
        ids.forEach(this::startPeer);
        awaitAllOnline(Duration.ofSeconds(20));
        return this;
    }

    public synchronized Member startPeer(String id) {
        NodeOptions o = tune.apply(NodeOptions.builder()
                .selfId(id)
                .peers(peers())
                .dataDir(baseDir.resolve(id))
                .privateKey(PeerKeys.encode(keys.get(id).getPrivate()))
                .heartbeatIntervalMs(heartbeatMs)
                .offlineAfterMs(offlineMs)
                .eventLogCapacity(eventLogCapacity)
                .retryMaxMs(200)
                .transport(transport))
                .build()
                .withOwnIdentity();
        FaultOptions f = faults == null ? FaultOptions.none() : faults;
        FaultOptions seeded = f.toBuilder().seed(f.seed() * 31 + id.hashCode() + restarts++).build();
        ChaosTransport chaos = new ChaosTransport(Consortium.transport(transport, urls::get, o.signer()), seeded);
        LinkControls t = LinkControls.wrap(chaos);
        CounterStateMachine machine = new CounterStateMachine(id);
        machineSetup.accept(machine);
        CrashableFiles files = new CrashableFiles(new NioSegmentFiles(o.dataDir()));
        NodeImpl node = new NodeImpl(o, machine, t, files);
        Javalin server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            ConsortiumRoutes.register(cfg, node);
        }).start("127.0.0.1", 0);
        urls.put(id, "http://127.0.0.1:" + server.port());
        node.start();
        Member m = new Member(id, node, machine, server, t, chaos, files);
        members.put(id, m);
        return m;
    }

    /** Every member with its public key (URLs are placeholders: the transports resolve the live ones). */
    public List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>();
        for (String p : ids) {
            out.add(new PeerInfo(p, "Bank " + p.substring(1), "http://127.0.0.1/" + p,
                    PeerKeys.encode(keys.get(p).getPublic())));
        }
        return out;
    }

    /** Peer {@code id}'s own private key. */
    public java.security.PrivateKey privateKey(String id) {
        return keys.get(id).getPrivate();
    }

    /** Signs requests as peer {@code id}, with its own key (what its transport does). */
    public SignedRequests signer(String id) {
        return SignedRequests.of(id, PeerKeys.encode(keys.get(id).getPrivate()), peers());
    }

    /** The headers of a request signed as {@code from} to {@code to}. */
    public Map<String, String> signedHeaders(String from, String to, String method, String target, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        signer(from).sign(to, method, target, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), h::put);
        return h;
    }

    public Member member(String id) {
        return members.get(id);
    }

    public NodeImpl node(String id) {
        return members.get(id).node;
    }

    public List<Member> members() {
        return new ArrayList<>(members.values());
    }

    public String url(String id) {
        return urls.get(id);
    }

    /** Points every peer's transport at {@code url} for {@code id} (until {@code id} starts again). */
    public void address(String id, String url) {
        urls.put(id, url);
    }

    /** Graceful stop. */
    public synchronized void stop(String id) {
        Member m = members.remove(id);
        m.node.close(); // first: waiting peer requests are answered while the server still runs
        m.server.stop();
    }

    /**
     * Crash, as pulling the plug: first the disk loses every byte not forced and refuses the process
     * anything more (a sync under way fails, so nothing of its burst leaves), then the node stops
     * without a word to anyone (no owed acks) and its server goes away; its memory is dropped.
     */
    public synchronized void kill(String id) {
        Member m = members.remove(id);
        m.files.crash();
        m.node.kill();
        m.server.stop();
    }

    /** From now on {@code id}'s disk fails every fsync. */
    public void failDisk(String id, String error) {
        members.get(id).files.failForces(error);
    }

    public Member restart(String id) {
        return startPeer(id);
    }

    public void pause(String id) {
        node(id).pause();
    }

    public void resume(String id) {
        node(id).resume();
    }

    /** Cuts {@code id} off from every other peer, both ways. */
    public void partition(String id) {
        for (Member m : members.values()) {
            if (m.id.equals(id)) {
                ids.stream().filter(p -> !p.equals(id)).forEach(m.transport::cut);
            } else {
                m.transport.cut(id);
            }
        }
    }

    public void heal(String id) {
        for (Member m : members.values()) {
            if (m.id.equals(id)) {
                m.transport.healAll();
            } else {
                m.transport.heal(id);
            }
        }
    }

    /** Waits until every running peer has delivered {@code count} operations and decided them all. */
    public void awaitDelivered(long count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> members.values().stream()
                .allMatch(m -> m.node.deliveredCount() == count && m.machine.decidedCount() == count));
    }

    /** Waits until every running peer sees every other as online. */
    public void awaitAllOnline(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> members.values().stream()
                .allMatch(m -> m.node.offlinePeers().isEmpty()));
    }

    @Override
    public synchronized void close() {
        for (Member m : members.values()) {
            try {
                m.node.close(); // first, as in stop()
            } finally {
                m.server.stop();
            }
        }
        members.clear();
    }
}
