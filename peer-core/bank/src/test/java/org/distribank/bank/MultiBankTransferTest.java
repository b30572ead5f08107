package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;
import static org.distribank.bank.Customers.pixLeg;
import static org.distribank.bank.Customers.samePersonLinked;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One customer's accounts at b1, b2 and b3 paying into an account at b4 in one transaction (one data server
 * shared by the four banks): all legs commit, or none.
 */
class MultiBankTransferTest {

    @TempDir
    static Path dir;
    static BankCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BankCluster.start(dir, 4, true);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Customer[] payerAndPayee() {
        Customer a1 = personal("b1", cluster.url("b1"), "Ana Souza");
        Customer a2 = samePersonLinked(a1, "b2", cluster.url("b2"));
        Customer a3 = samePersonLinked(a1, "b3", cluster.url("b3"));
        Customer payee = personal("b4", cluster.url("b4"), "Bruno Lima");
        deposit(a1, 10_000);
        deposit(a2, 20_000);
        deposit(a3, 30_000);
        return new Customer[] {a1, a2, a3, payee};
    }

    private static String transfer(String... legs) {
        return "{\"legs\":[" + String.join(",", legs) + "]}";
    }

    @Test
    void threeBanksPayOneAccountAtAFourthInOneTransaction() {
        Customer[] c = payerAndPayee();
        Http.Response r = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                leg("b1", c[0].account(), "b4", c[3].account(), 1_000),
                leg("b2", c[1].account(), "b4", c[3].account(), 2_000),
                leg("b3", c[2].account(), "b4", c[3].account(), 3_000)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(r.json().getAsJsonObject("order").get("origin").getAsString()).isEqualTo("b1");
        assertThat(r.json().getAsJsonObject("order").getAsJsonObject("clock").keySet())
                .containsExactly("b1", "b2", "b3", "b4");
        // read at every bank right after the answer: each shows it
        assertThat(balance(c[0])).isEqualTo(9_000);
        assertThat(balance(c[1])).isEqualTo(18_000);
        assertThat(balance(c[2])).isEqualTo(27_000);
        assertThat(balance(c[3])).isEqualTo(6_000);
        Http.Response st = Http.get(c[3].url() + "/api/v1/accounts/" + c[3].account() + "/statement", c[3].token());
        assertThat(st.status()).isEqualTo(200);
        assertThat(st.json().getAsJsonArray("entries")).hasSize(3);
        assertThat(st.json().getAsJsonArray("entries").get(2).getAsJsonObject().get("balanceAfter").getAsLong())
                .isEqualTo(6_000);
        Http.Response st2 = Http.get(c[1].url() + "/api/v1/accounts/" + c[1].account() + "/statement", c[1].token());
        JsonObject last = st2.json().getAsJsonArray("entries").get(1).getAsJsonObject();
        assertThat(last.get("amount").getAsLong()).isEqualTo(-2_000);
        assertThat(last.get("kind").getAsString()).isEqualTo("TRANSFER_OUT");
    }

