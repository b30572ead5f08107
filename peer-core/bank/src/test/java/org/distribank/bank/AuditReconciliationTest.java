package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.consortium.entity.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "audits reconcile": an audit used to sum the banks' memory alone, so money changed behind a bank's back
 * at its data server went unnoticed. Each bank now compares its figure with its data server's durable total at the
 * audit's position and reports a difference: in the audit's answer, as health DEGRADED, and as an event.
 */
class AuditReconciliationTest {

    @Test
    void anAuditReportsADataServerThatDiffersFromItsBank(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, false)) {
            Customer ana = personal("b1", cluster.url("b1"), "Ana");
            Customer bob = personal("b2", cluster.url("b2"), "Bob");
            deposit(ana, 10_000);
            deposit(bob, 2_000);
            JsonObject clean = audit(cluster);
            assertThat(clean.get("reconciled").getAsBoolean()).as(clean.toString()).isTrue();
            assertThat(clean.getAsJsonArray("discrepancies")).isEmpty();
            assertThat(clean.getAsJsonObject("dataServers").get("b1").getAsLong()).isEqualTo(10_000);

            // someone releases b1's business at its data server and takes the account to 0 with the original API
            DataServerLink ds = cluster.bank("b1").options().dataServer();
            assertThat(OneOwnerPerAccountTest.legacy(ds, "DELETE", "/v1/banks/" + ds.businessId() + "/manager", null)
                    .statusCode()).isEqualTo(204);
            HttpResponse<String> legacy = OneOwnerPerAccountTest.legacy(ds, "POST", "/setBalance", "{\"business_id\":\""
                    + ds.businessId() + "\",\"account_id\":\"" + ana.account() + "\",\"value\":-10000,"
                    + "\"operation_id\":\"legacy-1\"}");
            assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);

            JsonObject a = audit(cluster);
            assertThat(a.get("reconciled").getAsBoolean()).as(a.toString()).isFalse();
            assertThat(a.getAsJsonObject("perBank").get("b1").getAsLong()).isEqualTo(10_000);
            assertThat(a.getAsJsonObject("dataServers").get("b1").getAsLong()).isZero();
            assertThat(a.getAsJsonObject("dataServers").get("b2").getAsLong()).isEqualTo(2_000);
            assertThat(a.getAsJsonArray("discrepancies")).singleElement()
                    .satisfies(d -> assertThat(d.getAsString()).startsWith("b1: ").contains("10000").contains("-10000"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Http.Response h = Http.get(cluster.url("b1") + "/health", null);
                assertThat(h.json().get("status").getAsString()).isEqualTo("DEGRADED");
                assertThat(h.json().get("reason").getAsString()).contains("does not reconcile");
            });
            assertThat(Http.get(cluster.url("b2") + "/health", null).json().get("status").getAsString())
                    .isEqualTo("UP");
            assertThat(cluster.bank("b1").node().events().recent()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HEALTH);
                assertThat(e.detail()).contains("does not reconcile");
            });
        }
    }

    private static JsonObject audit(BankCluster cluster) {
        Http.Response r = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
