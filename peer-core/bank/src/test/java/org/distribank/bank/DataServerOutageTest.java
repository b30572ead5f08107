package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import java.time.Duration;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank's data server goes away and comes back: the order goes on, the client hears PENDING (not COMMITTED)
 * until the credit is durable at that bank, and the applier catches up by itself.
 */
class DataServerOutageTest {

    @Test
    void answersWaitForTheDataServerAndTheApplierCatchesUp(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, false, o -> o.answerWaitMs(1_500))) {
            Customer payer = personal("b1", cluster.url("b1"), "Wagner");
            Customer payee = personal("b2", cluster.url("b2"), "Xena");
            deposit(payer, 1_000);

            cluster.stopDataServer("b2");
            Http.Response t = Http.post(payer.url() + "/api/v1/transfers", payer.token(),
                    "{\"legs\":[" + leg("b1", payer.account(), "b2", payee.account(), 300) + "]}");
            assertThat(t.status()).as(t.toString()).isEqualTo(202);
            assertThat(t.json().get("status").getAsString()).isEqualTo("PENDING");
            String id = t.json().get("id").getAsString();
            // b2 cannot sign anyone in without its data server: a clear 503, not a 500
            Http.Response login = Http.post(payee.url() + "/api/v1/sessions", null,
                    "{\"username\":\"" + payee.username() + "\",\"password\":\"password-" + payee.username() + "\"}");
            assertThat(login.status()).isEqualTo(503);
            assertThat(login.error()).isEqualTo("DATA_SERVER_UNAVAILABLE");

            cluster.restartDataServer("b2");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response r = Http.get(payer.url() + "/api/v1/transactions/" + id, payer.token());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
            });
            assertThat(Customers.balance(payer)).isEqualTo(700);
            assertThat(Customers.balance(payee)).isEqualTo(300);
            Http.Response st = Http.get(payee.url() + "/api/v1/accounts/" + payee.account() + "/statement",
                    payee.token());
            assertThat(st.json().getAsJsonArray("entries")).hasSize(1);
            assertThat(st.json().getAsJsonArray("entries").get(0).getAsJsonObject().get("counterparty").getAsString())
                    .isEqualTo("b1/" + payer.account());
        }
    }
}
