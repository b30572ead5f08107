package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 6: what a bank holds for operations in flight is bounded (a clear 429 when full, drained by the
 * decisions even after 202 answers), and the operator's list of operations comes in pages, each operation exactly
 * once, from the store (also after a restart).
 */
class BoundedStateTest {

    @TempDir
    Path dir;

    @Test
    void operationsInFlightAreBoundedAndDrainedByTheirDecisions() {
        try (BankCluster cluster = BankCluster.start(dir, 2, false, o -> o.answerWaitMs(300)
                .limits(BankLimits.loopback().toBuilder().maxInFlight(3).build()))) {
            Customer c = personal("b1", cluster.url("b1"), "Lia Limite");
            deposit(c, 1_000);
            Http.Response cut = Http.call("PUT", c.url() + "/api/v1/admin/links/b2", BankCluster.OPERATOR,
                    "{\"state\":\"CUT\"}");
            assertThat(cut.status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                Http.Response r = Http.post(c.url() + "/api/v1/deposits", c.token(),
                        "{\"account\":\"" + c.account() + "\",\"amount\":5}");
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
            }
            Http.Response full = Http.post(c.url() + "/api/v1/deposits", c.token(),
                    "{\"account\":\"" + c.account() + "\",\"amount\":5}");
            assertThat(full.status()).as(full.toString()).isEqualTo(429);
            assertThat(full.error()).isEqualTo("TOO_MANY_IN_FLIGHT");
            // the three are decided once the link is back: their entries go, though their callers heard 202
            Http.call("PUT", c.url() + "/api/v1/admin/links/b2", BankCluster.OPERATOR, "{\"state\":\"UP\"}");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Customers.balance(c))
                    .isEqualTo(1_015));
            for (int i = 0; i < 4; i++) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.post(c.url()
                        + "/api/v1/deposits", c.token(), "{\"account\":\"" + c.account() + "\",\"amount\":1}")
                        .status()).isEqualTo(200));
            }
        }
    }

    @Test
    void theOperationsListComesInPagesWithEveryOperationExactlyOnce() {
        try (BankCluster cluster = BankCluster.start(dir, 2, false)) {
            Customer a = personal("b1", cluster.url("b1"), "Pia Pagina");
            Customer b = personal("b2", cluster.url("b2"), "Rui Pagina");
            for (int i = 0; i < 12; i++) {
                deposit(i % 2 == 0 ? a : b, 10 + i);
            }
            long delivered = Http.get(cluster.url("b1") + "/api/v1/consortium", BankCluster.OPERATOR).json()
                    .get("delivered").getAsLong();
            assertThat(positions(cluster.url("b1"), 5)).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, delivered).boxed().toList());
            Http.Response bad = Http.get(cluster.url("b1") + "/api/v1/admin/operations?limit=100000",
                    BankCluster.OPERATOR);
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(Http.get(cluster.url("b1") + "/api/v1/admin/operations?after=x", BankCluster.OPERATOR)
                    .status()).isEqualTo(400);
            // from the bank's store: the same pages after a restart
            cluster.restart("b1");
            assertThat(positions(cluster.url("b1"), 4)).hasSize((int) delivered);
        }
    }

    /** Every position of every page, following "next" with pages of {@code limit}. */
    private static List<Long> positions(String url, int limit) {
        List<Long> seen = new ArrayList<>();
        String after = "0";
        for (int pages = 0; pages < 100; pages++) {
            Http.Response r = Http.get(url + "/api/v1/admin/operations?after=" + after + "&limit=" + limit,
                    BankCluster.OPERATOR);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonArray ops = r.json().getAsJsonArray("operations");
            assertThat(ops.size()).isLessThanOrEqualTo(limit);
            ops.forEach(o -> seen.add(((JsonObject) o).get("position").getAsLong()));
            if (!r.json().has("next")) {
                return seen;
            }
            after = r.json().get("next").getAsString();
        }
        throw new AssertionError("more than 100 pages");
    }
}
