package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.execution.TransactionService;
import org.distribank.dataserver.OpenApiContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank's {@code /openapi.json} is a valid OpenAPI 3 document whose schemas tell the truth: every route is
 * called on real banks (two, one data server) with a real request, and its real answer is checked against the
 * schema the document gives for that route and status (strictly: no undocumented field), errors included.
 */
class BankApiContractTest {

    /**
     * Not called here: the protocol library's own routes (frames, heartbeats, the WebSocket link, view-ballot
     * messages and relay fetches: ViewWireRoutesTest calls those), the SSE stream, and retiring a bank (its success
     * ends the bank: RetireBankTest checks both its answers against this document; here only its refusal), and
     * adding a bank and its first snapshot (AddBankTest checks those against this document).
     */
    private static final Set<String> NOT_CALLED = Set.of("POST /peer/v1/messages", "POST /peer/v1/heartbeat",
            "GET /peer/v1/link", "GET /api/v1/events", "POST /peer/v1/ballot", "POST /peer/v1/fetch",
            "POST /api/v1/admin/retire", "POST /peer/v1/transfer", "POST /api/v1/admin/add-bank");

    private OpenApiContract contract;

    @Test
    void everyRouteAnswersWhatTheDocumentSays(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, true)) {
            String b1 = cluster.url("b1");
            String b2 = cluster.url("b2");
            Http.Response docAnswer = Http.get(b1 + "/openapi.json", null);
            contract = new OpenApiContract(docAnswer.text());
            assertThat(contract.withSuccessSchema()).isEqualTo(contract.operations().size());
            call("GET", "/openapi.json", b1, "/openapi.json", null, null, 200);
            call("GET", "/health", b1, "/health", null, null, 200);

            // accounts, holders, sessions
            String cpfA = Customers.newCpf();
            String cpfB = Customers.newCpf();
            String userA = "ua" + UUID.randomUUID().toString().substring(0, 8);
            String userB = "ub" + UUID.randomUUID().toString().substring(0, 8);
            JsonObject joint = call("POST", "/api/v1/accounts", b1, "/api/v1/accounts", null,
                    "{\"type\":\"JOINT\",\"holders\":[" + Customers.holder("Ana Lima", cpfA, userA,
                            ",\"email\":\"ana@example.com\"") + "," + Customers.holder("Bia Reis", cpfB, userB) + "]}",
                    201);
            String account = joint.get("account").getAsString();
            JsonObject session = call("POST", "/api/v1/sessions", b1, "/api/v1/sessions", null,
                    "{\"username\":\"" + userA + "\",\"password\":\"password-" + userA + "\"}", 201);
            String token = session.get("token").getAsString();
            String cpfC = Customers.newCpf();
            call("POST", "/api/v1/accounts/{account}/holders", b1, "/api/v1/accounts/" + account + "/holders", token,
                    Customers.holder("Cid Souza", cpfC, "uc" + UUID.randomUUID().toString().substring(0, 8)), 201);
            call("DELETE", "/api/v1/accounts/{account}/holders/{cpf}", b1,
                    "/api/v1/accounts/" + account + "/holders/" + cpfC, token, null, 200);
            String business = "{\"type\":\"BUSINESS\",\"company\":{\"name\":\"Acme\",\"cnpj\":\"" + Customers.newCnpj()
                    + "\"},\"holder\":" + Customers.holder("Ana Lima", cpfA, userA) + "}";
            call("POST", "/api/v1/accounts", b1, "/api/v1/accounts", null, business, 201);
            call("GET", "/api/v1/accounts/{account}", b1, "/api/v1/accounts/" + account, token, null, 200);

            // money
            String id = UUID.randomUUID().toString();
            call("POST", "/api/v1/deposits", b1, "/api/v1/deposits", token,
                    "{\"id\":\"" + id + "\",\"account\":\"" + account + "\",\"amount\":10000}", 200);
            call("POST", "/api/v1/withdrawals", b1, "/api/v1/withdrawals", token,
                    "{\"account\":\"" + account + "\",\"amount\":100}", 200);
            Customer payee = Customers.personal("b2", b2, "Davi Prado");
            call("POST", "/api/v1/transfers", b1, "/api/v1/transfers", token, "{\"legs\":["
                    + Customers.leg("b1", account, "b2", payee.account(), 250) + "]}", 200);
            JsonObject aborted = call("POST", "/api/v1/transfers", b1, "/api/v1/transfers", token, "{\"legs\":["
                    + Customers.leg("b1", account, "b2", payee.account(), 99_999_999) + "]}", 200);
            assertThat(aborted.get("status").getAsString()).isEqualTo("ABORTED");
            call("GET", "/api/v1/transactions/{id}", b1, "/api/v1/transactions/" + id, token, null, 200);
            call("GET", "/api/v1/accounts/{account}/statement", b1, "/api/v1/accounts/" + account + "/statement",
                    token, null, 200);

            // PIX
            JsonObject key = call("POST", "/api/v1/pix-keys", b1, "/api/v1/pix-keys", token,
                    "{\"account\":\"" + account + "\",\"type\":\"RANDOM\"}", 201);
            String k = key.get("key").getAsString();
            call("GET", "/api/v1/pix-keys", b1, "/api/v1/pix-keys", token, null, 200);
            call("GET", "/api/v1/pix-keys/{key}", b1, "/api/v1/pix-keys/" + k, token, null, 200);
            call("DELETE", "/api/v1/pix-keys/{key}", b1, "/api/v1/pix-keys/" + k, token, null, 204);

            // consents: Ana's account at b2, payable and readable through b1
            Customer anaAtB2 = Customers.personal("b2", b2, "Ana Lima", cpfA);
            Customers.deposit(anaAtB2, 500);
            JsonObject consent = call("POST", "/api/v1/consents", b2, "/api/v1/consents", anaAtB2.token(),
                    "{\"account\":\"" + anaAtB2.account() + "\",\"grantee\":\"b1\",\"limit\":300,\"read\":true}", 201);
            call("GET", "/api/v1/consents", b2, "/api/v1/consents", anaAtB2.token(), null, 200);
            call("POST", "/api/v1/linked-accounts", b1, "/api/v1/linked-accounts", token,
                    "{\"consent\":\"" + consent.get("consent").getAsString() + "\"}", 201);
            JsonObject me = call("GET", "/api/v1/me", b1, "/api/v1/me", token, null, 200);
            assertThat(me.getAsJsonArray("linked")).hasSize(1);

            // operator
            String op = BankCluster.OPERATOR;
            call("GET", "/api/v1/consortium", b1, "/api/v1/consortium", op, null, 200);
            Http.Response metrics = Http.call("GET", b1 + "/metrics", op, null);
            assertThat(metrics.status()).isEqualTo(200);
            contract.check("GET", "/metrics", metrics.status(), metrics.text());
            JsonObject audit = call("POST", "/api/v1/audits", b1, "/api/v1/audits", op, null, 200);
            call("GET", "/api/v1/admin/clients", b1, "/api/v1/admin/clients", op, null, 200);
            call("GET", "/api/v1/admin/operations", b1, "/api/v1/admin/operations", op, null, 200);
            call("GET", "/api/v1/admin/links", b1, "/api/v1/admin/links", op, null, 200);
            call("PUT", "/api/v1/admin/links/{peer}", b1, "/api/v1/admin/links/b2", op, "{\"state\":\"UP\"}", 200);
            // b1 holds its customers' money: refused, nothing changed (RetireBankTest retires one)
            JsonObject notEmpty = call("POST", "/api/v1/admin/retire", b1, "/api/v1/admin/retire", op, null, 409);
            assertThat(notEmpty.get("error").getAsString()).isEqualTo("ACCOUNTS_NOT_EMPTY");

            // bank peer routes, signed by the other bank
            peer(cluster, "b2", "b1", "/peer/v1/bank/applied-position", "/peer/v1/bank/applied-position?atLeast=0&waitMs=0");
            peer(cluster, "b2", "b1", "/peer/v1/bank/transactions/{id}/applied", "/peer/v1/bank/transactions/"
                    + TransactionService.scopedId(cpfA, id) + "/applied?waitMs=0");
            peer(cluster, "b2", "b1", "/peer/v1/bank/audits/{id}", "/peer/v1/bank/audits/"
                    + audit.get("id").getAsString() + "?waitMs=1000");
            peer(cluster, "b1", "b2", "/peer/v1/bank/consents/{id}/balance", "/peer/v1/bank/consents/"
                    + consent.get("id").getAsString() + "/balance");

            // undo, and sign out
            call("DELETE", "/api/v1/linked-accounts/{bank}/{account}", b1, "/api/v1/linked-accounts/b2/"
                    + anaAtB2.account(), token, null, 204);
            call("DELETE", "/api/v1/consents/{id}", b2, "/api/v1/consents/" + consent.get("id").getAsString(),
                    anaAtB2.token(), null, 204);

            // errors have the documented shape too
            call("POST", "/api/v1/deposits", b1, "/api/v1/deposits", token,
                    "{\"account\":\"" + account + "\",\"amount\":1.5}", 400);
            call("GET", "/api/v1/accounts/{account}", b1, "/api/v1/accounts/999999", token, null, 404);
            call("POST", "/api/v1/transfers", b1, "/api/v1/transfers", token, "{\"legs\":["
                    + Customers.leg("b2", payee.account(), "b1", account, 1) + "]}", 403);
            call("GET", "/api/v1/consortium", b1, "/api/v1/consortium", "wrong-token", null, 401);
            call("DELETE", "/api/v1/sessions/current", b1, "/api/v1/sessions/current", token, null, 204);
            call("GET", "/api/v1/me", b1, "/api/v1/me", token, null, 401);

            Set<String> expected = new TreeSet<>(contract.operations());
            expected.removeAll(NOT_CALLED);
            assertThat(contract.checked()).containsExactlyElementsOf(expected);
        }
    }

    private JsonObject call(String method, String template, String base, String path, String bearer, String body,
                            int status) {
        Http.Response r = Http.call(method, base + path, bearer, body);
        assertThat(r.status()).as(method + " " + path + ": " + r).isEqualTo(status);
        contract.check(method, template, r.status(), r.text());
        return r.json();
    }

    private void peer(BankCluster cluster, String from, String to, String template, String target) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url(to) + target))
                .timeout(Duration.ofSeconds(10)).GET();
        cluster.signer(from).sign(to, "GET", target, new byte[0], b::header);
        HttpResponse<String> r = Http.send(b.build());
        assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(200);
        contract.check("GET", template, r.statusCode(), r.body());
    }
}
