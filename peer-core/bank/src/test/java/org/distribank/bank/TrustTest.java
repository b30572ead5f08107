package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.holder;
import static org.distribank.bank.Customers.newCnpj;
import static org.distribank.bank.Customers.newCpf;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 "Trust": no input can hurt a bank. What a client sees for each limit (BANK.md "Limits"). */
class TrustTest {

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

    private static String personalBody(String name, String cpf, String username) {
        return "{\"type\":\"PERSONAL\",\"holder\":" + holder(name, cpf, username) + "}";
    }

    private static void assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.error()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("message").getAsString()).isNotBlank();
    }

    private static String phone() {
        return "+55119" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    @Test
    void aBodyOverOneMebibyteIs413AndOpensNothing() {
        String cpf = newCpf();
        String user = "big" + cpf;
        String body = personalBody("Big Body", cpf, user);
        // 10 MiB, declared in Content-Length
        String huge = body.substring(0, body.length() - 1) + " ".repeat(10 << 20) + "}";
        assertError(Http.post(b1 + "/api/v1/accounts", null, huge), 413, "PAYLOAD_TOO_LARGE");
        // 2 MiB sent chunked (no Content-Length): counted while it is read
        byte[] chunked = (body.substring(0, body.length() - 1) + " ".repeat(2 << 20) + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(b1 + "/api/v1/accounts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString())
                .isEqualTo("PAYLOAD_TOO_LARGE");
        // nothing was opened: the same person and username open the account now
        Http.Response ok = Http.post(b1 + "/api/v1/accounts", null, body);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        // and a signed-in call too
        Customer c = personal("b1", b1, "Large Deposit");
        assertError(Http.post(b1 + "/api/v1/deposits", c.token(), "{\"account\":\"" + c.account() + "\",\"amount\":1"
                + " ".repeat(2 << 20) + "}"), 413, "PAYLOAD_TOO_LARGE");
        assertThat(balance(c)).isZero();
    }

    @Test
    void aPasswordOver72BytesIsRefusedAlikeForEveryUsername() {
        Customer c = personal("b1", b1, "Long Password");
        String tooLong = "é".repeat(37); // 37 characters, 74 bytes in UTF-8
        Http.Response known = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"" + c.username() + "\",\"password\":\"" + tooLong + "\"}");
        Http.Response unknown = Http.post(b1 + "/api/v1/sessions", null,
                "{\"username\":\"nobody-" + c.username() + "\",\"password\":\"" + tooLong + "\"}");
        assertError(known, 400, "PASSWORD_TOO_LONG");
        assertThat(unknown.status()).isEqualTo(known.status());
        assertThat(unknown.text()).isEqualTo(known.text());
        // and at opening, with a clear reason
        String cpf = newCpf();
        Http.Response open = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\"L\","
                + "\"cpf\":\"" + cpf + "\",\"username\":\"long" + cpf + "\",\"password\":\"" + tooLong + "\"}}");
        assertError(open, 400, "PASSWORD_TOO_LONG");
        assertThat(open.json().get("message").getAsString()).contains("72 bytes");
    }

    @Test
    void fiftyParallelWrongPasswordsGetAtMostFiveTriesTheRest429() throws Exception {
        Customer c = personal("b1", b1, "Target");
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "{\"username\":\"" + c.username() + "\",\"password\":\"guess-number-" + i + "\"}";
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Http.send(HttpRequest.newBuilder(URI.create(b1 + "/api/v1/sessions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                }, pool));
            }
            go.countDown();
            List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
            long tried = answers.stream().filter(a -> a.statusCode() == 401).count();
            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 429).toList();
            assertThat(tried).isBetween(1L, 5L);
            assertThat(tried + refused.size()).isEqualTo(n);
            for (HttpResponse<String> a : refused) {
                JsonObject o = JsonParser.parseString(a.body()).getAsJsonObject();
                assertThat(o.get("error").getAsString()).isEqualTo("TOO_MANY_ATTEMPTS");
                assertThat(Long.parseLong(a.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            }
            // even the right password waits now; the session from before still works
            assertThat(Http.post(b1 + "/api/v1/sessions", null, "{\"username\":\"" + c.username()
                    + "\",\"password\":\"password-" + c.username() + "\"}").status()).isEqualTo(429);
            assertThat(Http.get(b1 + "/api/v1/me", c.token()).status()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPersonHasAtMostFivePixKeysACompanyTwenty() throws Exception {
        String phone = phone();
        Customer c = Customers.personalWith("b1", b1, "Pix Max", newCpf(), ",\"phone\":\"" + phone + "\"");
        String acc = "{\"account\":\"" + c.account() + "\",";
        // e-mail and phone keys need no proof, so they must be what the holder registered at opening
        assertError(Http.post(b1 + "/api/v1/pix-keys", c.token(), acc + "\"type\":\"EMAIL\",\"value\":\"someone-else"
                + c.username() + "@example.com\"}"), 400, "NOT_YOUR_EMAIL");
        assertError(Http.post(b1 + "/api/v1/pix-keys", c.token(), acc + "\"type\":\"PHONE\",\"value\":\"" + phone()
                + "\"}"), 400, "NOT_YOUR_PHONE");
        for (String key : List.of("\"type\":\"CPF\"}", "\"type\":\"EMAIL\",\"value\":\"" + c.username()
                + "@example.com\"}", "\"type\":\"PHONE\",\"value\":\"" + phone + "\"}", "\"type\":\"RANDOM\"}",
                "\"type\":\"RANDOM\"}")) {
            Http.Response r = Http.post(b1 + "/api/v1/pix-keys", c.token(), acc + key);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        Http.Response sixth = Http.post(b1 + "/api/v1/pix-keys", c.token(), acc + "\"type\":\"RANDOM\"}");
        assertError(sixth, 409, "PIX_KEY_LIMIT");
        assertThat(Http.get(b1 + "/api/v1/pix-keys", c.token()).json().getAsJsonArray("keys")).hasSize(5);

        // registrations racing past the origin's count are stopped by the vote: still five at most
        Customer racer = personal("b2", b2, "Pix Racer");
        List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> Http.post(b2 + "/api/v1/pix-keys", racer.token(),
                    "{\"account\":\"" + racer.account() + "\",\"type\":\"RANDOM\"}")));
        }
        List<Http.Response> answers = calls.stream().map(CompletableFuture::join).toList();
        assertThat(answers.stream().filter(r -> r.status() == 201).count()).as(answers.toString()).isEqualTo(5);
        assertThat(answers.stream().filter(r -> r.status() != 201)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error()).isEqualTo("PIX_KEY_LIMIT");
        });
        assertThat(Http.get(b2 + "/api/v1/pix-keys", racer.token()).json().getAsJsonArray("keys")).hasSize(5);

        // a company's account takes more than five
        String admin = newCpf();
        Http.Response biz = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"company\":{\"name\":"
                + "\"Keys Ltda\",\"cnpj\":\"" + newCnpj() + "\"},\"holder\":" + holder("Boss", admin, "keys" + admin) + "}");
        String bizAccount = biz.json().get("account").getAsString();
        String boss = Customers.login(b1, "keys" + admin);
        for (int i = 0; i < 6; i++) {
            assertThat(Http.post(b1 + "/api/v1/pix-keys", boss, "{\"account\":\"" + bizAccount
                    + "\",\"type\":\"RANDOM\"}").status()).isEqualTo(201);
        }
    }

    @Test
    void holdersPerAccountAreBounded() {
        // JOINT: ten holders at most, at opening and afterwards
        StringBuilder eleven = new StringBuilder("{\"type\":\"JOINT\",\"holders\":[");
        List<String> cpfs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String cpf = newCpf();
            cpfs.add(cpf);
            eleven.append(i == 0 ? "" : ",").append(holder("H" + i, cpf, "h" + cpf));
        }
        Http.Response tooMany = Http.post(b1 + "/api/v1/accounts", null, eleven + "]}");
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
        String ten = eleven.substring(0, eleven.lastIndexOf(",{")) + "]}";
        Http.Response opened = Http.post(b1 + "/api/v1/accounts", null, ten);
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.json().getAsJsonArray("holders")).hasSize(10);
        String first = Customers.login(b1, "h" + cpfs.get(0));
        Http.Response eleventh = Http.post(b1 + "/api/v1/accounts/" + opened.json().get("account").getAsString()
                + "/holders", first, holder("H10", cpfs.get(10), "h" + cpfs.get(10)));
        assertError(eleventh, 409, "HOLDER_LIMIT");
        // a refused opening changed nothing: the eleventh person's username is still free
        assertThat(Http.post(b1 + "/api/v1/accounts", null, personalBody("H10", cpfs.get(10), "h" + cpfs.get(10)))
                .status()).isEqualTo(201);
        // a taken username anywhere in a joint opening refuses it whole, before any password is hashed
        String late = newCpf();
        Http.Response taken = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":["
                + holder("New", late, "new" + late) + "," + holder("Dup", newCpf(), "h" + cpfs.get(10)) + "]}");
        assertError(taken, 409, "USERNAME_TAKEN");
        assertThat(Http.post(b1 + "/api/v1/accounts", null, personalBody("New", late, "new" + late)).status())
                .isEqualTo(201);
    }

    @Test
    void duplicateJsonKeysAre400AndChangeNothing() {
        String cpf = newCpf();
        String h = holder("Twice", cpf, "twice" + cpf);
        assertError(Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"type\":\"PERSONAL\",\"holder\":"
                + h + "}"), 400, "DUPLICATE_KEY");
        Customer c = personal("b1", b1, "Twice");
        deposit(c, 100);
        assertError(Http.post(b1 + "/api/v1/withdrawals", c.token(), "{\"account\":\"" + c.account()
                + "\",\"amount\":1,\"amount\":100}"), 400, "DUPLICATE_KEY");
        // nested objects too
        assertError(Http.post(b1 + "/api/v1/transfers", c.token(), "{\"legs\":[{\"from\":{\"bank\":\"b1\",\"bank\":\"b2\","
                + "\"account\":\"" + c.account() + "\"},\"to\":{\"bank\":\"b2\",\"account\":\"1001\"},\"amount\":5}]}"),
                400, "DUPLICATE_KEY");
        assertThat(balance(c)).isEqualTo(100);
        assertThat(Http.post(b1 + "/api/v1/accounts", null, personalBody("Twice", cpf, "twice" + cpf)).status())
                .isEqualTo(201);
    }

    @Test
    void namesWithControlOrBidiCharactersAre400() {
        String cpf = newCpf();
        // U+202E RIGHT-TO-LEFT OVERRIDE makes "Ana\u202Eorierrab" display as another name
        for (String name : List.of("Ana\\u202Eorierrab", "Ana\\nSilva", "Ana\\u0000", "Ana\\u200BSilva")) {
            Http.Response r = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":"
                    + holder(name, cpf, "ctl" + cpf) + "}");
            assertError(r, 400, "INVALID_NAME");
        }
        Http.Response company = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"company\":{\"name\":"
                + "\"ACME\\u202E\",\"cnpj\":\"" + newCnpj() + "\"},\"holder\":" + holder("Ana", cpf, "ctl" + cpf) + "}");
        assertError(company, 400, "INVALID_NAME");
        // accents and apostrophes are names
        Http.Response ok = Http.post(b1 + "/api/v1/accounts", null, personalBody("João D'Ávila Ñuñez", cpf, "ctl" + cpf));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void aTransactionIdBelongsToItsCustomer() {
        Customer a = personal("b1", b1, "Id Owner");
        Customer b = personal("b1", b1, "Id Squatter");
        String id = "tx-" + UUID.randomUUID().toString().substring(0, 8);
        // someone else takes the id first: the owner's request is not refused for it
        Http.Response squat = Http.post(b1 + "/api/v1/deposits", b.token(), "{\"id\":\"" + id + "\",\"account\":\""
                + b.account() + "\",\"amount\":5}");
        assertThat(squat.status()).as(squat.toString()).isEqualTo(200);
        String body = "{\"id\":\"" + id + "\",\"account\":\"" + a.account() + "\",\"amount\":700}";
        Http.Response mine = Http.post(b1 + "/api/v1/deposits", a.token(), body);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(mine.json().get("id").getAsString()).isEqualTo(id);
        assertThat(balance(a)).isEqualTo(700);
        // each finds their own under the id they chose, in answers and statements
        assertThat(Http.get(b1 + "/api/v1/transactions/" + id, a.token()).json()).isEqualTo(mine.json());
        assertThat(Http.get(b1 + "/api/v1/transactions/" + id, b.token()).json()).isEqualTo(squat.json());
        JsonArray entries = Http.get(b1 + "/api/v1/accounts/" + a.account() + "/statement", a.token()).json()
                .getAsJsonArray("entries");
        assertThat(entries.get(0).getAsJsonObject().get("transaction").getAsString()).isEqualTo(id);
        // idempotency for the owner as before
        assertThat(Http.post(b1 + "/api/v1/deposits", a.token(), body).json()).isEqualTo(mine.json());
        assertError(Http.post(b1 + "/api/v1/deposits", a.token(), body.replace("700", "701")), 409,
                "IDEMPOTENCY_CONFLICT");
        assertThat(balance(a)).isEqualTo(700);
        assertThat(balance(b)).isEqualTo(5);
    }

    @Test
    void onlyTheFirstHolderOrAdminManagesPeopleAndOnlyTheAdminABusinessKeys() {
        // JOINT [Ana, Bia]: Ana, listed first, manages the co-holders
        String ana = newCpf();
        String bia = newCpf();
        Http.Response j = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":["
                + holder("Ana", ana, "ana" + ana) + "," + holder("Bia", bia, "bia" + bia) + "]}");
        String joint = j.json().get("account").getAsString();
        String anaT = Customers.login(b1, "ana" + ana);
        String biaT = Customers.login(b1, "bia" + bia);
        String cai = newCpf();
        assertError(Http.post(b1 + "/api/v1/accounts/" + joint + "/holders", biaT, holder("Cai", cai, "cai" + cai)),
                403, "NOT_ACCOUNT_MANAGER");
        assertThat(Http.post(b1 + "/api/v1/accounts/" + joint + "/holders", anaT, holder("Cai", cai, "cai" + cai))
                .status()).isEqualTo(201);
        String caiT = Customers.login(b1, "cai" + cai);
        assertThat(Http.get(b1 + "/api/v1/accounts/" + joint, caiT).status()).isEqualTo(200);
        // a holder whose own CPF is a key of the account keeps it until the key goes
        Http.Response caiKey = Http.post(b1 + "/api/v1/pix-keys", caiT, "{\"account\":\"" + joint + "\",\"type\":\"CPF\"}");
        assertThat(caiKey.status()).isEqualTo(201);
        assertError(Http.delete(b1 + "/api/v1/accounts/" + joint + "/holders/" + cai, anaT), 409, "HOLDER_HAS_PIX_KEYS");
        assertThat(Http.delete(b1 + "/api/v1/pix-keys/" + cai, caiT).status()).isEqualTo(204);
        assertError(Http.delete(b1 + "/api/v1/accounts/" + joint + "/holders/" + cai, biaT), 403, "NOT_ACCOUNT_MANAGER");
        Http.Response removed = Http.delete(b1 + "/api/v1/accounts/" + joint + "/holders/" + cai, anaT);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().getAsJsonArray("holders")).hasSize(2);
        assertThat(Http.get(b1 + "/api/v1/accounts/" + joint, caiT).status()).isEqualTo(404);
        assertError(Http.delete(b1 + "/api/v1/accounts/" + joint + "/holders/" + bia, anaT), 409, "JOINT_NEEDS_TWO");
        assertError(Http.delete(b1 + "/api/v1/accounts/" + joint + "/holders/" + ana, anaT), 409,
                "CANNOT_REMOVE_MANAGER");

        // BUSINESS: the admin manages employees and keys; an employee pays, but neither
        String boss = newCpf();
        Http.Response b = Http.post(b1 + "/api/v1/accounts", null, "{\"type\":\"BUSINESS\",\"company\":{\"name\":"
                + "\"Roles Ltda\",\"cnpj\":\"" + newCnpj() + "\"},\"holder\":" + holder("Boss", boss, "boss" + boss) + "}");
        String biz = b.json().get("account").getAsString();
        String bossT = Customers.login(b1, "boss" + boss);
        String emp = newCpf();
        assertThat(Http.post(b1 + "/api/v1/accounts/" + biz + "/holders", bossT, holder("Emp", emp, "emp" + emp))
                .status()).isEqualTo(201);
        String empT = Customers.login(b1, "emp" + emp);
        assertError(Http.post(b1 + "/api/v1/pix-keys", empT, "{\"account\":\"" + biz + "\",\"type\":\"CNPJ\"}"), 403,
                "NOT_ADMIN");
        Http.Response cnpjKey = Http.post(b1 + "/api/v1/pix-keys", bossT, "{\"account\":\"" + biz + "\",\"type\":\"CNPJ\"}");
        assertThat(cnpjKey.status()).isEqualTo(201);
        String key = cnpjKey.json().get("key").getAsString();
        assertThat(Http.delete(b1 + "/api/v1/pix-keys/" + key, empT).status()).isEqualTo(403);
        assertThat(Http.get(b1 + "/api/v1/pix-keys/" + key, empT).status()).isEqualTo(200);
        assertError(Http.delete(b1 + "/api/v1/accounts/" + biz + "/holders/" + boss, empT), 403, "NOT_ADMIN");
        assertThat(Http.post(b1 + "/api/v1/deposits", empT, "{\"account\":\"" + biz + "\",\"amount\":10}").status())
                .isEqualTo(200);
        assertThat(Http.delete(b1 + "/api/v1/accounts/" + biz + "/holders/" + emp, bossT).status()).isEqualTo(200);
        assertThat(Http.post(b1 + "/api/v1/deposits", empT, "{\"account\":\"" + biz + "\",\"amount\":10}").status())
                .isEqualTo(404);
    }
}
