package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, a partition rather than a kill, in one process: with views on, b4's links to the others and theirs to b4
 * are cut by the operator (nothing stale can arrive later: a cut link fails at once). b4 takes a transfer between
 * two of its own customers just as the cut begins (202 PENDING: it cannot know yet); b1..b3 vote b4 out; the links
 * come back and b4 is voted back in. The transfer must not be lost: the client's retry with the same id (API.md)
 * gets a decision, and the money moved once if it committed.
 */
class ViewsPartitionTest {

    @TempDir
    Path dir;

    @Test
    void aTransferTakenAsTheCutBeginsIsDecidedOnceTheBankIsBack() {
        try (BankCluster cluster = BankCluster.start(dir, 4, false, o -> o.views(true).offlineMs(1_000)
                .heartbeatMs(200).answerWaitMs(1_000))) {
            Customer d = personal("b4", cluster.url("b4"), "Dora Reis");
            Customer e = personal("b4", cluster.url("b4"), "Eva Reis");
            deposit(d, 7_000);

            links(cluster, "CUT");
            String body = "{\"id\":\"caught-at-the-cut\",\"legs\":[" + leg("b4", d.account(), "b4", e.account(), 50)
                    + "]}";
            Http.Response first = Http.post(d.url() + "/api/v1/transfers", d.token(), body);
            assertThat(first.status()).as(first.toString()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> members(cluster, "b1").equals(List.of("b1", "b2", "b3")));

            links(cluster, "UP");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> members(cluster, "b1").size() == 4 && members(cluster, "b4").size() == 4);
            await("the transfer b4 took as the cut began gets a decision").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                        Http.Response r = Http.post(d.url() + "/api/v1/transfers", d.token(), body);
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    });
            Http.Response decided = Http.post(d.url() + "/api/v1/transfers", d.token(), body);
            long moved = "COMMITTED".equals(decided.json().get("status").getAsString()) ? 50 : 0;
            assertThat(balance(d)).as(decided.toString()).isEqualTo(7_000 - moved);
            assertThat(balance(e)).as(decided.toString()).isEqualTo(moved);
        }
    }

    /** Every link between b4 and the others, both ways, set to {@code state} (CUT or UP). */
    private static void links(BankCluster cluster, String state) {
        for (String other : List.of("b1", "b2", "b3")) {
            for (String[] pair : List.of(new String[] {"b4", other}, new String[] {other, "b4"})) {
                Http.Response r = Http.call("PUT", cluster.url(pair[0]) + "/api/v1/admin/links/" + pair[1],
                        BankCluster.OPERATOR, "{\"state\":\"" + state + "\"}");
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
        }
    }

    private static List<String> members(BankCluster cluster, String bank) {
        return Http.get(cluster.url(bank) + "/api/v1/consortium", BankCluster.OPERATOR).json().getAsJsonObject("view")
                .getAsJsonArray("members").asList().stream().map(m -> m.getAsString()).toList();
    }
}
