package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 as an operator tried it (four banks, customers at each, b4 killed): with views on, b1 to b2 keeps
 * committing once the three have voted b4 out; a transfer or an audit that needs b4 is refused at once with
 * 503 BANK_OFFLINE naming it; the operator API shows the new view. When b4 comes back it catches up, is voted back
 * in, pays again, and the audit adds up to the money deposited.
 */
class ViewsTest {

    @TempDir
    Path dir;

    @Test
    void threeBanksGoOnWithoutAKilledFourthWhichComesBack() {
        try (BankCluster cluster = BankCluster.start(dir, 4, false, o -> o.views(true).offlineMs(1_000)
                .heartbeatMs(200))) {
            Customer a = personal("b1", cluster.url("b1"), "Ana Souza");
            Customer b = personal("b2", cluster.url("b2"), "Bruno Lima");
            Customer d = personal("b4", cluster.url("b4"), "Dora Reis");
            deposit(a, 10_000);
            deposit(b, 5_000);
            deposit(d, 7_000);

            cluster.kill("b4");
            // b1 -> b2 commits again once the three have voted b4 out
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Http.Response r = transfer(a, leg("b1", a.account(), "b2", b.account(), 100));
                return r.status() == 200 && "COMMITTED".equals(r.json().get("status").getAsString());
            });
            JsonObject view = Http.get(cluster.url("b1") + "/api/v1/consortium", BankCluster.OPERATOR).json()
                    .getAsJsonObject("view");
            assertThat(view.get("epoch").getAsLong()).isPositive();
            assertThat(view.getAsJsonArray("members").toString()).isEqualTo("[\"b1\",\"b2\",\"b3\"]");

            // a leg at b4, or an audit (b4's figure is unknown), is refused at once, naming b4
            Http.Response toB4 = transfer(a, leg("b1", a.account(), "b4", d.account(), 100));
            assertThat(toB4.status()).as(toB4.toString()).isEqualTo(503);
            assertThat(toB4.json().get("error").getAsString()).isEqualTo("BANK_OFFLINE");
            assertThat(toB4.json().get("message").getAsString()).contains("b4");
            Http.Response audit = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
            assertThat(audit.status()).as(audit.toString()).isEqualTo(503);
            assertThat(audit.json().get("error").getAsString()).isEqualTo("BANK_OFFLINE");

            // b4 comes back: it catches up and is voted back in; a transfer to it commits
            cluster.restart("b4");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                Http.Response r = transfer(a, leg("b1", a.account(), "b4", d.account(), 50));
                return r.status() == 200 && "COMMITTED".equals(r.json().get("status").getAsString());
            });
            // (its sessions lived in the killed process: Dora signs in again)
            Customer dAgain = new Customer(d.bank(), d.url(), d.cpf(), d.username(), d.account(),
                    Customers.login(d.url(), d.username()));
            assertThat(balance(dAgain)).isEqualTo(7_050);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response r = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.json().get("total").getAsLong()).isEqualTo(22_000);
            });
        }
    }

    private static Http.Response transfer(Customer from, String leg) {
        return Http.post(from.url() + "/api/v1/transfers", from.token(), "{\"legs\":[" + leg + "]}");
    }
}
