package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.distribank.bank.Customers.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionExpiryTest {

    @Test
    void anExpiredTokenIs401(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> o.sessionTtl = Duration.ofMillis(1_500))) {
            Customer c = Customers.personal("b1", cluster.url("b1"), "Vera");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Http.Response r = Http.get(c.url() + "/api/v1/me", c.token());
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.error()).isEqualTo("SESSION_EXPIRED");
            });
        }
    }
}
