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
import java.util.List;
import org.distribank.bank.Customers.Customer;
import org.distribank.dataserver.OpenApiContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, retire-bank, as an operator does it on a running consortium with views on (BANK.md, "Retiring a bank"):
 * a bank that still holds a customer's money is refused and nothing changes; once its accounts are empty it
 * retires, the members' next view leaves it out of the banks, and the other three go on paying, registering PIX
 * keys (every bank votes on those) and auditing without it, with the consortium's money what it was.
 */
class RetireBankTest {

    @TempDir
    Path dir;

    @Test
    void aBankRetiresOnlyEmptyAndTheOthersGoOnWithoutIt() {
        try (BankCluster cluster = BankCluster.start(dir, 4, false, o -> o.views(true).offlineMs(1_000)
                .heartbeatMs(200).answerWaitMs(5_000))) {
            Customer ana = personal("b1", cluster.url("b1"), "Ana Lima");
            Customer bia = personal("b2", cluster.url("b2"), "Bia Lima");
            Customer dora = personal("b4", cluster.url("b4"), "Dora Reis");
            deposit(ana, 10_000);
            deposit(dora, 3_000);

            OpenApiContract contract = new OpenApiContract(Http.get(cluster.url("b4") + "/openapi.json", null).text());
            Http.Response refused = retire(cluster, "b4");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            contract.check("POST", "/api/v1/admin/retire", refused.status(), refused.text());
            assertThat(refused.error()).isEqualTo("ACCOUNTS_NOT_EMPTY");
            assertThat(refused.json().get("message").getAsString()).contains("b4");
            assertThat(view(cluster, "b1", "banks")).containsExactly("b1", "b2", "b3", "b4");
            assertThat(balance(dora)).isEqualTo(3_000);

            Http.Response out = Http.post(dora.url() + "/api/v1/transfers", dora.token(), "{\"id\":\"dora-leaves\","
                    + "\"legs\":[" + leg("b4", dora.account(), "b1", ana.account(), 3_000) + "]}");
            assertThat(out.status()).as(out.toString()).isEqualTo(200);
            assertThat(out.json().get("status").getAsString()).isEqualTo("COMMITTED");

            Http.Response retired = retire(cluster, "b4");
            assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
            contract.check("POST", "/api/v1/admin/retire", retired.status(), retired.text());
            assertThat(retired.json().get("retired").getAsBoolean()).isTrue();
            assertThat(retired.json().get("bank").getAsString()).isEqualTo("b4");
            for (String b : List.of("b1", "b2", "b3")) {
                await(b + " installs a view without b4").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> view(cluster, b, "banks").equals(List.of("b1", "b2", "b3")));
            }
            assertThat(view(cluster, "b1", "members")).containsExactly("b1", "b2", "b3");

            Http.Response pay = Http.post(ana.url() + "/api/v1/transfers", ana.token(), "{\"id\":\"after-b4\","
                    + "\"legs\":[" + leg("b1", ana.account(), "b2", bia.account(), 1_500) + "]}");
            assertThat(pay.status()).as(pay.toString()).isEqualTo(200);
            assertThat(pay.json().get("status").getAsString()).isEqualTo("COMMITTED");
            Http.Response key = Http.post(ana.url() + "/api/v1/pix-keys", ana.token(), "{\"account\":\""
                    + ana.account() + "\",\"type\":\"RANDOM\"}");
            assertThat(key.status()).as("a PIX key needs every bank's vote, the retired one's no more: " + key)
                    .isEqualTo(201);

            Http.Response toRetired = Http.post(ana.url() + "/api/v1/transfers", ana.token(), "{\"id\":\"to-b4\","
                    + "\"legs\":[" + leg("b1", ana.account(), "b4", dora.account(), 100) + "]}");
            assertThat(toRetired.status()).as(toRetired.toString()).isEqualTo(409);
            assertThat(toRetired.error()).isEqualTo("BANK_RETIRED");
            Http.Response atRetired = Http.post(dora.url() + "/api/v1/deposits", dora.token(), "{\"account\":\""
                    + dora.account() + "\",\"amount\":100}");
            assertThat(atRetired.status()).as(atRetired.toString()).isEqualTo(503);
            assertThat(atRetired.json().get("message").getAsString()).contains("retired");
            assertThat(retire(cluster, "b4").status()).isEqualTo(409);

            Http.Response audit = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "");
            assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
            JsonObject a = audit.json();
            assertThat(a.getAsJsonObject("perBank").keySet()).containsExactly("b1", "b2", "b3");
            assertThat(a.get("total").getAsLong()).isEqualTo(13_000);
            assertThat(a.get("reconciled").getAsBoolean()).as(a.toString()).isTrue();
            assertThat(balance(ana)).isEqualTo(11_500);
            assertThat(balance(bia)).isEqualTo(1_500);
        }
    }

    private static Http.Response retire(BankCluster cluster, String bank) {
        return Http.post(cluster.url(bank) + "/api/v1/admin/retire", BankCluster.OPERATOR, "");
    }

    private static List<String> view(BankCluster cluster, String bank, String field) {
        return Http.get(cluster.url(bank) + "/api/v1/consortium", BankCluster.OPERATOR).json().getAsJsonObject("view")
                .getAsJsonArray(field).asList().stream().map(m -> m.getAsString()).toList();
    }
}
