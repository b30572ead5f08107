package org.distribank.bank.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.distribank.bank.BankLimits;
import org.distribank.bank.TestClock;
import org.distribank.common.ApiException;
import org.junit.jupiter.api.Test;

/** The sign-in limits without a server: which keys lock, what a success gives back, that records expire. */
class LoginThrottleTest {

    private static BankLimits limits() {
        return BankLimits.builder()
                .loginFailuresPerUserAddress(5)
                .loginFailuresPerUser(8)
                .loginFailuresPerAddress(12)
                .loginLockout(Duration.ofMinutes(15))
                .maxTrackedKeys(100)
                .build();
    }

    private static void fail(LoginThrottle t, String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            t.failed(t.reserve(user, address));
        }
    }

    private static int status(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @Test
    void aGuesserLocksOnlyItsOwnAddressUntilManyAddressesJoin() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(limits(), clock);
        fail(t, "victim", "127.0.0.66", 5);
        assertThatThrownBy(() -> t.reserve("victim", "127.0.0.66")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(429))
                .satisfies(e -> assertThat(((ApiException) e).body().get("retryAfter").getAsLong()).isEqualTo(900));
        // the victim, from home, still signs in
        t.succeeded(t.reserve("victim", "127.0.1.10"));
        // guesses from several addresses add up per username: 8 in all, then everyone waits
        fail(t, "victim", "127.0.0.67", 3);
        assertThat(status(() -> t.reserve("victim", "127.0.1.10"))).isEqualTo(429);
        // after the lockout, all is forgotten
        clock.advance(Duration.ofMinutes(15));
        t.succeeded(t.reserve("victim", "127.0.0.66"));
    }

    @Test
    void oneAddressSprayingUsernamesIsStoppedAndMemoryStaysBounded() {
        TestClock clock = new TestClock();
        LoginThrottle t = new LoginThrottle(limits(), clock);
        for (int i = 0; i < 12; i++) {
            t.failed(t.reserve("invented-" + i, "127.0.0.66"));
        }
        assertThat(status(() -> t.reserve("invented-99", "127.0.0.66"))).isEqualTo(429);
        assertThat(status(() -> t.reserve("invented-99", "127.0.0.67"))).isZero();
        // many addresses inventing usernames: the table keeps at most maxTrackedKeys records
        for (int i = 0; i < 2_000; i++) {
            t.failed(t.reserve("u" + i, "10.1." + (i / 250) + "." + (i % 250)));
        }
        assertThat(t.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void reservationsInFlightCountSoParallelGuessesCannotPassTogether() {
        LoginThrottle t = new LoginThrottle(limits(), new TestClock());
        // five attempts reserved, none settled yet (bcrypt still running)
        for (int i = 0; i < 5; i++) {
            t.reserve("target", "127.0.0.66");
        }
        assertThat(status(() -> t.reserve("target", "127.0.0.66"))).isEqualTo(429);
    }
}
