package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator API: its token, the consortium view, events, audits, clients and operations. */
class OperatorApiTest {

    @TempDir
    static Path dir;
    static BankCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BankCluster.start(dir, 3, true);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void operatorRoutesNeedTheOperatorToken() {
        String b1 = cluster.url("b1");
        Customer c = personal("b1", b1, "Nina");
        for (String path : new String[] {"/api/v1/consortium", "/api/v1/admin/clients", "/api/v1/admin/operations",
            "/api/v1/events", "/api/v1/admin/links"}) {
            assertThat(Http.get(b1 + path, null).status()).as(path).isEqualTo(401);
            assertThat(Http.get(b1 + path, c.token()).status()).as(path).isEqualTo(401);
            assertThat(Http.get(b1 + path, "token-of-b1").status()).as(path).isEqualTo(401); // its data-server token
        }
        assertThat(Http.post(b1 + "/api/v1/audits", c.token(), "{}").status()).isEqualTo(401);
        // and the peer routes need a peer's signature, not the operator's token
        assertThat(Http.get(b1 + "/peer/v1/bank/audits/x", BankCluster.OPERATOR).status()).isEqualTo(401);
        assertThat(Http.get(b1 + "/peer/v1/bank/consents/c-1/balance", c.token()).status()).isEqualTo(401);
    }

    /** A GET of a bank-level peer route with the given headers. */
    private static HttpResponse<String> peerGet(String url, java.util.Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static java.util.Map<String, String> signed(String from, String to, String target) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
        cluster.signer(from).sign(to, "GET", target, new byte[0], h::put);
        return h;
    }

