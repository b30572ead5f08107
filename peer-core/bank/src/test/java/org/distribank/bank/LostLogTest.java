package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.personal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator replaces b2's disk and starts it again on an empty protocol directory (its data server kept). b2
 * cannot take part with a past its peers do not share: at the first frame of a peer it stops, and its health
 * says DOWN (503) with the reason, which is what a load balancer and the operator see; its peers stay UP.
 */
class LostLogTest {

    @TempDir
    Path dir;

    @Test
    void aBankStartedOnALostLogIsDownAndSaysWhy() throws IOException {
        try (BankCluster cluster = BankCluster.start(dir, 2, true, o -> o.answerWaitMs(1_000))) {
            Customer a = personal("b1", cluster.url("b1"), "Rita Gomes");
            Customer b = personal("b2", cluster.url("b2"), "Saulo Dias");
            deposit(a, 1_000);
            deposit(b, 2_000);

            cluster.stop("b2");
            deleteTree(cluster.logDir("b2"));
            cluster.restart("b2");

            // b1's next operation goes to b2 in a frame that says how many of b2's messages b1 holds
            Http.Response d = Http.post(a.url() + "/api/v1/deposits", a.token(),
                    "{\"account\":\"" + a.account() + "\",\"amount\":5}");
            assertThat(d.status()).as(d.toString()).isIn(200, 202);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Response h = Http.get(cluster.url("b2") + "/health", null);
                assertThat(h.status()).isEqualTo(503);
                assertThat(h.json().get("status").getAsString()).isEqualTo("DOWN");
                assertThat(h.json().get("reason").getAsString()).contains("data directory was lost");
            });
            assertThat(Http.get(cluster.url("b1") + "/health", null).json().get("status").getAsString())
                    .isEqualTo("UP");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
