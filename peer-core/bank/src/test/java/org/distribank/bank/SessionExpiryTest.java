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
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> o.sessionTtl(Duration.ofMillis(1_500)))) {
            Customer c = Customers.personal("b1", cluster.url("b1"), "Vera");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Http.Response r = Http.get(c.url() + "/api/v1/me", c.token());
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.error()).isEqualTo("SESSION_EXPIRED");
            });
        }
    }

    @Test
    void expiredSessionsLeaveMemoryOnATimerAndAUserKeepsAtMostTheCap(@TempDir Path dir) {
        TestClock clock = new TestClock();
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> {
            o.clock(clock);
            o.sessionTtl(Duration.ofMinutes(10));
            o.limits(BankLimits.loopback().toBuilder().maxSessionsPerUser(3).sessionSweepPeriod(Duration.ofMillis(50))
                    .build());
        })) {
            BankPeer bank = cluster.bank("b1");
            Customer c = Customers.personal("b1", cluster.url("b1"), "Sofia");
            // signing in a fourth time ends the oldest of the three sessions
            String second = Customers.login(c.url(), c.username());
            String third = Customers.login(c.url(), c.username());
            String fourth = Customers.login(c.url(), c.username());
            Http.Response oldest = Http.get(c.url() + "/api/v1/me", c.token());
            assertThat(oldest.status()).isEqualTo(401);
            for (String t : new String[] {second, third, fourth}) {
                assertThat(Http.get(c.url() + "/api/v1/me", t).status()).isEqualTo(200);
            }
            assertThat(bank.sessions().sessionCount()).isEqualTo(3);
            // past the lifetime a token says so; past the grace the timer has dropped it without anyone asking
            clock.advance(Duration.ofMinutes(10));
            assertThat(Http.get(c.url() + "/api/v1/me", second).error()).isEqualTo("SESSION_EXPIRED");
            clock.advance(Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> bank.sessions().sessionCount() == 0);
            assertThat(Http.get(c.url() + "/api/v1/me", third).status()).isEqualTo(401);
        }
    }

    @Test
    void requestRatesPerSessionAndAddressAre429WithRetryAfter(@TempDir Path dir) {
        TestClock clock = new TestClock();
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> {
            o.clock(clock); // stands still: every request below falls in the same second
            o.limits(BankLimits.loopback().toBuilder().requestsPerSecondPerSession(5).requestsPerSecondPerAddress(12)
                    .build());
        })) {
            String url = cluster.url("b1");
            Customer c = Customers.personal("b1", url, "Rapid"); // 2 requests from this address
            for (int i = 0; i < 5; i++) {
                assertThat(Http.get(url + "/api/v1/me", c.token()).status()).isEqualTo(200);
            }
            java.net.http.HttpResponse<String> sixth = Http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/api/v1/me")).header("Authorization", "Bearer " + c.token()).GET().build());
            assertThat(sixth.statusCode()).isEqualTo(429);
            assertThat(sixth.body()).contains("\"error\":\"TOO_MANY_REQUESTS\"").contains("\"message\"");
            assertThat(sixth.headers().firstValue("Retry-After")).contains("1");
            // the address as a whole: 12 per second (2 + 5 + 1 used so far), anonymous calls included
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                if (Http.post(url + "/api/v1/sessions", null, "{\"username\":\"x\",\"password\":\"password-x\"}")
                        .status() == 429) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(2);
            // a second later both budgets are back
            clock.advance(Duration.ofSeconds(1));
            assertThat(Http.get(url + "/api/v1/me", c.token()).status()).isEqualTo(200);
            // the health check and the operator API are not counted
            assertThat(Http.get(url + "/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void accountOpeningsPerAddressAreLimited(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> o.limits(
                BankLimits.loopback().toBuilder().accountOpeningsPerHourPerAddress(2).build()))) {
            String url = cluster.url("b1");
            Customer first = Customers.personal("b1", url, "First");
            Customers.personal("b1", url, "Second");
            String cpf = Customers.newCpf();
            java.net.http.HttpResponse<String> third = Http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/api/v1/accounts")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"PERSONAL\",\"holder\":"
                            + Customers.holder("Third", cpf, "third" + cpf) + "}")).build());
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).contains("TOO_MANY_REQUESTS");
            assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
            // other calls are not counted in it
            assertThat(Customers.login(url, first.username())).isNotBlank();
            assertThat(Http.get(url + "/api/v1/me", first.token()).status()).isEqualTo(200);
        }
    }
}