    @Test
    void bankPeerRoutesAnswerAPeerSigningAsItselfOnly() throws Exception {
        String target = "/peer/v1/bank/applied-position?atLeast=0&waitMs=0";
        String url = cluster.url("b1") + target;
        HttpResponse<String> ok = peerGet(url, signed("b2", "b1", target));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"bank\":\"b1\"");
        // signed for another receiver, for another query, or by nobody: 401 with the JSON error body
        for (java.util.Map<String, String> h : java.util.List.of(signed("b2", "b3", target),
                signed("b2", "b1", "/peer/v1/bank/applied-position?atLeast=5&waitMs=0"), java.util.Map.<String, String>of())) {
            HttpResponse<String> r = peerGet(url, h);
            assertThat(r.statusCode()).isEqualTo(401);
            JsonObject body = com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject();
            assertThat(body.get("error").getAsString()).isEqualTo("UNAUTHORIZED");
            assertThat(body.get("message").getAsString()).isNotBlank();
        }
    }

    @Test
    void aBankSigningAsItselfCannotSendAFrameOrAHeartbeatAsAnotherBank() throws Exception {
        String b1 = cluster.url("b1");
        long delivered = cluster.bank("b1").node().view().delivered();
        String frame = "{\"from\":\"b3\",\"messages\":[{\"seq\":999999,\"type\":\"OP\",\"clock\":{\"b3\":999999},"
                + "\"id\":\"forged-by-b2\",\"payload\":\"{}\"}]}";
        for (String[] call : new String[][] {{"/peer/v1/messages", frame}, {"/peer/v1/heartbeat", "{\"from\":\"b3\"}"}}) {
            java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
            cluster.signer("b2").sign("b1", "POST", call[0], call[1].getBytes(java.nio.charset.StandardCharsets.UTF_8), h::put);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(b1 + call[0])).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(call[1]));
            h.forEach(b::header);
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(call[0]).isEqualTo(401);
            assertThat(r.body()).contains("\"error\":\"UNAUTHORIZED\"").contains("\"message\"");
        }
        assertThat(cluster.bank("b1").node().outcome("forged-by-b2")).isEmpty();
        assertThat(cluster.bank("b1").node().view().queue()).noneMatch(q -> q.id().equals("forged-by-b2"));
        assertThat(cluster.bank("b1").node().view().delivered()).isGreaterThanOrEqualTo(delivered);
    }

    @Test
    void consortiumViewClientsAndOperationsInDeliveryOrder() {
        Customer c = personal("b2", cluster.url("b2"), "Otto");
        JsonObject d = deposit(c, 4_200);
        Http.Response v = Http.get(cluster.url("b2") + "/api/v1/consortium", BankCluster.OPERATOR);
        assertThat(v.status()).isEqualTo(200);
        JsonObject view = v.json();
        assertThat(view.get("self").getAsString()).isEqualTo("b2");
        assertThat(view.getAsJsonArray("peers")).hasSize(3);
        assertThat(view.getAsJsonArray("peers").get(0).getAsJsonObject().keySet())
                .contains("id", "name", "url", "online", "lastSeenMs");
        assertThat(view.getAsJsonObject("clock").keySet()).containsExactly("b1", "b2", "b3");
        assertThat(view.get("delivered").getAsLong()).isPositive();
        assertThat(view.get("logHash").getAsString()).hasSize(64);
        assertThat(view.has("queue")).isTrue();
        // API.md: the view the bank orders in (the first one: epoch 0, every bank a member)
        assertThat(view.getAsJsonObject("view").get("epoch").getAsLong()).isZero();
        assertThat(view.getAsJsonObject("view").getAsJsonArray("members")).extracting(e -> e.getAsString())
                .containsExactly("b1", "b2", "b3");
        assertThat(view.getAsJsonObject("view").getAsJsonArray("banks")).as("every configured bank, in or out")
                .extracting(e -> e.getAsString()).containsExactly("b1", "b2", "b3");
        // API.md: the latest snapshot's position and time (0 until the bank's first snapshot)
        assertThat(view.getAsJsonObject("snapshot").get("position").getAsLong()).isNotNegative();
        Http.Response clients = Http.get(cluster.url("b2") + "/api/v1/admin/clients", BankCluster.OPERATOR);
        assertThat(clients.text()).contains(c.cpf());
        // operations: every bank decides every operation in the same order
        // the order carries the client's id scoped to the customer (BANK.md "Transaction ids")
        String id = org.distribank.bank.execution.TransactionService.scopedId(c.cpf(), d.get("id").getAsString());
        for (String bank : cluster.ids()) {
            Http.Response ops = Http.get(cluster.url(bank) + "/api/v1/admin/operations", BankCluster.OPERATOR);
            JsonArray list = ops.json().getAsJsonArray("operations");
            long previous = 0;
            boolean seen = false;
            for (int i = 0; i < list.size(); i++) {
                JsonObject o = list.get(i).getAsJsonObject();
                assertThat(o.get("position").getAsLong()).isGreaterThan(previous);
                previous = o.get("position").getAsLong();
                seen |= o.get("id").getAsString().equals(id);
            }
            assertThat(seen).as(bank).isTrue();
        }
    }

    @Test
    void eventsStreamProtocolEvents() throws Exception {
        String b1 = cluster.url("b1");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(b1 + "/api/v1/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + BankCluster.OPERATOR).build();
        HttpResponse<Stream<String>> r = client.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Customer c = personal("b1", b1, "Paula");
        deposit(c, 10);
        Iterator<String> lines = r.body().iterator();
        boolean sawEvent = false;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 200 && !sawEvent && lines.hasNext(); i++) {
            String line = lines.next();
            seen.append(line).append('\n');
            sawEvent = line.startsWith("event: ");
        }
        r.body().close();
        assertThat(sawEvent).as(seen.toString()).isTrue();
    }

    @Test
    void auditsSumEveryBank() {
        JsonObject before = MultiBankTransferTestSupport.audit(cluster, "b3");
        Customer c = personal("b1", cluster.url("b1"), "Quin");
        deposit(c, 1_234);
        JsonObject after = MultiBankTransferTestSupport.audit(cluster, "b1");
        assertThat(after.get("total").getAsLong() - before.get("total").getAsLong()).isEqualTo(1_234);
        long sum = 0;
        for (String b : cluster.ids()) {
            sum += after.getAsJsonObject("perBank").get(b).getAsLong();
        }
        assertThat(sum).isEqualTo(after.get("total").getAsLong());
    }
}