    @Test
    void oneLegShortOfFundsAbortsTheWholeTransaction() {
        Customer[] c = payerAndPayee();
        Http.Response r = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                leg("b1", c[0].account(), "b4", c[3].account(), 1_000),
                leg("b2", c[1].account(), "b4", c[3].account(), 20_001),
                leg("b3", c[2].account(), "b4", c[3].account(), 3_000)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").getAsString()).isEqualTo("ABORTED");
        assertThat(r.json().get("reason").getAsString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(r.json().get("failedLeg").getAsInt()).isEqualTo(1);
        assertThat(balance(c[0])).isEqualTo(10_000);
        assertThat(balance(c[1])).isEqualTo(20_000);
        assertThat(balance(c[2])).isEqualTo(30_000);
        assertThat(balance(c[3])).isZero();
        // the same answer from GET, at the origin
        Http.Response again = Http.get(c[0].url() + "/api/v1/transactions/" + r.json().get("id").getAsString(),
                c[0].token());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").getAsString()).isEqualTo("ABORTED");
    }

    @Test
    void aLegFromAnAccountOfSomeoneElseIsRefusedByItsBank() {
        Customer[] c = payerAndPayee();
        Customer stranger = personal("b2", cluster.url("b2"), "Carla Dias");
        deposit(stranger, 5_000);
        Http.Response r = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                leg("b1", c[0].account(), "b4", c[3].account(), 1_000),
                leg("b2", stranger.account(), "b4", c[3].account(), 1_000)));
        // no consent of b2's covers the stranger's account: refused at the origin, nothing ordered
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("NO_CONSENT");
        Http.Response missing = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                leg("b1", c[0].account(), "b4", "999999", 1_000)));
        assertThat(missing.json().get("reason").getAsString()).as(missing.toString()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(missing.json().get("failedLeg").getAsInt()).isZero();
        assertThat(balance(stranger)).isEqualTo(5_000);
        assertThat(balance(c[0])).isEqualTo(10_000);
        assertThat(balance(c[3])).isZero();
    }

    @Test
    void payByPixKeyFromThreeBanks() {
        Customer[] c = payerAndPayee();
        String email = c[3].username() + "@example.com";
        Http.Response reg = Http.post(c[3].url() + "/api/v1/pix-keys", c[3].token(),
                "{\"account\":\"" + c[3].account() + "\",\"type\":\"EMAIL\",\"value\":\"" + email + "\"}");
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
        // any bank resolves it, name masked
        Http.Response resolved = Http.get(c[0].url() + "/api/v1/pix-keys/" + email, c[0].token());
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().get("bank").getAsString()).isEqualTo("b4");
        assertThat(resolved.json().get("account").getAsString()).isEqualTo(c[3].account());
        assertThat(resolved.json().get("name").getAsString()).isEqualTo("Bruno L***");
        Http.Response r = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                pixLeg("b1", c[0].account(), email, 100),
                pixLeg("b2", c[1].account(), email, 200),
                pixLeg("b3", c[2].account(), email, 300)));
        assertThat(r.json().get("status").getAsString()).as(r.toString()).isEqualTo("COMMITTED");
        assertThat(balance(c[3])).isEqualTo(600);
        Http.Response shortLeg = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                pixLeg("b1", c[0].account(), email, 100),
                pixLeg("b3", c[2].account(), email, 1_000_000)));
        assertThat(shortLeg.json().get("status").getAsString()).isEqualTo("ABORTED");
        assertThat(shortLeg.json().get("failedLeg").getAsInt()).isEqualTo(1);
        assertThat(balance(c[3])).isEqualTo(600);
        Http.Response unknown = Http.post(c[0].url() + "/api/v1/transfers", c[0].token(), transfer(
                pixLeg("b1", c[0].account(), "nobody-" + email, 100)));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("PIX_KEY_NOT_FOUND");
    }

    @Test
    void twoBanksRacingToRegisterOneKeyExactlyOneWins() {
        for (int round = 0; round < 3; round++) {
            String phone = "+55119" + (80_000_000 + round * 1_111 + (int) (System.nanoTime() % 1_000));
            List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
            for (String bank : List.of("b1", "b2", "b3")) {
                // the same phone registered by a person at each bank (a PHONE key must be one's own phone)
                Customer c = Customers.personalWith(bank, cluster.url(bank), "Racer " + bank, Customers.newCpf(),
                        ",\"phone\":\"" + phone + "\"");
                calls.add(CompletableFuture.supplyAsync(() -> Http.post(c.url() + "/api/v1/pix-keys", c.token(),
                        "{\"account\":\"" + c.account() + "\",\"type\":\"PHONE\",\"value\":\"" + phone + "\"}")));
            }
            List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(Http.Response::status).toList();
            assertThat(statuses).as(statuses.toString()).containsOnly(201, 409);
            assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        }
    }

    @Test
    void auditEqualsDepositsMinusWithdrawals() {
        JsonObject before = audit();
        Customer[] c = payerAndPayee();
        Http.Response w = Http.post(c[0].url() + "/api/v1/withdrawals", c[0].token(),
                "{\"account\":\"" + c[0].account() + "\",\"amount\":2500}");
        assertThat(w.json().get("status").getAsString()).isEqualTo("COMMITTED");
        JsonObject after = audit();
        assertThat(after.get("total").getAsLong() - before.get("total").getAsLong()).isEqualTo(60_000 - 2_500);
        assertThat(after.getAsJsonObject("perBank").keySet()).containsExactly("b1", "b2", "b3", "b4");
        assertThat(after.get("position").getAsLong()).isGreaterThan(before.get("position").getAsLong());
    }

    static JsonObject audit() {
        Http.Response r = Http.post(cluster.url("b2") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
