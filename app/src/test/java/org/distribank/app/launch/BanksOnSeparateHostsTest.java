package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distribank.bank.BankMain;
import org.distribank.bank.BankOptions;
import org.distribank.common.tls.Pki;
import org.distribank.common.tls.TlsOptions;
import org.distribank.dataserver.DataServerMain;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Banks on machines of their own (docs/DEPLOYMENT.md): four hosts, each a Linux network namespace with its own
 * address in 10.77.X.0/24 ({@link NetworkNamespaces}), each running one data server and one bank as separate
 * JVMs ({@code ip netns exec <host> java ... DataServerMain / BankMain --config ...}) from config files in the
 * documented format, bound to the host's address, with mutual TLS from a consortium CA made by the test (https
 * peers, links and data servers; certificates naming each host's address). Then host 4 is cut off from the
 * other hosts (the test still reaches it), twice over: with views off (bank.json {@code "views": false}, the
 * default) b1..b3 see b4 offline and refuse everything, since every operation is ordered by all four; with views
 * on, b1..b3 vote b4 out ({@code view} members b1, b2, b3) and transfers among them commit. Either way a transfer
 * with a leg at b4 and an audit are a 503 naming b4 at once, and b4 itself, cut off, installs nothing, delivers
 * nothing new and refuses new work (a transfer between its own customers, a deposit) with 503. The link comes back
 * (with views, b4 is voted back in): transfers commit again (b4's too), b4's refused transfer never happened, the
 * audit total equals the deposits, every balance is what the committed transfers make it, and all four banks have
 * delivered the same sequence ({@code delivered}, {@code logHash}).
 * Skipped, saying why, where namespaces cannot be made (not root, no {@code ip}); CI runs as root.
 */
class BanksOnSeparateHostsTest {

    private static final Logger LOG = LoggerFactory.getLogger(BanksOnSeparateHostsTest.class);

    private static final int HOSTS = 4;
    private static final int BANK_PORT = 7000;
    private static final int DATA_SERVER_PORT = 8090;
    private static final long DEPOSIT = 100_000;
    private static final List<String> CHILD_JVM = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");
    /** Each bank's own peer key pair (index i - 1 for bank bi). */
    private static final java.util.List<java.security.KeyPair> KEYS = java.util.stream.Stream
            .generate(org.distribank.consortium.PeerKeys::generate).limit(HOSTS).toList();
    private static final String OPERATOR = "operator-token-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    /** Each bank's protocol events (GET /api/v1/events) as they come, into hI/events.log: a failed run's timeline. */
    private final List<java.util.concurrent.CompletableFuture<?>> eventStreams = new ArrayList<>();

    @ParameterizedTest(name = "views {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fourBanksOnFourHostsWhileOneIsCutOffAndWhenItIsBack(boolean views) throws Exception {
        String why = NetworkNamespaces.unavailable();
        assumeTrue(why == null, () -> "banks on hosts of their own need network namespaces: " + why);
        try (NetworkNamespaces net = NetworkNamespaces.create(HOSTS)) {
            try {
                run(net, views);
            } catch (Throwable t) {
                LOG.error("views {}: the run failed; each bank's GET /api/v1/consortium and log tail follow", views);
                consortiumViews(net);
                logTails(views);
                throw t;
            } finally {
                stopAll();
                Http.plain();
            }
        }
    }

    private void run(NetworkNamespaces net, boolean views) throws Exception {
        // mutual TLS, as DEPLOYMENT.md makes it the default: the consortium's CA, a certificate per bank and per
        // data server naming its host's address, and one for this test as the customers' and operators' client
        Path pki = dir.resolve("pki");
        Pki.init(pki, "Test-Consortium-CA");
        for (int i = 1; i <= HOSTS; i++) {
            Pki.issue(pki, "b" + i, List.of(), List.of(net.address(i)));
            Pki.issue(pki, "ds" + i, List.of(), List.of(net.address(i)));
        }
        Pki.issue(pki, "test-driver", List.of(), List.of("127.0.0.1"));
        Http.useTls(new TlsOptions(pki.resolve("test-driver.crt"), pki.resolve("test-driver.key"),
                pki.resolve("ca.crt")).load().clientContext());
        List<String> banks = new ArrayList<>();
        for (int i = 1; i <= HOSTS; i++) {
            writeConfigs(net, i, views);
            banks.add(bankUrl(net, i));
        }
        for (int i = 1; i <= HOSTS; i++) {
            start(net, i, "data-server", DataServerMain.class.getName());
        }
        // a bank reads its accounts from its data server when it starts: data servers first
        for (int i = 1; i <= HOSTS; i++) {
            String health = "https://" + net.address(i) + ":" + DATA_SERVER_PORT + "/health";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("a server exited (its log is below)", this::oneExited)
                    .until(() -> Http.get(health, null).status() == 200);
        }
        for (int i = 1; i <= HOSTS; i++) {
            start(net, i, "bank", BankMain.class.getName());
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("a server exited (its log is below)", this::oneExited)
                .until(() -> everyoneOnline(banks));
        for (int i = 1; i <= HOSTS; i++) {
            eventStreams.add(Http.stream(banks.get(i - 1) + "/api/v1/events", OPERATOR,
                    dir.resolve("h" + i).resolve("events.log")));
        }
        if (views) {
            // banks starting one after another may vote out one still starting; it rejoins by itself
            awaitAllMembers(banks);
        }
        // the bank listens on its host's address only: its URL in the peers list is that address
        JsonObject view = consortium(banks.get(0));
        assertThat(view.getAsJsonArray("peers").asList()).extracting(p -> p.getAsJsonObject().get("url").getAsString())
                .containsExactlyInAnyOrderElementsOf(banks);

        // a customer at every bank, each with a deposit; at b4 a second one, with none, for b4's own transfer
        List<String> accounts = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        long[] expected = new long[HOSTS];
        for (int i = 0; i < HOSTS; i++) {
            String user = "host" + (i + 1) + "user";
            accounts.add(Customers.openPersonal(banks.get(i), "Cliente " + (i + 1), Customers.newCpf(), user));
            tokens.add(Customers.login(banks.get(i), user));
            Http.Response d = Http.post(banks.get(i) + "/api/v1/deposits", tokens.get(i),
                    "{\"account\":\"" + accounts.get(i) + "\",\"amount\":" + DEPOSIT + "}");
            assertThat(d.field("status")).as(d.toString()).isEqualTo("COMMITTED");
            expected[i] = DEPOSIT;
        }
        String b4Other = Customers.openPersonal(banks.get(3), "Outro Cliente 4", Customers.newCpf(), "host4other");
        String b4OtherToken = Customers.login(banks.get(3), "host4other");
        transfer(banks, accounts, tokens, 0, 3, 1_000, expected);
        long deliveredBeforeCut = awaitAgreement(banks);
        // (the epoch need not be 0 here: banks starting one after another may already have changed the view once)
        long epochBeforeCut = consortium(banks.get(0)).getAsJsonObject("view").get("epoch").getAsLong();

        // cut host 4 off from the others (the test still reaches it); b4 takes a transfer between its own customers
        // before it can notice: it cannot be decided while cut off (PENDING), and must not be lost once healed
        timeline("views " + views + ", before the cut", banks);
        net.cut(4);
        String caughtId = UUID.randomUUID().toString();
        String caught = ownTransfer(caughtId, accounts.get(3), b4Other, 50);
        Http.Response caughtThen = Http.post(banks.get(3) + "/api/v1/transfers", tokens.get(3), caught);
        LOG.info("b4's transfer {} as the cut began: {}", caughtId, caughtThen);
        assertThat(caughtThen.status()).as("b4's transfer as the cut began: " + caughtThen).isIn(202, 503);
        List<String> others = banks.subList(0, 3);
        if (views) {
            // b1..b3 vote b4 out, and go on among themselves
            for (String b : others) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> members(consortium(b)).equals(List.of("b1", "b2", "b3")));
                assertThat(consortium(b).getAsJsonObject("view").get("epoch").getAsLong()).as(b)
                        .isGreaterThan(epochBeforeCut);
            }
            committedAmongTheOthers(banks, accounts, tokens, 0, 1, 300, expected);
            committedAmongTheOthers(banks, accounts, tokens, 1, 2, 200, expected);
            committedAmongTheOthers(banks, accounts, tokens, 2, 0, 100, expected);
        } else {
            // b1..b3 see b4 offline and refuse everything (every operation is ordered by all four)
            for (String b : others) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> !peer(consortium(b), "b4").get("online").getAsBoolean());
            }
            refusedNaming(Http.post(banks.get(0) + "/api/v1/transfers", tokens.get(0), transferBody(
                    UUID.randomUUID().toString(), accounts, 0, 1, 300)), "b4");
        }
        // either way: what needs b4 is refused at once, naming it: a leg at b4, and an audit (b4's figure)
        long t0 = System.nanoTime();
        refusedNaming(Http.post(banks.get(0) + "/api/v1/transfers", tokens.get(0), transferBody(
                UUID.randomUUID().toString(), accounts, 0, 3, 2_000)), "b4");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused at once, not after waiting for an outcome")
                .isLessThan(Duration.ofMillis(BankOptions.DEFAULT_ANSWER_WAIT_MS));
        refusedNaming(Http.post(banks.get(1) + "/api/v1/audits", OPERATOR, "{}"), "b4");

        // b4, cut off: sees the others offline, installs no view, delivers nothing new, refuses new work, its own
        // customers' transfer included
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    JsonObject v = consortium(banks.get(3));
                    return Stream.of("b1", "b2", "b3").noneMatch(id -> peer(v, id).get("online").getAsBoolean());
                });
        String ownId = UUID.randomUUID().toString();
        Http.Response own = Http.post(banks.get(3) + "/api/v1/transfers", tokens.get(3),
                ownTransfer(ownId, accounts.get(3), b4Other, 777));
        assertThat(own.status()).as("b4's own transfer while cut off: " + own).isEqualTo(503);
        Http.Response ownDeposit = Http.post(banks.get(3) + "/api/v1/deposits", b4OtherToken,
                "{\"account\":\"" + b4Other + "\",\"amount\":1}");
        assertThat(ownDeposit.status()).as("a deposit at b4 while cut off: " + ownDeposit).isEqualTo(503);
        JsonObject b4View = consortium(banks.get(3));
        assertThat(b4View.get("delivered").getAsLong()).as("b4 delivers nothing new while cut off: " + b4View)
                .isEqualTo(deliveredBeforeCut);
        if (views) {
            assertThat(b4View.getAsJsonObject("view").get("epoch").getAsLong()).as("b4 installs nothing: " + b4View)
                    .isEqualTo(epochBeforeCut);
        }

        // heal: (views) b4 is voted back in; everyone online; transfers commit, b4's own included
        timeline("cut off, before healing", banks);
        net.restore(4);
        if (views) {
            awaitAllMembers(banks);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> everyoneOnline(banks));
        timeline("healed, everyone online", banks);
        if (views) {
            // what b4 wrote into its sockets while cut off (stamped with the view it was then voted out of) may still
            // arrive, by TCP retransmission, seconds after the heal: with nothing new submitted, the four must come to
            // agree and stay so meanwhile (found: the members took such a frame's operation, which b4 had taken back)
            await("the four agree and stay so after the heal").during(Duration.ofSeconds(15))
                    .atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> agreed(banks) != null);
            timeline("healed, and the four still agree", banks);
        }
        long b4OtherExpected = 0;
        if (caughtThen.status() == 202) {
            // the transfer b4 took as the cut began is not lost: its client's retry (same id, as API.md says) gets a
            // decision, and the money moved once if it committed
            await("b4's transfer " + caughtId + " taken as the cut began gets a decision").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                        Http.Response r = Http.post(banks.get(3) + "/api/v1/transfers", tokens.get(3), caught);
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        assertThat(r.field("status")).as(r.toString()).isIn("COMMITTED", "ABORTED");
                    });
            Http.Response decided = Http.get(banks.get(3) + "/api/v1/transactions/" + caughtId, tokens.get(3));
            timeline("b4's transfer taken as the cut began: " + decided, banks);
            if ("COMMITTED".equals(decided.field("status"))) {
                expected[3] -= 50;
                b4OtherExpected = 50;
            }
        }
        transfer(banks, accounts, tokens, 3, 0, 555, expected);
        transfer(banks, accounts, tokens, 0, 3, 2_000, expected);
        transfer(banks, accounts, tokens, 2, 1, 42, expected);

        // nothing lost, nothing twice: b4's refused transfer never happened, the audit equals the deposits, balances
        // are exact, every bank delivered the same sequence
        Http.Response refusedThen = Http.get(banks.get(3) + "/api/v1/transactions/" + ownId, tokens.get(3));
        assertThat(refusedThen.status()).as("b4's refused transfer: " + refusedThen).isEqualTo(404);
        assertThat(Customers.balance(banks.get(3), b4OtherToken, b4Other)).isEqualTo(b4OtherExpected);
        Http.Response audit = Http.post(banks.get(1) + "/api/v1/audits", OPERATOR, "{}");
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        assertThat(audit.json().get("total").getAsLong()).isEqualTo(HOSTS * DEPOSIT);
        for (int i = 0; i < HOSTS; i++) {
            assertThat(Customers.balance(banks.get(i), tokens.get(i), accounts.get(i))).as("b" + (i + 1))
                    .isEqualTo(expected[i]);
        }
        long delivered = awaitAgreement(banks);
        assertThat(delivered).as("4 deposits, %d transfers, 1 audit", views ? 7 : 4)
                .isGreaterThanOrEqualTo(views ? 12 : 9);
    }

    /**
     * Waits until every bank has delivered the same sequence (equal {@code delivered} and {@code logHash}) and
     * installed the same view; returns {@code delivered}.
     */
    private static long awaitAgreement(List<String> banks) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> agreed(banks), d -> d != null);
    }

    /** {@code delivered} if every bank has delivered the same sequence and installed the same view now, else null. */
    private static Long agreed(List<String> banks) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        long delivered = -1;
        for (String b : banks) {
            JsonObject v = consortium(b);
            delivered = v.get("delivered").getAsLong();
            seen.add(delivered + "/" + v.get("logHash").getAsString() + "/" + v.get("view"));
        }
        return seen.size() == 1 ? delivered : null;
    }

    // ---- money ----

    /** A transfer from bank {@code from}'s customer to bank {@code to}'s, retried (same id) while a bank is
     * still coming back; it must commit. */
    private static void transfer(List<String> banks, List<String> accounts, List<String> tokens, int from, int to,
            long amount, long[] expected) {
        committed(banks.get(from), tokens.get(from), transferBody(UUID.randomUUID().toString(), accounts, from, to,
                amount));
        expected[from] -= amount;
        expected[to] += amount;
    }

    /** Posts a transfer at {@code bank}, retried (same id) while a bank is still coming back; it must commit. */
    private static void committed(String bank, String token, String body) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            Http.Response r = Http.post(bank + "/api/v1/transfers", token, body);
            if (r.status() == 503 || "PENDING".equals(r.field("status"))) {
                return false;
            }
            assertThat(r.field("status")).as(r.toString()).isEqualTo("COMMITTED");
            return true;
        });
    }

    /** A transfer between two accounts of b4. */
    private static String ownTransfer(String id, String from, String to, long amount) {
        return "{\"id\":\"" + id + "\",\"legs\":[{\"from\":{\"bank\":\"b4\",\"account\":\"" + from
                + "\"},\"to\":{\"bank\":\"b4\",\"account\":\"" + to + "\"},\"amount\":" + amount + "}]}";
    }

    /** A transfer among b1..b3 while b4 is cut off: it commits, and both balances move by its amount. */
    private static void committedAmongTheOthers(List<String> banks, List<String> accounts, List<String> tokens,
            int from, int to, long amount, long[] expected) throws IOException, InterruptedException {
        transfer(banks, accounts, tokens, from, to, amount, expected);
        assertThat(Customers.balance(banks.get(from), tokens.get(from), accounts.get(from))).as("b" + (from + 1))
                .isEqualTo(expected[from]);
        assertThat(Customers.balance(banks.get(to), tokens.get(to), accounts.get(to))).as("b" + (to + 1))
                .isEqualTo(expected[to]);
    }

    /** A {@code 503 BANK_OFFLINE} whose message names {@code bank}. */
    private static void refusedNaming(Http.Response r, String bank) {
        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.field("error")).as(r.toString()).isEqualTo("BANK_OFFLINE");
        assertThat(r.field("message")).as(r.toString()).contains(bank);
    }

    private static String transferBody(String id, List<String> accounts, int from, int to, long amount) {
        return "{\"id\":\"" + id + "\",\"legs\":[{\"from\":{\"bank\":\"b" + (from + 1) + "\",\"account\":\""
                + accounts.get(from) + "\"},\"to\":{\"bank\":\"b" + (to + 1) + "\",\"account\":\"" + accounts.get(to)
                + "\"},\"amount\":" + amount + "}]}";
    }

    // ---- operator views ----

    private static JsonObject consortium(String bank) throws IOException, InterruptedException {
        Http.Response r = Http.get(bank + "/api/v1/consortium", OPERATOR);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** One line per bank (view, delivered, logHash, queue length), for the run's timeline in the test's log. */
    private static void timeline(String phase, List<String> banks) {
        StringBuilder line = new StringBuilder(phase).append(':');
        for (String b : banks) {
            try {
                JsonObject v = consortium(b);
                line.append("\n  ").append(v.get("self").getAsString()).append(" view ").append(v.get("view"))
                        .append(" delivered ").append(v.get("delivered")).append(" logHash ")
                        .append(v.get("logHash").getAsString(), 0, 12).append(" queue ")
                        .append(v.getAsJsonArray("queue").size());
            } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
                line.append("\n  ").append(b).append(" unreadable: ").append(e);
            }
        }
        LOG.info("{}", line);
    }

    /** Waits until every bank has installed a view of all four. */
    private static void awaitAllMembers(List<String> banks) {
        for (String b : banks) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> members(consortium(b)).equals(List.of("b1", "b2", "b3", "b4")));
        }
    }

    /** The members of the view a bank installed, in order. */
    private static List<String> members(JsonObject consortium) {
        return consortium.getAsJsonObject("view").getAsJsonArray("members").asList().stream()
                .map(JsonElement::getAsString).toList();
    }

    private static JsonObject peer(JsonObject view, String id) {
        for (JsonElement p : view.getAsJsonArray("peers")) {
            if (p.getAsJsonObject().get("id").getAsString().equals(id)) {
                return p.getAsJsonObject();
            }
        }
        throw new AssertionError("no peer " + id + " in " + view);
    }

    /** Every bank answers and sees every peer online. */
    private static boolean everyoneOnline(List<String> banks) throws IOException, InterruptedException {
        for (String b : banks) {
            for (JsonElement p : consortium(b).getAsJsonArray("peers")) {
                if (!p.getAsJsonObject().get("online").getAsBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- hosts ----

    private static String bankUrl(NetworkNamespaces net, int i) {
        return "https://" + net.address(i) + ":" + BANK_PORT;
    }

    /** Host i's two config files, in the format of docs/DEPLOYMENT.md: {@code hI/data-server.json}, {@code hI/bank.json}. */
    private void writeConfigs(NetworkNamespaces net, int i, boolean views) throws IOException {
        Path host = dir.resolve("h" + i);
        Files.createDirectories(host);
        String token = "data-token-b" + i + "-" + UUID.randomUUID();

        JsonObject ds = new JsonObject();
        ds.addProperty("host", net.address(i));
        ds.addProperty("port", DATA_SERVER_PORT);
        ds.addProperty("dataDir", "data-server");
        JsonArray businesses = new JsonArray();
        JsonObject business = new JsonObject();
        business.addProperty("id", "b" + i);
        business.addProperty("token", token);
        businesses.add(business);
        ds.add("businesses", businesses);
        ds.add("tls", tls("ds" + i));
        write(host.resolve("data-server.json"), ds);

        JsonObject bank = new JsonObject();
        bank.addProperty("id", "b" + i);
        bank.addProperty("name", "Bank " + i);
        bank.addProperty("host", net.address(i));
        bank.addProperty("port", BANK_PORT);
        bank.addProperty("dataDir", "bank-log");
        JsonArray peers = new JsonArray();
        for (int j = 1; j <= HOSTS; j++) {
            JsonObject p = new JsonObject();
            p.addProperty("id", "b" + j);
            p.addProperty("name", "Bank " + j);
            p.addProperty("url", bankUrl(net, j));
            p.addProperty("publicKey", org.distribank.consortium.PeerKeys.encode(KEYS.get(j - 1).getPublic()));
            peers.add(p);
        }
        bank.add("peers", peers);
        bank.addProperty("peerKey", org.distribank.consortium.PeerKeys.encode(KEYS.get(i - 1).getPrivate()));
        bank.addProperty("operatorToken", OPERATOR);
        JsonObject link = new JsonObject();
        link.addProperty("url", "https://" + net.address(i) + ":" + DATA_SERVER_PORT);
        link.addProperty("businessId", "b" + i);
        link.addProperty("token", token);
        bank.add("dataServer", link);
        bank.addProperty("heartbeatMs", 250);
        bank.addProperty("offlineMs", 1_500);
        bank.addProperty("bcryptCost", 4);
        bank.addProperty("views", views);
        bank.add("tls", tls("b" + i));
        write(host.resolve("bank.json"), bank);
    }

    /** A server's {@code "tls"}: its own certificate and key from the test's PKI, and the CA. */
    private JsonObject tls(String name) {
        Path pki = dir.resolve("pki");
        return new TlsOptions(pki.resolve(name + ".crt"), pki.resolve(name + ".key"), pki.resolve("ca.crt")).toJson();
    }

    private static void write(Path file, JsonObject o) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
    }

    /** {@code ip netns exec hI java ... <main> --config hI/<name>.json}, output in hI/<name>.log. */
    private void start(NetworkNamespaces net, int i, String name, String mainClass) throws IOException {
        Path host = dir.resolve("h" + i);
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.addAll(CHILD_JVM);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, "--config",
                host.resolve(name + ".json").toString()));
        Process p = new ProcessBuilder(net.onHost(i, java)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(host.resolve(name + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        processes.add(p);
    }

    private boolean oneExited() {
        return processes.stream().anyMatch(p -> !p.isAlive());
    }

    /** Each bank's {@code GET /api/v1/consortium} as the test sees it now, for a failed run's report. */
    private static void consortiumViews(NetworkNamespaces net) {
        for (int i = 1; i <= HOSTS; i++) {
            try {
                LOG.error("b{} GET /api/v1/consortium: {}", i, Http.get(bankUrl(net, i) + "/api/v1/consortium",
                        OPERATOR));
            } catch (IOException | InterruptedException | RuntimeException e) {
                LOG.error("b{} GET /api/v1/consortium failed: {}", i, e.toString());
            }
        }
    }

    /**
     * The last lines of every server's log, for a failed run's report; the whole logs are kept in
     * {@code target/BanksOnSeparateHostsTest/views-<on|off>/} (the temporary directory goes with the test).
     */
    private void logTails(boolean views) {
        Path keep = Path.of("target", "BanksOnSeparateHostsTest", views ? "views-on" : "views-off");
        for (int i = 1; i <= HOSTS; i++) {
            for (String name : List.of("data-server", "bank", "events")) {
                Path log = dir.resolve("h" + i).resolve(name + ".log");
                try {
                    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
                    LOG.error("h{}/{}.log:\n{}", i, name,
                            String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                    if (Files.exists(log)) {
                        Files.createDirectories(keep.resolve("h" + i));
                        Files.copy(log, keep.resolve("h" + i).resolve(name + ".log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    LOG.error("cannot read {}: {}", log, e.toString());
                }
            }
        }
        LOG.error("the whole logs are in {}", keep.toAbsolutePath());
    }

    /** SIGTERM to every server (banks first), SIGKILL to any still there after 20 s. */
    private void stopAll() throws InterruptedException {
        eventStreams.forEach(f -> f.cancel(true));
        eventStreams.clear();
        List<Process> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        reversed.forEach(Process::destroy);
        for (Process p : reversed) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }
}
