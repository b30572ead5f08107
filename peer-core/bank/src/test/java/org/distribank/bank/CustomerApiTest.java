package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.holder;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.newCnpj;
import static org.distribank.bank.Customers.newCpf;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.execution.TransactionService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every customer endpoint's success and refusals, on two banks with a data server each. */
class CustomerApiTest {

    @TempDir
    static Path dir;
    static BankCluster cluster;
    static String b1;
    static String b2;

    @BeforeAll
    static void start() {
        cluster = BankCluster.start(dir, 2, false);
        b1 = cluster.url("b1");
        b2 = cluster.url("b2");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void opensPersonalJointAndBusinessAccounts() {
        String cpf = newCpf();
        Http.Response p = Http.post(b1 + "/api/v1/accounts", null,
                "{\"type\":\"PERSONAL\",\"holder\":" + holder("Maria da Silva", cpf, "maria" + cpf) + "}");
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        assertThat(p.json().get("bank").getAsString()).isEqualTo("b1");
        assertThat(p.json().get("type").getAsString()).isEqualTo("PERSONAL");
        assertThat(p.json().get("balance").getAsLong()).isZero();
        assertThat(p.json().getAsJsonArray("holders").get(0).getAsJsonObject().get("cpf").getAsString()).isEqualTo(cpf);

        String c1 = newCpf();
        String c2 = newCpf();
        Http.Response j = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":["
                + holder("Joao", c1, "joao" + c1) + "," + holder("Jana", c2, "jana" + c2) + "]}");
        assertThat(j.status()).as(j.toString()).isEqualTo(201);
        assertThat(j.json().getAsJsonArray("holders")).hasSize(2);
        // each joint holder has their own login and sees the account
        String t2 = Customers.login(b1, "jana" + c2);
        assertThat(Http.get(b1 + "/api/v1/accounts/" + j.json().get("account").getAsString(), t2).status()).isEqualTo(200);

        String admin = newCpf();
        String cnpj = newCnpj();
        Http.Response b = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"company\":{\"name\":\"ACME Ltda\","
                + "\"cnpj\":\"" + cnpj + "\"},\"holder\":" + holder("Boss", admin, "boss" + admin) + "}");
        assertThat(b.status()).as(b.toString()).isEqualTo(201);
        assertThat(b.json().getAsJsonArray("holders").get(0).getAsJsonObject().get("role").getAsString()).isEqualTo("ADMIN");
        String account = b.json().get("account").getAsString();
        // the admin adds an employee, who may pay from the business account
        String bossToken = Customers.login(b1, "boss" + admin);
        String emp = newCpf();
        Http.Response e = Http.post(b1 + "/api/v1/accounts/" + account + "/holders", bossToken,
                holder("Worker", emp, "worker" + emp));
        assertThat(e.status()).as(e.toString()).isEqualTo(201);
        assertThat(e.json().getAsJsonArray("holders").get(1).getAsJsonObject().get("role").getAsString())
                .isEqualTo("EMPLOYEE");
        String empToken = Customers.login(b1, "worker" + emp);
        Http.Response dep = Http.post(b1 + "/api/v1/deposits", empToken, "{\"account\":\"" + account + "\",\"amount\":500}");
        assertThat(dep.json().get("status").getAsString()).isEqualTo("COMMITTED");
        Http.Response wd = Http.post(b1 + "/api/v1/withdrawals", empToken, "{\"account\":\"" + account + "\",\"amount\":200}");
        assertThat(wd.json().get("status").getAsString()).isEqualTo("COMMITTED");
        // an employee does not add employees
        Http.Response notAdmin = Http.post(b1 + "/api/v1/accounts/" + account + "/holders", empToken,
                holder("Other", newCpf(), "other" + emp));
        assertThat(notAdmin.status()).isEqualTo(403);
        // the same CNPJ twice at this bank
        Http.Response again = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"company\":{\"name\":\"ACME\","
                + "\"cnpj\":\"" + cnpj + "\"},\"holder\":" + holder("Boss", admin, "boss" + admin) + "}");
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void aJointHolderAddsACoHolderAndAPersonalAccountTakesNone() {
        String c1 = newCpf();
        String c2 = newCpf();
        Http.Response j = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":["
                + holder("Tito", c1, "tito" + c1) + "," + holder("Tina", c2, "tina" + c2) + "]}");
        String account = j.json().get("account").getAsString();
        String token = Customers.login(b1, "tito" + c1);
        String c3 = newCpf();
        Http.Response added = Http.post(b1 + "/api/v1/accounts/" + account + "/holders", token,
                holder("Tuca", c3, "tuca" + c3));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.json().getAsJsonArray("holders")).hasSize(3);
        String t3 = Customers.login(b1, "tuca" + c3);
        assertThat(Http.get(b1 + "/api/v1/accounts/" + account, t3).status()).isEqualTo(200);
        assertThat(Http.post(b1 + "/api/v1/accounts/" + account + "/holders", token,
                holder("Tuca", c3, "tuca" + c3)).status()).isEqualTo(409);
        Customer p = personal("b1", b1, "Solo");
        Http.Response personalHolder = Http.post(b1 + "/api/v1/accounts/" + p.account() + "/holders", p.token(),
                holder("Second", newCpf(), "second" + p.username()));
        assertThat(personalHolder.status()).isEqualTo(409);
        assertThat(Http.post(b1 + "/api/v1/accounts/999999/holders", p.token(),
                holder("Ghost", newCpf(), "ghost" + p.username())).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/sessions", "/api/v1/pix-keys", "/api/v1/deposits", "/api/v1/withdrawals",
        "/api/v1/transfers", "/api/v1/accounts", "/api/v1/accounts/1001/holders"})
    void malformedJsonIs400Everywhere(String path) {
        Customer c = personal("b1", b1, "Malu");
        for (String body : List.of("not json", "{\"a\":", "{} extra", "[1,2]", "")) {
            Http.Response r = Http.post(b1 + path.replace("1001", c.account()), c.token(), body);
            assertThat(r.status()).as(path + " " + body + " " + r).isEqualTo(400);
            assertThat(r.error()).isNotBlank();
            assertThat(r.json().get("message").getAsString()).isNotBlank();
        }
    }

    @Test
    void takenUsernameAndSecondAccountOfATypeAreConflicts() {
        Customer c = personal("b1", b1, "Pedro Alves");
        Http.Response sameUser = Http.post(b1 + "/api/v1/accounts", null,
                "{\"type\":\"PERSONAL\",\"holder\":" + holder("Other", newCpf(), c.username()) + "}");
        assertThat(sameUser.status()).isEqualTo(409);
        assertThat(sameUser.error()).isEqualTo("USERNAME_TAKEN");
        Http.Response second = Http.post(b1 + "/api/v1/accounts", null,
                "{\"type\":\"PERSONAL\",\"holder\":" + holder("Pedro Alves", c.cpf(), c.username()) + "}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.error()).isEqualTo("ACCOUNT_EXISTS");
        // the same person may open another type (same login) and a personal account at another bank
        Http.Response joint = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":["
                + holder("Pedro Alves", c.cpf(), c.username()) + "," + holder("Zoe", newCpf(), "zoe" + c.username()) + "]}");
        assertThat(joint.status()).as(joint.toString()).isEqualTo(201);
        Customer there = Customers.samePersonAt(c, "b2", b2);
        Http.Response me = Http.get(b1 + "/api/v1/me", c.token());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getAsJsonArray("accounts")).hasSize(2);
        // the same CPF at another bank reveals nothing here: only accounts linked with a consent show (API.md v1.1)
        Customers.deposit(there, 321);
        assertThat(me.json().getAsJsonArray("linked")).isEmpty();
        assertThat(me.json().has("elsewhere")).isFalse();
        assertThat(me.text()).doesNotContain("\"b2\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{\"type\":\"SAVINGS\",\"holder\":{}}",
        "{\"type\":\"personal\",\"holder\":{}}",
        "{\"type\":\"PERSONAL\"}",
        "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\"A\",\"cpf\":\"12345678900\",\"username\":\"abcde\",\"password\":\"password1\"}}",
        "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\"A\",\"cpf\":\"52998224725\",\"username\":\"abcde\",\"password\":\"short\"}}",
        "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\"A\",\"cpf\":52998224725,\"username\":\"abcde\",\"password\":\"password1\"}}",
        "{\"type\":\"JOINT\",\"holders\":[{\"name\":\"A\",\"cpf\":\"52998224725\",\"username\":\"abcde\",\"password\":\"password1\"}]}",
        "{\"type\":\"JOINT\",\"holders\":[{\"name\":\"A\",\"cpf\":\"52998224725\",\"username\":\"abcde\",\"password\":\"password1\"},"
                + "{\"name\":\"B\",\"cpf\":\"52998224725\",\"username\":\"fghij\",\"password\":\"password1\"}]}",
        "{\"type\":\"BUSINESS\",\"company\":{\"name\":\"X\",\"cnpj\":\"11222333000180\"},"
                + "\"holder\":{\"name\":\"A\",\"cpf\":\"52998224725\",\"username\":\"abcde\",\"password\":\"password1\"}}"
    })
    void badAccountRequestsAre400AndOpenNothing(String body) {
        Http.Response r = Http.post(b1 + "/api/v1/accounts", null, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().has("message")).isTrue();
        // nothing was opened: the username is still free
        String cpf = newCpf();
        Http.Response free = Http.post(b1 + "/api/v1/accounts", null,
                "{\"type\":\"PERSONAL\",\"holder\":" + holder("A", cpf, "abcde" + cpf) + "}");
        assertThat(free.status()).isEqualTo(201);
        assertThat(Http.post(b1 + "/api/v1/sessions", null, "{\"username\":\"abcde\",\"password\":\"password1\"}")
                .status()).isIn(401, 429);
    }

    // ------------------------------------------------------------------ sessions

    @Test
    void signInSignOutAndTheSame401ForUnknownUserAndWrongPassword() {
        Customer c = personal("b1", b1, "Lia Rocha");
        Http.Response ok = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"" + c.username() + "\",\"password\":\"password-" + c.username() + "\"}");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("token").getAsString()).matches("[A-Za-z0-9_-]{43}");
        assertThat(ok.json().has("expiresAt")).isTrue();
        assertThat(ok.json().getAsJsonObject("holder").get("cpf").getAsString()).isEqualTo(c.cpf());
        assertThat(ok.json().getAsJsonArray("accounts").get(0).getAsJsonObject().get("account").getAsString())
                .isEqualTo(c.account());
        Http.Response wrong = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"" + c.username() + "\",\"password\":\"wrong-password\"}");
        Http.Response unknown = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"nobody-" + c.username() + "\",\"password\":\"wrong-password\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.text()).isEqualTo(unknown.text());
        String token = ok.json().get("token").getAsString();
        assertThat(Http.get(b1 + "/api/v1/me", token).status()).isEqualTo(200);
        assertThat(Http.delete(b1 + "/api/v1/sessions/current", token).status()).isEqualTo(204);
        assertThat(Http.get(b1 + "/api/v1/me", token).status()).isEqualTo(401);
        // a session of b1 means nothing at b2, and forged tokens nothing anywhere
        assertThat(Http.get(b2 + "/api/v1/me", c.token()).status()).isEqualTo(401);
        assertThat(Http.get(b1 + "/api/v1/me", "forged-token").status()).isEqualTo(401);
        assertThat(Http.get(b1 + "/api/v1/me", null).status()).isEqualTo(401);
    }

    @Test
    void fiveFailedSignInsLockTheUsernameWith429() {
        Customer c = personal("b1", b1, "Rui Costa");
        for (int i = 0; i < 5; i++) {
            assertThat(Http.post(b1 + "/api/v1/sessions", null,
                    "{\"username\":\"" + c.username() + "\",\"password\":\"bad-password\"}").status()).isEqualTo(401);
        }
        Http.Response locked = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"" + c.username() + "\",\"password\":\"password-" + c.username() + "\"}");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.error()).isEqualTo("TOO_MANY_ATTEMPTS");
        // the existing session still works
        assertThat(Http.get(b1 + "/api/v1/me", c.token()).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ accounts and statements

    @Test
    void anotherCustomersAccountAndAnUnknownOneAreAnsweredAlike() {
        Customer a = personal("b1", b1, "Ana");
        Customer b = personal("b1", b1, "Beto");
        deposit(b, 1_000);
        // someone else's account looks exactly like one that does not exist: same status, same body shape
        Http.Response theirs = Http.get(b1 + "/api/v1/accounts/" + b.account(), a.token());
        Http.Response none = Http.get(b1 + "/api/v1/accounts/999999", a.token());
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(none.status()).isEqualTo(404);
        assertThat(theirs.text().replace(b.account(), "N")).isEqualTo(none.text().replace("999999", "N"));
        assertThat(Http.get(b1 + "/api/v1/accounts/" + b.account() + "/statement", a.token()).status()).isEqualTo(404);
        assertThat(Http.post(b1 + "/api/v1/withdrawals", a.token(), "{\"account\":\"" + b.account() + "\",\"amount\":1}")
                .status()).isEqualTo(404);
        assertThat(Http.post(b1 + "/api/v1/deposits", a.token(), "{\"account\":\"" + b.account() + "\",\"amount\":1}")
                .status()).isEqualTo(404);
        Http.Response transfer = Http.post(b1 + "/api/v1/transfers", a.token(), "{\"legs\":[" + leg("b1", b.account(),
                "b1", a.account(), 1) + "]}");
        Http.Response transferNone = Http.post(b1 + "/api/v1/transfers", a.token(), "{\"legs\":[" + leg("b1", "999999",
                "b1", a.account(), 1) + "]}");
        assertThat(transfer.status()).isEqualTo(404);
        assertThat(transfer.text().replace(b.account(), "N")).isEqualTo(transferNone.text().replace("999999", "N"));
        assertThat(Http.post(b1 + "/api/v1/accounts/" + b.account() + "/holders", a.token(),
                holder("X", newCpf(), "x" + a.username())).status()).isEqualTo(404);
        assertThat(balance(b)).isEqualTo(1_000);
    }

    @Test
    void depositWithdrawStatementAndTransactionLookup() {
        Customer c = personal("b1", b1, "Davi");
        JsonObject d = deposit(c, 10_000);
        Http.Response w = Http.post(b1 + "/api/v1/withdrawals", c.token(), "{\"account\":\"" + c.account() + "\",\"amount\":3000}");
        assertThat(w.json().get("status").getAsString()).isEqualTo("COMMITTED");
        Http.Response tooMuch = Http.post(b1 + "/api/v1/withdrawals", c.token(),
                "{\"account\":\"" + c.account() + "\",\"amount\":7001}");
        assertThat(tooMuch.status()).isEqualTo(200);
        assertThat(tooMuch.json().get("status").getAsString()).isEqualTo("ABORTED");
        assertThat(tooMuch.json().get("reason").getAsString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(tooMuch.json().get("failedLeg").getAsInt()).isZero();
        assertThat(balance(c)).isEqualTo(7_000);
        Http.Response st = Http.get(b1 + "/api/v1/accounts/" + c.account() + "/statement", c.token());
        JsonArray entries = st.json().getAsJsonArray("entries");
        assertThat(entries).hasSize(2);
        JsonObject first = entries.get(0).getAsJsonObject();
        assertThat(first.get("kind").getAsString()).isEqualTo("DEPOSIT");
        assertThat(first.get("amount").getAsLong()).isEqualTo(10_000);
        assertThat(first.get("transaction").getAsString()).isEqualTo(d.get("id").getAsString());
        assertThat(entries.get(1).getAsJsonObject().get("amount").getAsLong()).isEqualTo(-3_000);
        assertThat(entries.get(1).getAsJsonObject().get("balanceAfter").getAsLong()).isEqualTo(7_000);
        Http.Response t = Http.get(b1 + "/api/v1/transactions/" + d.get("id").getAsString(), c.token());
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.json().get("status").getAsString()).isEqualTo("COMMITTED");
        Customer other = personal("b1", b1, "Eva");
        assertThat(Http.get(b1 + "/api/v1/transactions/" + d.get("id").getAsString(), other.token()).status())
                .isEqualTo(404);
        // the data server gets the origin's outcome records too (written beside the postings)
        try (org.distribank.bank.ledger.LedgerClient ledger = new org.distribank.bank.ledger.LedgerClient(
                cluster.bank("b1").options().dataServer())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                // kept under the operation id, the client's id scoped to the customer (TransactionService.scopedId)
                assertThat(ledger.transaction(TransactionService.scopedId(c.cpf(), d.get("id").getAsString()))
                        .map(o -> o.get("status").getAsString())).contains("COMMITTED");
                assertThat(ledger.transaction(TransactionService.scopedId(c.cpf(), tooMuch.json().get("id").getAsString()))
                        .map(o -> o.get("reason").getAsString())).contains("INSUFFICIENT_FUNDS");
            });
        }
        assertThat(Http.get(b1 + "/api/v1/transactions/" + UUID.randomUUID(), c.token()).status()).isEqualTo(404);
    }

    @Test
    void sameIdSameBodyAppliesOnceAndAnotherBodyIs409() {
        Customer c = personal("b1", b1, "Fabio");
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"account\":\"" + c.account() + "\",\"amount\":700}";
        Http.Response first = Http.post(b1 + "/api/v1/deposits", c.token(), body);
        Http.Response second = Http.post(b1 + "/api/v1/deposits", c.token(), body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(balance(c)).isEqualTo(700);
        Http.Response other = Http.post(b1 + "/api/v1/deposits", c.token(),
                "{\"id\":\"" + id + "\",\"account\":\"" + c.account() + "\",\"amount\":701}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.error()).isEqualTo("IDEMPOTENCY_CONFLICT");
        Http.Response asWithdrawal = Http.post(b1 + "/api/v1/withdrawals", c.token(), body);
        assertThat(asWithdrawal.status()).isEqualTo(409);
        // the same id at another bank, with another body, is refused there too
        Customer there = Customers.samePersonAt(c, "b2", b2);
        Http.Response elsewhere = Http.post(b2 + "/api/v1/deposits", there.token(),
                "{\"id\":\"" + id + "\",\"account\":\"" + there.account() + "\",\"amount\":700}");
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(409);
        assertThat(balance(c)).isEqualTo(700);
        assertThat(balance(there)).isZero();
    }

    @Test
    void aTransferRetriedAtAnotherBankWithTheSameIdGivesTheSameResultAndMovesMoneyOnce() {
        Customer payer = personal("b1", b1, "Rita");
        deposit(payer, 5_000);
        Customer payerAtB2 = Customers.samePersonAt(payer, "b2", b2);
        Customers.link(payer, payerAtB2, 5_000); // so b2 may order a debit of the b1 account
        Customer payee = personal("b2", b2, "Sara");
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"legs\":[" + Customers.leg("b1", payer.account(), "b2",
                payee.account(), 1_200) + "]}";
        Http.Response first = Http.post(b1 + "/api/v1/transfers", payer.token(), body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        // the customer's bank went quiet after answering, say: the app retries the same request elsewhere
        Http.Response retried = Http.post(b2 + "/api/v1/transfers", payerAtB2.token(), body);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(retried.json().get("id").getAsString()).isEqualTo(id);
        assertThat(balance(payer)).isEqualTo(3_800);
        assertThat(balance(payee)).isEqualTo(1_200);
    }

    @Test
    void theSameIdSentConcurrentlyAppliesOnce() throws Exception {
        Customer c = personal("b1", b1, "Otavio");
        String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"account\":\"" + c.account() + "\",\"amount\":250}";
        List<java.util.concurrent.CompletableFuture<Http.Response>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> Http.post(b1 + "/api/v1/deposits", c.token(), body)));
        }
        for (var f : calls) {
            Http.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
        }
        assertThat(balance(c)).isEqualTo(250);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "0", "1.5", "10.0", "1e3", "\"100\"", "null", "true", "100000000000001",
        "99999999999999999999999", "NaN"})
    void badAmountsAre400AndChangeNothing(String amount) {
        Customer c = personal("b1", b1, "Gil");
        deposit(c, 1_000);
        Customer payee = personal("b2", b2, "Hugo");
        for (String path : List.of("/api/v1/deposits", "/api/v1/withdrawals")) {
            Http.Response r = Http.post(b1 + path, c.token(), "{\"account\":\"" + c.account() + "\",\"amount\":" + amount + "}");
            assertThat(r.status()).as(path + " " + amount + " " + r).isEqualTo(400);
            assertThat(r.json().has("message")).isTrue();
        }
        Http.Response t = Http.post(b1 + "/api/v1/transfers", c.token(), "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\""
                + c.account() + "\"},\"to\":{\"bank\":\"b2\",\"account\":\"" + payee.account() + "\"},\"amount\":" + amount + "}]}");
        assertThat(t.status()).as(t.toString()).isEqualTo(400);
        assertThat(balance(c)).isEqualTo(1_000);
        assertThat(balance(payee)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{",
        "{\"legs\":[]}",
        "{\"legs\":{}}",
        "{\"legs\":[1]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b9\",\"account\":\"1001\"},\"to\":{\"bank\":\"b2\",\"account\":\"1001\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"to\":{\"bank\":\"b7\",\"account\":\"1001\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"to\":{\"pixKey\":\"not a key\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"to\":{\"pixKey\":\"nobody@example.com\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"to\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"999999\"},\"to\":{\"bank\":\"b2\",\"account\":\"1001\"},\"amount\":1}]}",
        "{\"legs\":[{\"from\":\"b1\",\"to\":{\"bank\":\"b2\",\"account\":\"1001\"},\"amount\":1}]}",
        "{\"id\":\"has spaces\",\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"ACC\"},\"to\":{\"bank\":\"b2\",\"account\":\"1001\"},\"amount\":1}]}"
    })
    void badTransfersAre4xxAndChangeNothing(String template) {
        Customer c = personal("b1", b1, "Ivo");
        deposit(c, 1_000);
        Http.Response r = Http.post(b1 + "/api/v1/transfers", c.token(), template.replace("ACC", c.account()));
        assertThat(r.status()).as(r.toString()).isBetween(400, 404);
        assertThat(r.json().has("error")).isTrue();
        assertThat(balance(c)).isEqualTo(1_000);
    }

    @Test
    void unknownRoutesAndHealthAndOpenApi() {
        assertThat(Http.get(b1 + "/health", null).json().get("status").getAsString()).isEqualTo("UP");
        Http.Response nf = Http.get(b1 + "/api/v1/nothing", null);
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.error()).isEqualTo("NOT_FOUND");
        Http.Response doc = Http.get(b1 + "/openapi.json", null);
        assertThat(doc.json().get("openapi").getAsString()).startsWith("3.");
    }

    // ------------------------------------------------------------------ PIX

    @Test
    void pixKeysRegisterListResolveAndRemove() {
        Customer c = personal("b1", b1, "Julia Prado");
        Http.Response cpfKey = Http.post(b1 + "/api/v1/pix-keys", c.token(),
                "{\"account\":\"" + c.account() + "\",\"type\":\"CPF\"}");
        assertThat(cpfKey.status()).as(cpfKey.toString()).isEqualTo(201);
        assertThat(cpfKey.json().get("key").getAsString()).isEqualTo(c.cpf());
        Http.Response random = Http.post(b1 + "/api/v1/pix-keys", c.token(),
                "{\"account\":\"" + c.account() + "\",\"type\":\"RANDOM\"}");
        assertThat(random.status()).isEqualTo(201);
        String randomKey = random.json().get("key").getAsString();
        assertThat(Http.get(b1 + "/api/v1/pix-keys", c.token()).json().getAsJsonArray("keys")).hasSize(2);
        // resolved at the other bank too, and taken there
        Customer other = personal("b2", b2, "Kaue");
        Http.Response resolved = Http.get(b2 + "/api/v1/pix-keys/" + randomKey, other.token());
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.json().get("name").getAsString()).isEqualTo("Julia P****");
        Http.Response dup = Http.post(b2 + "/api/v1/pix-keys", other.token(),
                "{\"account\":\"" + other.account() + "\",\"type\":\"RANDOM\",\"value\":\"" + randomKey + "\"}");
        assertThat(dup.status()).isEqualTo(400);
        // someone else's CPF, another's account, a bad e-mail, an unknown type
        assertThat(Http.post(b2 + "/api/v1/pix-keys", other.token(), "{\"account\":\"" + other.account()
                + "\",\"type\":\"CPF\",\"value\":\"" + c.cpf() + "\"}").status()).isEqualTo(400);
        Customer neighbour = personal("b1", b1, "Lu");
        assertThat(Http.post(b1 + "/api/v1/pix-keys", neighbour.token(), "{\"account\":\"" + c.account()
                + "\",\"type\":\"EMAIL\",\"value\":\"k@example.com\"}").status()).isEqualTo(404);
        assertThat(Http.post(b2 + "/api/v1/pix-keys", other.token(), "{\"account\":\"" + other.account()
                + "\",\"type\":\"EMAIL\",\"value\":\"not-an-email\"}").status()).isEqualTo(400);
        assertThat(Http.post(b2 + "/api/v1/pix-keys", other.token(), "{\"account\":\"" + other.account()
                + "\",\"type\":\"TWITTER\",\"value\":\"@x\"}").status()).isEqualTo(400);
        // taken anywhere: the same e-mail from two banks (each person registered it at their bank)
        String email = c.username() + "@example.com";
        other = Customers.personalWith("b2", b2, "Kaue", newCpf(), ",\"email\":\"" + email + "\"");
        assertThat(Http.post(b1 + "/api/v1/pix-keys", c.token(), "{\"account\":\"" + c.account()
                + "\",\"type\":\"EMAIL\",\"value\":\"" + email + "\"}").status()).isEqualTo(201);
        Http.Response taken = Http.post(b2 + "/api/v1/pix-keys", other.token(), "{\"account\":\"" + other.account()
                + "\",\"type\":\"EMAIL\",\"value\":\"" + email.toUpperCase() + "\"}");
        assertThat(taken.status()).isEqualTo(409);
        // only the owner removes it; then it is gone everywhere
        assertThat(Http.delete(b2 + "/api/v1/pix-keys/" + email, other.token()).status()).isEqualTo(403);
        assertThat(Http.delete(b1 + "/api/v1/pix-keys/" + email, c.token()).status()).isEqualTo(204);
        assertThat(Http.get(b2 + "/api/v1/pix-keys/" + email, other.token()).status()).isEqualTo(404);
        assertThat(Http.delete(b1 + "/api/v1/pix-keys/" + email, c.token()).status()).isEqualTo(404);
        assertThat(Http.get(b1 + "/api/v1/pix-keys/" + randomKey, null).status()).isEqualTo(401);
        // and now the other customer may take it
        assertThat(Http.post(b2 + "/api/v1/pix-keys", other.token(), "{\"account\":\"" + other.account()
                + "\",\"type\":\"EMAIL\",\"value\":\"" + email + "\"}").status()).isEqualTo(201);
    }
}
