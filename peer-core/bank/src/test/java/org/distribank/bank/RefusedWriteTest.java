package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import java.time.Duration;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.metrics.BankMetrics;
import org.distribank.consortium.entity.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 1: b2's data-server token is rotated without telling b2, so its data server refuses (401) the
 * credit of a transfer the consortium decided. It used to skip the batch, advance, and answer COMMITTED for a
 * credit that never reached b2's data server. Now b2's applier stops there: the client hears PENDING, b2's health
 * is DEGRADED with the reason, an event says so and the refusals are counted; with the token fixed it resumes by
 * itself and the transfer commits with nothing skipped.
 */
class RefusedWriteTest {

    @Test
    void aRefusedDecidedWriteStopsTheApplierUntilTheDataServerTakesItAgain(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, false, o -> o.answerWaitMs(1_500))) {
            Customer payer = personal("b1", cluster.url("b1"), "Rita");
            Customer payee = personal("b2", cluster.url("b2"), "Raul");
            deposit(payer, 1_000);

            cluster.restartDataServer("b2", "rotated-token-of-b2"); // b2 still sends its old token: 401
            Http.Response t = Http.post(payer.url() + "/api/v1/transfers", payer.token(),
                    "{\"legs\":[" + leg("b1", payer.account(), "b2", payee.account(), 300) + "]}");
            assertThat(t.status()).as(t.toString()).isEqualTo(202);
            assertThat(t.json().get("status").getAsString()).isEqualTo("PENDING");
            String id = t.json().get("id").getAsString();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response h = Http.get(cluster.url("b2") + "/health", null);
                assertThat(h.status()).isEqualTo(200);
                assertThat(h.json().get("status").getAsString()).isEqualTo("DEGRADED");
                assertThat(h.json().get("reason").getAsString()).contains("refused").contains("401")
                        .contains("UNAUTHORIZED").contains(id);
                assertThat(h.json().get("refusals").getAsLong()).isPositive();
            });
            assertThat(cluster.bank("b2").node().events().recent()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HEALTH);
                assertThat(e.detail()).startsWith("DEGRADED").contains("401");
            });
            String metrics = Http.get(cluster.url("b2") + BankMetrics.PATH, BankCluster.OPERATOR).text();
            assertThat(metrics).containsPattern("distribank_applier_stalled\\{bank=\"b2\"} 1(\\.0)?\n")
                    .containsPattern("distribank_applier_refusals_total\\{bank=\"b2\"} [1-9]");
            // still not durable at b2: still PENDING, however long one waits for it
            Http.Response pending = Http.get(payer.url() + "/api/v1/transactions/" + id, payer.token());
            assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
            assertThat(pending.json().get("status").getAsString()).isEqualTo("PENDING");
            assertThat(Http.get(cluster.url("b1") + "/health", null).json().get("status").getAsString())
                    .isEqualTo("UP");

            cluster.restartDataServer("b2"); // the token fixed: b2 resumes by itself
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response r = Http.get(payer.url() + "/api/v1/transactions/" + id, payer.token());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "UP".equals(Http.get(cluster.url("b2") + "/health", null).json().get("status").getAsString()));
            assertThat(cluster.bank("b2").node().events().recent())
                    .anySatisfy(e -> assertThat(e.type() == EventType.HEALTH && "UP".equals(e.detail())).isTrue());
            // nothing skipped: the credit is at b2's data server, with its statement entry
            assertThat(Customers.balance(payee)).isEqualTo(300);
            Http.Response st = Http.get(payee.url() + "/api/v1/accounts/" + payee.account() + "/statement",
                    payee.token());
            assertThat(st.json().getAsJsonArray("entries")).hasSize(1);
            Http.Response audit = Http.post(cluster.url("b1") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
            assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
            assertThat(audit.json().get("reconciled").getAsBoolean()).as(audit.toString()).isTrue();
            assertThat(audit.json().getAsJsonObject("dataServers").get("b2").getAsLong()).isEqualTo(300);
        }
    }

    /**
     * The money-creating sequence with b1's business released at its data server: the original API empties
     * the account behind b1, and b1's debit of a transfer it decided is refused there (409 INSUFFICIENT_FUNDS). It
     * used to be skipped (COMMITTED, 5,000 created); now the transfer stays PENDING and b1 DEGRADED until the data
     * server can take it, and then it commits with both sides written.
     */
    @Test
    void aDebitItsDataServerCannotCoverStaysPendingInsteadOfCreatingMoney(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, false, o -> o.answerWaitMs(1_500))) {
            Customer payer = personal("b1", cluster.url("b1"), "Sara");
            Customer payee = personal("b2", cluster.url("b2"), "Saul");
            deposit(payer, 10_000);
            org.distribank.bank.ledger.DataServerLink ds = cluster.bank("b1").options().dataServer();
            assertThat(OneOwnerPerAccountTest.legacy(ds, "DELETE", "/v1/banks/b1/manager", null).statusCode())
                    .isEqualTo(204);
            assertThat(OneOwnerPerAccountTest.legacy(ds, "POST", "/setBalance", "{\"business_id\":\"b1\","
                    + "\"account_id\":\"" + payer.account() + "\",\"value\":-10000,\"operation_id\":\"legacy-1\"}")
                    .statusCode()).isEqualTo(200);

            Http.Response t = Http.post(payer.url() + "/api/v1/transfers", payer.token(),
                    "{\"legs\":[" + leg("b1", payer.account(), "b2", payee.account(), 5_000) + "]}");
            assertThat(t.status()).as(t.toString()).isEqualTo(202);
            String id = t.json().get("id").getAsString();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response h = Http.get(cluster.url("b1") + "/health", null);
                assertThat(h.json().get("status").getAsString()).isEqualTo("DEGRADED");
                assertThat(h.json().get("reason").getAsString()).contains("INSUFFICIENT_FUNDS").contains(id);
            });
            assertThat(Http.get(payer.url() + "/api/v1/transactions/" + id, payer.token()).status()).isEqualTo(202);

            // the operator puts the data server back as the bank's decided history says
            assertThat(OneOwnerPerAccountTest.legacy(ds, "POST", "/setBalance", "{\"business_id\":\"b1\","
                    + "\"account_id\":\"" + payer.account() + "\",\"value\":10000,\"operation_id\":\"repair-1\"}")
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response r = Http.get(payer.url() + "/api/v1/transactions/" + id, payer.token());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
            });
            Http.Response audit = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
            assertThat(audit.json().get("reconciled").getAsBoolean()).as(audit.toString()).isTrue();
            assertThat(audit.json().get("total").getAsLong()).isEqualTo(10_000);
            assertThat(audit.json().getAsJsonObject("dataServers").get("b1").getAsLong()).isEqualTo(5_000);
        }
    }
}
