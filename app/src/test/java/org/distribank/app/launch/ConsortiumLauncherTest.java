package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.app.cli.DistribankCli;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankOptions;
import org.distribank.consortium.PeerKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher (API.md, "Launcher"): the JSON line's shape, a customer served through the printed URLs, a clean
 * stop, and a restart on the same data dir that resumes the same consortium (ports, tokens, accounts, balances).
 * Embedded via the Java API in both topologies; and once as the real {@code distribank consortium --processes}
 * child process, with a bank killed -9 and restarted by {@code distribank peer --config}.
 */
class ConsortiumLauncherTest {

    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "separate data servers: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void embeddedConsortiumPrintsItsLineServesCustomersAndResumes(boolean separate) throws Exception {
        LaunchOptions o = LaunchOptions.builder().banks(3).dataDir(dir.resolve("data")).separateDataServers(separate)
                .bcryptCost(4).build();
        JsonObject first;
        String cpf = Customers.newCpf();
        String account;
        List<String> peerKeys = new ArrayList<>();
        List<String> publicKeys = new ArrayList<>();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            first = JsonParser.parseString(c.toJsonLine()).getAsJsonObject();
            assertShape(first, 3, separate ? 3 : 1, false);
            String b2 = url(first, "b2");
            account = Customers.openPersonal(b2, "Ana Lima", cpf, "ana");
            String token = Customers.login(b2, "ana");
            Http.Response d = Http.post(b2 + "/api/v1/deposits", token, "{\"id\":\"" + UUID.randomUUID()
                    + "\",\"account\":\"" + account + "\",\"amount\":12345}");
            assertThat(d.status()).as(d.toString()).isEqualTo(200);
            assertThat(d.field("status")).isEqualTo("COMMITTED");
            // each bank's config file is the one BankConfig reads back, on the printed port
            for (JsonElement e : first.getAsJsonArray("banks")) {
                JsonObject b = e.getAsJsonObject();
                BankOptions bo = BankConfig.load(Path.of(b.get("config").getAsString()));
                assertThat("http://127.0.0.1:" + bo.port()).isEqualTo(b.get("url").getAsString());
                assertThat(bo.dataServer().token()).isEqualTo(b.getAsJsonObject("dataServer").get("token").getAsString());
                assertThat(bo.operatorToken()).isEqualTo(b.get("operatorToken").getAsString());
                // its own peer key, in an owner-only file next to the config, matching its public key in peers
                Path keyFile = Path.of(b.get("config").getAsString()).resolveSibling("peer.key");
                assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(Files.getPosixFilePermissions(Path.of(b.get("config").getAsString())))
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(PeerKeys.matches(PeerKeys.readPrivateKey(keyFile), PeerKeys.publicKey(bo.peers().stream()
                        .filter(p -> p.id().equals(bo.id())).findFirst().orElseThrow().publicKey()))).isTrue();
                peerKeys.add(bo.peerKey());
                publicKeys.add(bo.peers().stream().filter(p -> p.id().equals(bo.id())).findFirst().orElseThrow().publicKey());
            }
            assertThat(peerKeys).doesNotHaveDuplicates().hasSize(3);
            assertThat(publicKeys).doesNotHaveDuplicates().hasSize(3);
            // an operator token opens its own bank only
            String b1Token = bank(first, "b1").get("operatorToken").getAsString();
            assertThat(Http.get(url(first, "b1") + "/api/v1/consortium", b1Token).status()).isEqualTo(200);
            assertThat(Http.get(b2 + "/api/v1/consortium", b1Token).status()).isEqualTo(401);
            assertThat(Http.get(b2 + "/api/v1/consortium", bank(first, "b2").get("operatorToken").getAsString())
                    .status()).isEqualTo(200);
        }
        // stopped: nothing answers any more
        assertThatThrownBy(() -> Http.get(url(first, "b1") + "/health", null)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> Http.get(first.getAsJsonArray("dataServers").get(0).getAsJsonObject().get("url")
                .getAsString() + "/health", null)).isInstanceOf(ConnectException.class);

        try (RunningConsortium again = ConsortiumLauncher.start(o)) {
            JsonObject second = JsonParser.parseString(again.toJsonLine()).getAsJsonObject();
            assertThat(second).isEqualTo(first);
            String b2 = url(second, "b2");
            String token = Customers.login(b2, "ana");
            assertThat(Customers.balance(b2, token, account)).isEqualTo(12_345);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aDataDirOfTheSharedCredentialDaysResumesWithAKeyAndATokenPerBank() throws Exception {
        LaunchOptions o = LaunchOptions.builder().banks(2).dataDir(dir.resolve("old")).bcryptCost(4).build();
        ConsortiumLauncher.start(o).close();
        // consortium.json as version 1 wrote it: one credential and one operator token for every bank
        Path state = dir.resolve("old").resolve(ConsortiumState.FILE);
        JsonObject v1 = JsonParser.parseString(Files.readString(state)).getAsJsonObject();
        v1.addProperty("version", 1);
        v1.addProperty("consortiumCredential", "shared-consortium-credential");
        for (JsonElement b : v1.getAsJsonArray("banks")) {
            b.getAsJsonObject().remove("operatorToken");
            b.getAsJsonObject().remove("publicKey");
        }
        Files.writeString(state, v1.toString());
        String shared = v1.get("operatorToken").getAsString();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) { // ready: every bank sees the other online
            JsonObject line = JsonParser.parseString(c.toJsonLine()).getAsJsonObject();
            assertShape(line, 2, 1, false);
            assertThat(line.get("operatorToken").getAsString()).isEqualTo(shared);
            assertThat(bank(line, "b1").get("operatorToken").getAsString()).isEqualTo(shared);
            assertThat(bank(line, "b2").get("operatorToken").getAsString()).isNotEqualTo(shared);
        }
        assertThat(Files.readString(state)).doesNotContain("shared-consortium-credential");
    }

    /**
     * retire-bank through the launcher (views on): refused while the bank holds a customer's money, then done once
     * it is empty; the others install a view without it, and a later start of the data dir leaves it out and is
     * ready with the three.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRetiredBankIsLeftOutOfLaterStarts() throws Exception {
        Path data = dir.resolve("data");
        LaunchOptions o = LaunchOptions.builder().banks(4).dataDir(data).bcryptCost(4).views(true).build();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            String b4 = c.bank("b4").url();
            String account = Customers.openPersonal(b4, "Dora Reis", Customers.newCpf(), "dora");
            String token = Customers.login(b4, "dora");
            Http.Response in = Http.post(b4 + "/api/v1/deposits", token, "{\"account\":\"" + account
                    + "\",\"amount\":500}");
            assertThat(in.field("status")).as(in.toString()).isEqualTo("COMMITTED");

            ConsortiumLauncher.Retirement refused = ConsortiumLauncher.retire(data, "b4");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("ACCOUNTS_NOT_EMPTY");
            Http.Response out = Http.post(b4 + "/api/v1/withdrawals", token, "{\"account\":\"" + account
                    + "\",\"amount\":500}");
            assertThat(out.field("status")).as(out.toString()).isEqualTo("COMMITTED");

            var retired = c.retire("b4");
            assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> banksInView(c, "b1").equals(List.of("b1", "b2", "b3")));
            assertThat(c.bankAlive("b4")).isFalse();
            assertThat(ConsortiumLauncher.retire(data, "b4").status()).isEqualTo(409);
        }
        try (RunningConsortium again = ConsortiumLauncher.start(o)) {
            assertThat(again.bankAlive("b4")).as("a retired bank is not started again").isFalse();
            assertThat(banksInView(again, "b2")).containsExactly("b1", "b2", "b3");
        }
    }

    @Test
    void aSpareSlotJoinsARunningConsortiumAndLaterStartsKeepIt() throws Exception {
        Path data = dir.resolve("spare");
        LaunchOptions o = LaunchOptions.builder().banks(3).spare(1).dataDir(data).bcryptCost(4).views(true).build();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            assertThat(c.banks()).extracting(RunningConsortium.BankInfo::id).containsExactly("b1", "b2", "b3");
            assertThat(c.slots()).containsExactly("b4");
            assertThat(banksInView(c, "b1")).containsExactly("b1", "b2", "b3");
            String b1 = c.bank("b1").url();
            String ana = Customers.openPersonal(b1, "Ana Lima", Customers.newCpf(), "ana");
            String anaToken = Customers.login(b1, "ana");
            Http.Response in = Http.post(b1 + "/api/v1/deposits", anaToken, "{\"account\":\"" + ana
                    + "\",\"amount\":900}");
            assertThat(in.field("status")).as(in.toString()).isEqualTo("COMMITTED");

            assertThat(ConsortiumLauncher.addBank(data, "b2").status()).as("not a slot").isEqualTo(409);
            var added = c.addBank("b4");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
            c.awaitReady(Duration.ofSeconds(60));
            assertThat(banksInView(c, "b1")).containsExactly("b1", "b2", "b3", "b4");
            assertThat(c.slots()).isEmpty();
            String b4 = c.bank("b4").url();
            String dora = Customers.openPersonal(b4, "Dora Reis", Customers.newCpf(), "dora");
            Http.Response pay = Http.post(b1 + "/api/v1/transfers", anaToken, "{\"id\":\"to-the-new-bank\","
                    + "\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"" + ana + "\"},\"to\":{\"bank\":\"b4\","
                    + "\"account\":\"" + dora + "\"},\"amount\":400}]}");
            assertThat(pay.field("status")).as(pay.toString()).isEqualTo("COMMITTED");
        }
        try (RunningConsortium again = ConsortiumLauncher.start(o)) {
            assertThat(again.bankAlive("b4")).as("an added bank is started again").isTrue();
            assertThat(banksInView(again, "b2")).containsExactly("b1", "b2", "b3", "b4");
        }
    }

    private static List<String> banksInView(RunningConsortium c, String bank) {
        JsonObject v = c.consortiumView(bank);
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.getAsJsonObject("view").getAsJsonArray("banks").forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }

    @Test
    void aDataDirOfAnotherShapeIsRefused() throws Exception {
        LaunchOptions o = LaunchOptions.builder().banks(1).dataDir(dir.resolve("one")).bcryptCost(4).build();
        ConsortiumLauncher.start(o).close();
        assertThatThrownBy(() -> ConsortiumLauncher.start(
                LaunchOptions.builder().banks(2).dataDir(dir.resolve("one")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 banks");
        assertThat(DistribankCli.commandLine().execute("consortium", "--banks", "17")).isNotZero();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theRealLauncherInProcessesModeSurvivesAKilledBankAndResumes() throws Exception {
        Path data = dir.resolve("procs");
        List<String> args = new ArrayList<>(List.of("consortium", "--banks", "3", "--data-dir", data.toString(),
                "--processes", "--bcrypt-cost", "4"));
        CHILD_JVM.forEach(j -> args.add("--java-option=" + j));
        Process launcher = child(dir.resolve("launcher-1.log"), DistribankCli.class.getName(), args);
        JsonObject line;
        String account;
        List<Long> pids = new ArrayList<>();
        try {
            line = firstLine(launcher);
            assertShape(line, 3, 1, true);
            line.getAsJsonArray("banks").forEach(b -> pids.add(b.getAsJsonObject().get("pid").getAsLong()));
            pids.add(line.getAsJsonArray("dataServers").get(0).getAsJsonObject().get("pid").getAsLong());
            assertThat(pids).allMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            for (long p : pids) {
                // the command line as the kernel has it (ProcessHandle.Info drops arguments past a length)
                String cmdline = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p), "cmdline"));
                assertThat(List.of(cmdline.split("\0"))).as("server %d's JVM ends on OutOfMemoryError", p)
                        .contains("-XX:+ExitOnOutOfMemoryError");
            }

            String b3 = url(line, "b3");
            account = Customers.openPersonal(b3, "Bia Souza", Customers.newCpf(), "bia");
            String token = Customers.login(b3, "bia");
            Http.Response d = Http.post(b3 + "/api/v1/deposits", token, "{\"account\":\"" + account
                    + "\",\"amount\":777}");
            assertThat(d.field("status")).as(d.toString()).isEqualTo("COMMITTED");

            // kill -9 b3 and bring it back with `distribank peer --config <its config>`
            ProcessHandle b3Process = ProcessHandle.of(bank(line, "b3").get("pid").getAsLong()).orElseThrow();
            b3Process.destroyForcibly();
            b3Process.onExit().get(30, TimeUnit.SECONDS);
            Process peer = child(dir.resolve("peer-b3.log"), DistribankCli.class.getName(),
                    List.of("peer", "--config", bank(line, "b3").get("config").getAsString()));
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> Http.get(b3 + "/health", null).status() == 200);
                String again = Customers.login(b3, "bia");
                assertThat(Customers.balance(b3, again, account)).isEqualTo(777);
            } finally {
                peer.destroy();
                assertThat(peer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            launcher.destroy(); // SIGTERM: banks, then the data server
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("launcher stops on SIGTERM").isTrue();
        }
        for (long p : pids) {
            ProcessHandle.of(p).ifPresent(h -> await().atMost(Duration.ofSeconds(10)).until(() -> !h.isAlive()));
        }
        assertThat(Files.readString(data.resolve("consortium.json"))).contains(line.get("operatorToken").getAsString());

        Process second = child(dir.resolve("launcher-2.log"), DistribankCli.class.getName(), args);
        try {
            JsonObject resumed = firstLine(second);
            for (String id : List.of("b1", "b2", "b3")) {
                assertThat(url(resumed, id)).isEqualTo(url(line, id));
                assertThat(bank(resumed, id).get("dataServer")).isEqualTo(bank(line, id).get("dataServer"));
                assertThat(bank(resumed, id).get("pid").getAsLong()).isNotIn(pids);
            }
            assertThat(resumed.get("operatorToken")).isEqualTo(line.get("operatorToken"));
            String b3 = url(resumed, "b3");
            assertThat(Customers.balance(b3, Customers.login(b3, "bia"), account)).isEqualTo(777);
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ---- helpers ----

    static void assertShape(JsonObject line, int banks, int dataServers, boolean pids) {
        assertThat(line.keySet()).contains("banks", "dataServers", "operatorToken");
        JsonArray bs = line.getAsJsonArray("banks");
        assertThat(bs).hasSize(banks);
        for (int i = 0; i < banks; i++) {
            JsonObject b = bs.get(i).getAsJsonObject();
            assertThat(b.get("id").getAsString()).isEqualTo("b" + (i + 1));
            assertThat(b.get("name").getAsString()).isNotBlank();
            assertThat(b.get("url").getAsString()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(b.has("pid")).isEqualTo(pids);
            assertThat(Path.of(b.get("config").getAsString())).isRegularFile();
            JsonObject ds = b.getAsJsonObject("dataServer");
            assertThat(ds.get("url").getAsString()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(ds.get("businessId").getAsString()).isEqualTo("b" + (i + 1));
            assertThat(ds.get("token").getAsString()).hasSizeGreaterThanOrEqualTo(16);
            assertThat(b.get("operatorToken").getAsString()).hasSizeGreaterThanOrEqualTo(16);
        }
        // no secret shared by two banks; the top-level operatorToken is b1's
        assertThat(bs.asList().stream().map(b -> b.getAsJsonObject().get("operatorToken")).distinct()).hasSize(banks);
        assertThat(bs.asList().stream().map(b -> b.getAsJsonObject().getAsJsonObject("dataServer").get("token"))
                .distinct()).hasSize(banks);
        assertThat(line.get("operatorToken")).isEqualTo(bs.get(0).getAsJsonObject().get("operatorToken"));
        assertThat(bs.asList().stream().map(b -> b.getAsJsonObject().get("url")).distinct()).hasSize(banks);
        JsonArray dss = line.getAsJsonArray("dataServers");
        assertThat(dss).hasSize(dataServers);
        dss.forEach(d -> assertThat(d.getAsJsonObject().has("pid")).isEqualTo(pids));
        assertThat(line.get("operatorToken").getAsString()).hasSizeGreaterThanOrEqualTo(16);
    }

    static JsonObject bank(JsonObject line, String id) {
        for (JsonElement e : line.getAsJsonArray("banks")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no bank " + id + " in " + line);
    }

    static String url(JsonObject line, String id) {
        return bank(line, id).get("url").getAsString();
    }

    static Process child(Path log, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(CHILD_JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The launcher's first stdout line, as JSON, within a bound. */
    static JsonObject firstLine(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String text = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(150, TimeUnit.SECONDS);
        assertThat(text).as("the launcher printed a line (exit: %s)", p.isAlive() ? "running" : p.exitValue())
                .isNotNull();
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
