package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's supervisor (PROTOCOL.md, "Rebuild from the log"): two of five banks are cut off from the other three
 * but not from each other, and b4's client deposits meanwhile, so b5 holds b4's OP and b4 holds b5's ACK, messages
 * that no member of the view the other three decide holds. Healed, each finds itself past that view's cut, logs a
 * rebuild and asks to be restarted; the launcher restarts it within a second, its replay leaves those messages out,
 * and it is voted back in. The deposit b4 took back is not lost: its client's retry of the same id commits it.
 */
class SupervisorTest {

    private static final List<String> MAJORITY = List.of("b1", "b2", "b3");
    private static final List<String> MINORITY = List.of("b4", "b5");

    @TempDir
    Path dir;

    @Test
    void banksLeftPastACutAreRestartedByTheLauncherAndRejoin() throws Exception {
        LaunchOptions o = LaunchOptions.builder().banks(5).dataDir(dir.resolve("data")).bcryptCost(4).views(true)
                .heartbeat(200, 1_000).build();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            String b4 = c.bank("b4").url();
            String account = Customers.openPersonal(b4, "Dora Reis", Customers.newCpf(), "dora");
            String token = Customers.login(b4, "dora");

            links(c, "CUT");
            String deposit = "{\"id\":\"while-cut-off\",\"account\":\"" + account + "\",\"amount\":700}";
            CompletableFuture<Http.Response> pending = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.call("POST", b4 + "/api/v1/deposits", token, deposit, Duration.ofSeconds(30));
                } catch (Exception e) {
                    return null; // the client hears nothing: it retries the same id below
                }
            });
            await("b1, b2 and b3 vote the two out").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> members(c, "b1").equals(MAJORITY));
            links(c, "UP");

            await("the launcher restarts both, and they are voted back in").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> List.of("b1", "b2", "b3", "b4", "b5").stream()
                            .allMatch(b -> members(c, b).size() == 5));
            assertThat(MINORITY).allSatisfy(b -> assertThat(c.supervisedRestarts(b)).as(b + " restarted by the "
                    + "launcher").isPositive());
            assertThat(MAJORITY).allSatisfy(b -> assertThat(c.supervisedRestarts(b)).isZero());
            pending.cancel(true);

            Http.Response retried = await("the client's retry of the same id").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Http.call("POST", b4 + "/api/v1/deposits", Customers.login(b4, "dora"), deposit,
                            Duration.ofSeconds(10)), r -> r.status() == 200);
            assertThat(retried.field("status")).as(retried.toString()).isEqualTo("COMMITTED");
            assertThat(Customers.balance(b4, Customers.login(b4, "dora"), account)).as("deposited once")
                    .isEqualTo(700);
        }
    }

    /** Every link between the two groups, both ways, through each bank's operator API. */
    private static void links(RunningConsortium c, String state) throws Exception {
        for (String a : MINORITY) {
            for (String b : MAJORITY) {
                for (String[] link : List.of(new String[] {a, b}, new String[] {b, a})) {
                    Http.Response r = Http.call("PUT", c.bank(link[0]).url() + "/api/v1/admin/links/" + link[1],
                            c.operatorToken(link[0]), "{\"state\":\"" + state + "\"}", Duration.ofSeconds(10));
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                }
            }
        }
    }

    private static List<String> members(RunningConsortium c, String bank) {
        JsonObject v = c.consortiumView(bank);
        List<String> out = new ArrayList<>();
        if (v != null && v.has("view")) {
            v.getAsJsonObject("view").getAsJsonArray("members").forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }
}
