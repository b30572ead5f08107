package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bank closed and started again on the same directories keeps accounts, balances, keys and outcomes. */
class BankRestartTest {

    @TempDir
    Path dir;

    @Test
    void aRestartedBankKeepsEverythingAndAnOfflineBankIsA503() throws Exception {
        try (BankCluster cluster = BankCluster.start(dir, 3, true, o -> o.answerWaitMs(3_000))) {
            Customer a = personal("b2", cluster.url("b2"), "Rita Gomes");
            Customer b = personal("b1", cluster.url("b1"), "Saulo");
            deposit(a, 9_000);
            Http.Response key = Http.post(a.url() + "/api/v1/pix-keys", a.token(),
                    "{\"account\":\"" + a.account() + "\",\"type\":\"CPF\"}");
            assertThat(key.status()).isEqualTo(201);
            Http.Response t = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"legs\":[" + leg("b2", a.account(), "b1", b.account(), 2_500) + "]}");
            assertThat(t.json().get("status").getAsString()).isEqualTo("COMMITTED");
            String txId = t.json().get("id").getAsString();
            int entriesBefore = Http.get(a.url() + "/api/v1/accounts/" + a.account() + "/statement", a.token())
                    .json().getAsJsonArray("entries").size();

            cluster.stop("b2");
            // while b2 is away, an operation needing the order is refused at once, naming it; one sent before
            // the others noticed is in flight (202 PENDING) and finishes when b2 is back
            List<String> pending = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String id = UUID.randomUUID().toString();
                Http.Response r = Http.post(b.url() + "/api/v1/deposits", b.token(),
                        "{\"id\":\"" + id + "\",\"account\":\"" + b.account() + "\",\"amount\":1}");
                if (r.status() == 202) {
                    assertThat(r.json().get("status").getAsString()).isEqualTo("PENDING");
                    pending.add(id);
                }
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.error()).isEqualTo("BANK_OFFLINE");
                assertThat(r.json().get("message").getAsString()).contains("b2");
            });
            assertThat(Customers.balance(b)).isEqualTo(2_500);

            cluster.restart("b2");
            for (String id : pending) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Http.get(b.url()
                        + "/api/v1/transactions/" + id, b.token()).json().get("status").getAsString()).isEqualTo("COMMITTED"));
            }
            // sessions live in memory: sign in again
            String token = Customers.login(a.url(), a.username());
            Customer again = new Customer("b2", a.url(), a.cpf(), a.username(), a.account(), token);
            assertThat(Customers.balance(again)).isEqualTo(6_500);
            Http.Response outcome = Http.get(a.url() + "/api/v1/transactions/" + txId, token);
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.json().get("status").getAsString()).isEqualTo("COMMITTED");
            assertThat(Http.get(cluster.url("b3") + "/api/v1/pix-keys/" + a.cpf(), personal("b3", cluster.url("b3"),
                    "Teo").token()).json().get("bank").getAsString()).isEqualTo("b2");
            assertThat(Http.get(a.url() + "/api/v1/pix-keys", token).json().getAsJsonArray("keys")).hasSize(1);
            // replay re-applied nothing twice at the data server
            assertThat(Http.get(a.url() + "/api/v1/accounts/" + a.account() + "/statement", token)
                    .json().getAsJsonArray("entries")).hasSize(entriesBefore);
            // the same id again after the restart is the same result, applied once
            Http.Response retry = Http.post(a.url() + "/api/v1/transfers", token, "{\"id\":\"" + txId + "\",\"legs\":["
                    + leg("b2", a.account(), "b1", b.account(), 2_500) + "]}");
            assertThat(retry.json().get("status").getAsString()).as(retry.toString()).isEqualTo("COMMITTED");
            assertThat(Customers.balance(again)).isEqualTo(6_500);
            // and the consortium moves on
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Http.Response r = Http.post(b.url() + "/api/v1/deposits", b.token(),
                        "{\"account\":\"" + b.account() + "\",\"amount\":1}");
                assertThat(r.status()).isEqualTo(200);
            });
            Http.Response t2 = Http.post(a.url() + "/api/v1/transfers", token,
                    "{\"legs\":[" + leg("b2", a.account(), "b1", b.account(), 500) + "]}");
            assertThat(t2.json().get("status").getAsString()).isEqualTo("COMMITTED");
            assertThat(Customers.balance(again)).isEqualTo(6_000);
            assertThat(Customers.balance(b)).isEqualTo(3_001 + pending.size());
            // the operator's event stream still has the first transfer, from before the restart (the event history)
            assertThat(eventsSince(cluster.url("b2"), "0", txId)).as("b2's history").contains(
                    "event: COMMIT");
        }
    }

    /**
     * The events of {@code opId} in {@code bank}'s event stream from {@code ?since=}, up to its COMMIT, or up to the
     * stream's first keep-alive when it has none.
     */
    static String eventsSince(String bank, String since, String opId) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(bank + "/api/v1/events?since=" + since))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + BankCluster.OPERATOR).build();
        HttpResponse<Stream<String>> r = client.send(req, HttpResponse.BodyHandlers.ofLines());
        StringBuilder seen = new StringBuilder();
        try (Stream<String> body = r.body()) {
            Iterator<String> lines = body.iterator();
            String event = null;
            for (int i = 0; i < 100_000 && lines.hasNext(); i++) {
                String line = lines.next();
                if (line.startsWith(": keep-alive")) {
                    break; // the replay is long over and nothing came: bounded by the stream's 15 s keep-alive
                }
                if (line.startsWith("event: ")) {
                    event = line;
                } else if (line.startsWith("data: ") && line.contains("\"opId\":\"" + opId)) {
                    seen.append(event).append('\n').append(line).append('\n');
                    if ("event: COMMIT".equals(event)) {
                        break;
                    }
                }
            }
        }
        return seen.toString();
    }

    @Test
    void replayKeepsTheLoggedVoteEvenWhenTheStateNowJudgesOtherwise() {
        try (BankCluster cluster = BankCluster.start(dir, 2, false)) {
            Customer payer = personal("b1", cluster.url("b1"), "Yara");
            Customer first = personal("b2", cluster.url("b2"), "Zeca");
            deposit(payer, 1_000);
            String future = Integer.toString(Integer.parseInt(first.account()) + 1); // not opened yet
            Http.Response t = Http.post(payer.url() + "/api/v1/transfers", payer.token(),
                    "{\"legs\":[" + leg("b1", payer.account(), "b2", future, 400) + "]}");
            assertThat(t.json().get("status").getAsString()).isEqualTo("ABORTED");
            assertThat(t.json().get("reason").getAsString()).isEqualTo("ACCOUNT_NOT_FOUND");
            Customer opened = personal("b2", cluster.url("b2"), "Nova");
            assertThat(opened.account()).isEqualTo(future);

            cluster.restart("b2");
            // b2 replays its log: the outcome stays ABORTED although the account exists now (no money appears)
            JsonObject audit = MultiBankTransferTestSupport.audit(cluster, "b1");
            assertThat(audit.get("total").getAsLong()).isEqualTo(1_000);
            assertThat(audit.getAsJsonObject("perBank").get("b2").getAsLong()).isZero();
            String token = Customers.login(opened.url(), opened.username());
            assertThat(Customers.balance(new Customer("b2", opened.url(), opened.cpf(), opened.username(),
                    opened.account(), token))).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject v1 = Http.get(cluster.url("b1") + "/api/v1/consortium", BankCluster.OPERATOR).json();
                JsonObject v2 = Http.get(cluster.url("b2") + "/api/v1/consortium", BankCluster.OPERATOR).json();
                assertThat(v2.get("delivered")).isEqualTo(v1.get("delivered"));
                assertThat(v2.get("logHash")).isEqualTo(v1.get("logHash"));
            });
        }
    }
}
