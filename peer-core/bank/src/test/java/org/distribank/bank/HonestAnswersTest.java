package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3: an operation that may have been ordered is never answered "not ordered". Requests waiting when
 * their bank stops hear 202 PENDING with their id (also one the server made); after a restart the bank finds them
 * in its log (GET answers PENDING, a retry during a peer's outage too), and they commit, once, when the peer is back.
 */
class HonestAnswersTest {

    @TempDir
    Path dir;

    @Test
    void requestsWaitingWhenTheBankStopsArePendingWithTheirIdsAndFoundAfterTheRestart() throws Exception {
        try (BankCluster cluster = BankCluster.start(dir, 2, false, o -> o.answerWaitMs(30_000))) {
            Customer c = personal("b1", cluster.url("b1"), "Iara Honesta");
            deposit(c, 1_000);
            // b1 can no longer reach b2 (b2's heartbeats still reach b1: b2 looks online), so nothing b1 orders
            // now can be delivered: it waits, logged and in b1's hold-back queue
            Http.Response cut = Http.call("PUT", c.url() + "/api/v1/admin/links/b2", BankCluster.OPERATOR,
                    "{\"state\":\"CUT\"}");
            assertThat(cut.status()).as(cut.toString()).isEqualTo(200);

            List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
            List<CompletableFuture<Http.Response>> answers = new ArrayList<>();
            for (String id : ids) {
                answers.add(CompletableFuture.supplyAsync(() -> Http.post(c.url() + "/api/v1/deposits", c.token(),
                        "{\"id\":\"" + id + "\",\"account\":\"" + c.account() + "\",\"amount\":10}")));
            }
            answers.add(CompletableFuture.supplyAsync(() -> Http.post(c.url() + "/api/v1/deposits", c.token(),
                    "{\"account\":\"" + c.account() + "\",\"amount\":100}"))); // the server makes its id
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(c.url()
                    + "/api/v1/consortium", BankCluster.OPERATOR).json().getAsJsonArray("queue")).hasSize(3));

            cluster.stop("b1"); // with three requests waiting for their outcome

            List<String> answered = new ArrayList<>();
            for (CompletableFuture<Http.Response> a : answers) {
                Http.Response r = a.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                assertThat(r.json().get("status").getAsString()).isEqualTo("PENDING");
                assertThat(r.json().get("id").getAsString()).isNotBlank();
                answered.add(r.json().get("id").getAsString());
            }
            assertThat(answered.subList(0, 2)).isEqualTo(ids);
            String serverMade = answered.get(2);

            // b1 comes back while b2 is away: the three are in its log, undecided
            cluster.stop("b2");
            cluster.restart("b1");
            String token = Customers.login(c.url(), c.username());
            for (String id : answered) {
                Http.Response r = Http.get(c.url() + "/api/v1/transactions/" + id, token);
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                assertThat(r.json().get("status").getAsString()).isEqualTo("PENDING");
                assertThat(r.json().get("id").getAsString()).isEqualTo(id);
            }
            // once b1 knows b2 is offline, a new operation is refused, naming it; a retry of one in flight is not
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Http.get(c.url()
                    + "/api/v1/consortium", BankCluster.OPERATOR).json().getAsJsonArray("peers").asList().stream()
                    .filter(p -> p.getAsJsonObject().get("id").getAsString().equals("b2"))
                    .map(p -> p.getAsJsonObject().get("online").getAsBoolean()).toList()).containsExactly(false));
            Http.Response fresh = Http.post(c.url() + "/api/v1/deposits", token,
                    "{\"account\":\"" + c.account() + "\",\"amount\":1}");
            assertThat(fresh.status()).as(fresh.toString()).isEqualTo(503);
            assertThat(fresh.error()).isEqualTo("BANK_OFFLINE");
            Http.Response retry = Http.post(c.url() + "/api/v1/deposits", token,
                    "{\"id\":\"" + ids.get(0) + "\",\"account\":\"" + c.account() + "\",\"amount\":10}");
            assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
            assertThat(retry.json().get("status").getAsString()).isEqualTo("PENDING");
            assertThat(retry.json().get("id").getAsString()).isEqualTo(ids.get(0));
            // the same id with another body is still a conflict, even only known from the log
            Http.Response other = Http.post(c.url() + "/api/v1/deposits", token,
                    "{\"id\":\"" + ids.get(1) + "\",\"account\":\"" + c.account() + "\",\"amount\":11}");
            assertThat(other.status()).as(other.toString()).isEqualTo(409);

            cluster.restart("b2");
            for (String id : answered) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    Http.Response r = Http.get(c.url() + "/api/v1/transactions/" + id, token);
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
                });
            }
            Customer again = new Customer("b1", c.url(), c.cpf(), c.username(), c.account(), token);
            assertThat(Customers.balance(again)).isEqualTo(1_000 + 10 + 10 + 100); // each applied once
            assertThat(serverMade).isNotIn(ids);
        }
    }
}
