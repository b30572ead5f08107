package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code packaging/clients/python/distribank_client.py}, standard library only) against an
 * embedded 2-bank consortium: as a command it signs in, transfers across banks and prints the statement; the
 * balances it leaves are checked through the API. Refusals: ABORTED for lack of funds (exit 3), a decimal amount
 * (exit 2, nothing sent), a wrong password (exit 1, the API's 401). And once as a module. Linking an account at
 * another bank with its consent (API.md v1.1), paying from it within the limit, revoking and unlinking, as a
 * command and as a module. Skipped without python3.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PythonClientTest {

    private static final Path CLIENT = Path.of("..", "packaging", "clients", "python", "distribank_client.py")
            .toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static String python;
    static RunningConsortium consortium;
    static String b1;
    static String b2;
    static String maria;
    static String joao;

    @BeforeAll
    static void start() throws Exception {
        python = pythonCommand();
        assumeTrue(python != null, "python3 is not installed (Debian: apt-get install python3; .ci/run does)");
        assertThat(CLIENT).isRegularFile();
        consortium = ConsortiumLauncher.start(LaunchOptions.builder().banks(2).dataDir(dir.resolve("data")).bcryptCost(4).build());
        b1 = consortium.bank("b1").url();
        b2 = consortium.bank("b2").url();
        maria = Customers.openPersonal(b1, "Maria Souza", Customers.newCpf(), "maria");
        joao = Customers.openPersonal(b2, "Joao Lima", Customers.newCpf(), "joao");
        Http.Response d = Http.post(b1 + "/api/v1/deposits", Customers.login(b1, "maria"),
                "{\"account\":\"" + maria + "\",\"amount\":50000}");
        assertThat(d.field("status")).as(d.toString()).isEqualTo("COMMITTED");
    }

    @AfterAll
    static void stop() {
        if (consortium != null) {
            consortium.close();
        }
    }

    @Test
    void theCommandTransfersAcrossBanksAndPrintsTheStatement() throws Exception {
        Run t = client("maria", "transfer", "--from-account", maria, "--to-bank", "b2", "--to-account", joao,
                "--amount", "12345");
        assertThat(t.code).as(t.toString()).isZero();
        JsonObject result = JsonParser.parseString(t.stdout).getAsJsonObject();
        assertThat(result.get("status").getAsString()).isEqualTo("COMMITTED");
        String transaction = result.get("id").getAsString();

        Run s = client("maria", "statement", maria);
        assertThat(s.code).as(s.toString()).isZero();
        JsonArray entries = JsonParser.parseString(s.stdout).getAsJsonObject().getAsJsonArray("entries");
        JsonObject last = entries.get(entries.size() - 1).getAsJsonObject();
        assertThat(last.get("transaction").getAsString()).isEqualTo(transaction);
        assertThat(last.get("amount").getAsLong()).isEqualTo(-12_345);
        assertThat(last.get("balanceAfter").getAsLong()).isEqualTo(50_000 - 12_345);

        assertThat(Customers.balance(b1, Customers.login(b1, "maria"), maria)).isEqualTo(50_000 - 12_345);
        assertThat(Customers.balance(b2, Customers.login(b2, "joao"), joao)).isEqualTo(12_345);
        Run balance = clientAt(b2, "joao", "balance", joao);
        assertThat(JsonParser.parseString(balance.stdout).getAsJsonObject().get("balance").getAsLong())
                .isEqualTo(12_345);
    }

    @Test
    void refusalsAreReportedAndChangeNothing() throws Exception {
        String token = Customers.login(b1, "maria");
        long before = Customers.balance(b1, token, maria);

        Run aborted = client("maria", "transfer", "--from-account", maria, "--to-bank", "b2", "--to-account", joao,
                "--amount", Long.toString(before + 1));
        assertThat(aborted.code).as(aborted.toString()).isEqualTo(3);
        JsonObject result = JsonParser.parseString(aborted.stdout).getAsJsonObject();
        assertThat(result.get("status").getAsString()).isEqualTo("ABORTED");
        assertThat(result.get("reason").getAsString()).isEqualTo("INSUFFICIENT_FUNDS");

        Run decimal = client("maria", "transfer", "--from-account", maria, "--to-bank", "b2", "--to-account", joao,
                "--amount", "10.5");
        assertThat(decimal.code).as(decimal.toString()).isEqualTo(2);
        assertThat(decimal.stderr).contains("integer cents");

        Run wrong = run(List.of(python, CLIENT.toString(), "--url", b1, "--username", "maria", "balance", maria),
                Map.of("DISTRIBANK_PASSWORD", "not-her-password"));
        assertThat(wrong.code).as(wrong.toString()).isEqualTo(1);
        assertThat(JsonParser.parseString(wrong.stderr).getAsJsonObject().get("status").getAsInt()).isEqualTo(401);

        assertThat(Customers.balance(b1, token, maria)).isEqualTo(before);
    }

    @Test
    void theModuleSignsInAndReadsTheStatement() throws Exception {
        String script = String.join("\n",
                "import json, os, sys",
                "sys.path.insert(0, os.environ['CLIENT_DIR'])",
                "from distribank_client import DistribankClient, ApiError",
                "bank = DistribankClient(os.environ['BANK_URL'])",
                "session = bank.sign_in('maria', os.environ['DISTRIBANK_PASSWORD'])",
                "entries = bank.statement(os.environ['ACCOUNT'])",
                "try:",
                "    bank.transfer(os.environ['ACCOUNT'], 'b2', '1', 1.5, from_bank='b1')",
                "    floats = 'accepted'",
                "except ValueError:",
                "    floats = 'refused'",
                "print(json.dumps({'holder': session['holder']['name'], 'first': entries[0]['kind'], 'floats': floats}))");
        Run r = run(List.of(python, "-c", script), Map.of("CLIENT_DIR", CLIENT.getParent().toString(),
                "BANK_URL", b1, "ACCOUNT", maria, "DISTRIBANK_PASSWORD", Customers.password("maria")));
        assertThat(r.code).as(r.toString()).isZero();
        JsonObject out = JsonParser.parseString(r.stdout).getAsJsonObject();
        assertThat(out.get("holder").getAsString()).isEqualTo("Maria Souza");
        assertThat(out.get("first").getAsString()).isEqualTo("DEPOSIT");
        assertThat(out.get("floats").getAsString()).isEqualTo("refused");
    }

    @Test
    void anAccountAtAnotherBankIsLinkedWithItsConsentThenPaidFromRevokedAndUnlinked() throws Exception {
        String cpf = Customers.newCpf();
        String lia1 = Customers.openPersonal(b1, "Lia Dias", cpf, "lia1");
        String lia2 = Customers.openPersonal(b2, "Lia Dias", cpf, "lia2");
        Http.Response d = Http.post(b2 + "/api/v1/deposits", Customers.login(b2, "lia2"),
                "{\"account\":\"" + lia2 + "\",\"amount\":9000}");
        assertThat(d.field("status")).as(d.toString()).isEqualTo("COMMITTED");

        // without a consent, b1 refuses a leg from Lia's b2 account (a CPF alone opens nothing at another bank)
        Run refused = client("lia1", "transfer", "--from-bank", "b2", "--from-account", lia2, "--to-bank", "b1",
                "--to-account", lia1, "--amount", "100");
        assertThat(refused.code).as(refused.toString()).isEqualTo(1);
        assertThat(JsonParser.parseString(refused.stderr).getAsJsonObject().get("error").getAsString())
                .isEqualTo("NO_CONSENT");

        // link: signed in at b1 as lia1, the command signs in at b2 as lia2 with b2's own password
        Run link = run(List.of(python, CLIENT.toString(), "--url", b1, "--username", "lia1", "link", "--other-url", b2,
                "--other-username", "lia2", "--account", lia2, "--limit", "5000", "--days", "30", "--read"),
                Map.of("DISTRIBANK_PASSWORD", Customers.password("lia1"),
                        "DISTRIBANK_OTHER_PASSWORD", Customers.password("lia2")));
        assertThat(link.code).as(link.toString()).isZero();
        JsonObject linked = JsonParser.parseString(link.stdout).getAsJsonObject();
        assertThat(linked.get("bank").getAsString()).isEqualTo("b2");
        assertThat(linked.get("remaining").getAsLong()).isEqualTo(5_000);
        assertThat(link.stdout + link.stderr).doesNotContain(Customers.password("lia2"));

        Run paid = client("lia1", "transfer", "--from-bank", "b2", "--from-account", lia2, "--to-bank", "b1",
                "--to-account", lia1, "--amount", "1500");
        assertThat(paid.code).as(paid.toString()).isZero();
        Run over = client("lia1", "transfer", "--from-bank", "b2", "--from-account", lia2, "--to-bank", "b1",
                "--to-account", lia1, "--amount", "3501");
        assertThat(over.code).as(over.toString()).isEqualTo(3);
        assertThat(JsonParser.parseString(over.stdout).getAsJsonObject().get("reason").getAsString())
                .isEqualTo("CONSENT_LIMIT");
        Run me = client("lia1", "me");
        JsonObject mine = JsonParser.parseString(me.stdout).getAsJsonObject().getAsJsonArray("linked").get(0)
                .getAsJsonObject();
        assertThat(mine.get("account").getAsString()).isEqualTo(lia2);
        assertThat(mine.get("remaining").getAsLong()).isEqualTo(3_500);
        assertThat(Customers.balance(b2, Customers.login(b2, "lia2"), lia2)).isEqualTo(7_500);

        // as a module: Lia lists and revokes the consent at b2, then unlinks the account at b1
        String script = String.join("\n",
                "import json, os, sys",
                "sys.path.insert(0, os.environ['CLIENT_DIR'])",
                "from distribank_client import DistribankClient, ApiError",
                "b2 = DistribankClient(os.environ['B2'])",
                "b2.sign_in('lia2', os.environ['P2'])",
                "consents = b2.list_consents()",
                "b2.revoke_consent(consents[0]['id'])",
                "after = b2.list_consents()[0]['status']",
                "b1 = DistribankClient(os.environ['B1'])",
                "b1.sign_in('lia1', os.environ['P1'])",
                "grant = b2.create_consent(os.environ['ACCOUNT'], 'b1', 100)",
                "b1.link_account(grant['consent'])",
                "b1.unlink_account('b2', os.environ['ACCOUNT'])",
                "try:",
                "    b1.unlink_account('b2', os.environ['ACCOUNT'])",
                "    again = 'unlinked twice'",
                "except ApiError as e:",
                "    again = e.status",
                "print(json.dumps({'grantee': consents[0]['grantee'], 'after': after, 'linked': b1.me()['linked'],",
                "                  'again': again, 'token': 'consent' in consents[0]}))");
        Run r = run(List.of(python, "-c", script), Map.of("CLIENT_DIR", CLIENT.getParent().toString(), "B1", b1,
                "B2", b2, "ACCOUNT", lia2, "P1", Customers.password("lia1"), "P2", Customers.password("lia2")));
        assertThat(r.code).as(r.toString()).isZero();
        JsonObject out = JsonParser.parseString(r.stdout).getAsJsonObject();
        assertThat(out.get("grantee").getAsString()).isEqualTo("b1");
        assertThat(out.get("after").getAsString()).isEqualTo("REVOKED");
        assertThat(out.getAsJsonArray("linked")).isEmpty();
        assertThat(out.get("again").getAsInt()).isEqualTo(404);
        assertThat(out.get("token").getAsBoolean()).isFalse(); // a token is shown once, at creation
    }

    // ---- helpers ----

    private record Run(int code, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + code + ", stdout: " + stdout + ", stderr: " + stderr;
        }
    }

    /** The client as a command at bank b1. */
    private static Run client(String user, String... command) throws Exception {
        return clientAt(b1, user, command);
    }

    private static Run clientAt(String url, String user, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, CLIENT.toString(), "--url", url, "--username", user));
        cmd.addAll(List.of(command));
        return run(cmd, Map.of("DISTRIBANK_PASSWORD", Customers.password(user)));
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        return new Run(p.exitValue(), out.strip(), err.get(10, TimeUnit.SECONDS).strip());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String pythonCommand() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "python3"))) {
                return Path.of(d, "python3").toString();
            }
        }
        return null;
    }
}
