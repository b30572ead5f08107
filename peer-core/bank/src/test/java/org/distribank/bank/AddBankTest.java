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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.Customers.Customer;
import org.distribank.dataserver.OpenApiContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, add-bank, as an operator does it on a running consortium (BANK.md, "Adding a bank"): three banks found
 * the consortium with a fourth configured slot; until it joins, a transfer to it is refused at once. The operator
 * starts b4 with an empty data directory and empty data server and asks b1 to add it: b4 takes the consortium-wide
 * state (the PIX directory, the money supply) from a member, never another bank's accounts, starts with no account
 * of its own, and then pays and is paid like any bank, with the audit's total what the money is.
 */
class AddBankTest {

    @TempDir
    Path dir;

    @Test
    void aBankJoinsARunningConsortiumWithTheDirectoryAndNoAccounts() throws Exception {
        try (BankCluster cluster = BankCluster.start(dir, 4, false, o -> o.views(true).offlineMs(1_000)
                .heartbeatMs(200).answerWaitMs(5_000).initialBanks(List.of("b1", "b2", "b3")))) {
            Customer ana = personal("b1", cluster.url("b1"), "Ana Lima");
            Customer bia = personal("b2", cluster.url("b2"), "Bia Lima");
            deposit(ana, 10_000);
            Http.Response key = Http.post(bia.url() + "/api/v1/pix-keys", bia.token(), "{\"account\":\""
                    + bia.account() + "\",\"type\":\"RANDOM\"}");
            assertThat(key.status()).as("a PIX key: every founding bank votes, not the slot: " + key).isEqualTo(201);
            String bias = key.json().get("key").getAsString();
            assertThat(view(cluster, "b1", "banks")).containsExactly("b1", "b2", "b3");
            Http.Response early = Http.post(ana.url() + "/api/v1/transfers", ana.token(), "{\"id\":\"too-early\","
                    + "\"legs\":[" + leg("b1", ana.account(), "b4", "b4-0001", 100) + "]}");
            assertThat(early.status()).as(early.toString()).isEqualTo(503);
            assertThat(early.json().get("message").getAsString()).contains("b4");

            // the operator starts b4 (it asks the members for its first snapshot) and asks b1 to add it
            CompletableFuture<BankPeer> b4 = CompletableFuture.supplyAsync(() -> cluster.restart("b4"));
            OpenApiContract contract = new OpenApiContract(Http.get(cluster.url("b1") + "/openapi.json", null).text());
            Http.Response bad = Http.post(cluster.url("b1") + "/api/v1/admin/add-bank", BankCluster.OPERATOR,
                    "{\"bank\":\"b9\"}");
            assertThat(bad.status()).as(bad.toString()).isEqualTo(404);
            contract.check("POST", "/api/v1/admin/add-bank", bad.status(), bad.text());
            Http.Response admit = Http.post(cluster.url("b1") + "/api/v1/admin/add-bank", BankCluster.OPERATOR,
                    "{\"bank\":\"b4\"}");
            assertThat(admit.status()).as(admit.toString()).isEqualTo(202);
            contract.check("POST", "/api/v1/admin/add-bank", admit.status(), admit.text());
            b4.get(60, TimeUnit.SECONDS);
            for (String b : List.of("b1", "b2", "b3", "b4")) {
                await(b + " installs a view with b4").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> view(cluster, b, "members").equals(List.of("b1", "b2", "b3", "b4")));
            }

            // b4 knows the directory (a PIX key registered before it joined) and has no customers of its own
            Customer dora = personal("b4", cluster.url("b4"), "Dora Reis");
            assertThat(balance(dora)).isZero();
            Http.Response toB4 = Http.post(ana.url() + "/api/v1/transfers", ana.token(), "{\"id\":\"to-b4\","
                    + "\"legs\":[" + leg("b1", ana.account(), "b4", dora.account(), 2_500) + "]}");
            assertThat(toB4.status()).as(toB4.toString()).isEqualTo(200);
            assertThat(toB4.json().get("status").getAsString()).isEqualTo("COMMITTED");
            Http.Response byPix = Http.post(dora.url() + "/api/v1/transfers", dora.token(), "{\"id\":\"dora-pix\","
                    + "\"legs\":[" + Customers.pixLeg("b4", dora.account(), bias, 1_000) + "]}");
            assertThat(byPix.status()).as("b4 resolves a key registered before it joined: " + byPix).isEqualTo(200);
            assertThat(byPix.json().get("status").getAsString()).isEqualTo("COMMITTED");

            Http.Response audit = Http.post(cluster.url("b4") + "/api/v1/audits", BankCluster.OPERATOR, "");
            assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
            JsonObject a = audit.json();
            assertThat(a.getAsJsonObject("perBank").keySet()).containsExactly("b1", "b2", "b3", "b4");
            assertThat(a.get("total").getAsLong()).isEqualTo(10_000);
            assertThat(a.get("reconciled").getAsBoolean()).as(a.toString()).isTrue();
            assertThat(balance(ana)).isEqualTo(7_500);
            assertThat(balance(bia)).isEqualTo(1_000);
            assertThat(balance(dora)).isEqualTo(1_500);
        }
    }

    private static List<String> view(BankCluster cluster, String bank, String field) {
        return Http.get(cluster.url(bank) + "/api/v1/consortium", BankCluster.OPERATOR).json().getAsJsonObject("view")
                .getAsJsonArray(field).asList().stream().map(m -> m.getAsString()).toList();
    }
}
