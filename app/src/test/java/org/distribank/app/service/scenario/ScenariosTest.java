package org.distribank.app.service.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.service.ConsortiumMonitor;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.VectorClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each built-in scenario run to its end against one real embedded consortium of three banks (shared: the scenarios
 * set up their own customers, and each undoes its faults), checking what a student would check.
 */
class ScenariosTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScenariosTest.class);

    @TempDir
    static Path dir;
    private static EmbeddedConsortium consortium;
    private static ConsortiumMonitor monitor;
    private static ScenarioRunner runner;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
        monitor = new ConsortiumMonitor(consortium, 500, 5_000);
        monitor.start();
        runner = new ScenarioRunner(consortium, monitor);
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (consortium != null) {
            consortium.close();
        }
    }

    @AfterEach
    void undo() {
        runner.reset();
    }

    /** Runs scenario {@code id} step by step to its end; the pauses in order. */
    private static List<Pause> runToEnd(String id) {
        List<Pause> pauses = new ArrayList<>();
        Pause p = runner.begin(id);
        assertThat(p.done()).isZero();
        while (!p.finished()) {
            p = runner.step();
            LOG.info("{} {}/{} {}: {}", id, p.done(), p.steps(), p.title(), p.explanation());
            assertThat(p.explanation()).isNotBlank();
            pauses.add(p);
        }
        return pauses;
    }

    private static ScenarioContext context() {
        return runner.context();
    }

    @Test
    void concurrentTransfersWithEqualSumsAreDeliveredInTieBreakOrderEverywhere() {
        // the two submissions race the slowed links' 400 ms: on a loaded host one can be late enough to have heard
        // of the other (then causality orders them, and the page says so): up to three runs for a concurrent pair
        for (int run = 0; run < 3; run++) {
            List<Pause> pauses = runToEnd(Scenarios.TIE_BREAK);
            ScenarioContext c = context();
            VectorClock t1 = Scenarios.opClocks(c).get("T1");
            VectorClock t2 = Scenarios.opClocks(c).get("T2");
            List<String> atB1 = c.delivered("b1").stream().filter(id -> id.equals("T1") || id.equals("T2")).toList();
            for (String bank : List.of("b2", "b3")) {
                assertThat(c.delivered(bank).stream().filter(id -> id.equals("T1") || id.equals("T2")).toList())
                        .as("delivery order at %s as at b1", bank).isEqualTo(atB1);
            }
            if (!t1.concurrentWith(t2) || t1.sum() != t2.sum()) {
                assertThat(pauses.get(2).explanation()).contains("Reset and run it again");
                runner.reset();
                continue;
            }
            assertThat(atB1).as("the tie-break by bank id: b1's T1 first").containsExactly("T1", "T2");
            assertThat(pauses.get(2).explanation()).contains("tie-break").contains("equal sums");
            assertThat(pauses.get(2).events()).anyMatch(e -> e.type() == EventType.DELIVER);
            return;
        }
        throw new AssertionError("no run of three gave two concurrent transfers with equal sums");
    }

    @Test
    void aNoVoteOnOneLegAbortsEveryLeg() {
        List<Pause> pauses = runToEnd(Scenarios.NO_VOTE);
        ScenarioContext c = context();
        assertThat(c.first("b2", EventType.VOTE, "T")).hasValueSatisfying(v ->
                assertThat(v.detail()).startsWith("NO").contains("ACCOUNT_NOT_FOUND"));
        assertThat(c.first("b1", EventType.VOTE, "T")).hasValueSatisfying(v -> assertThat(v.detail()).isEqualTo("YES"));
        for (String bank : List.of("b1", "b2", "b3")) {
            assertThat(c.seen(bank, EventType.ABORT, "T")).as("ABORT at %s", bank).isTrue();
            assertThat(c.seen(bank, EventType.COMMIT, "T")).as("no COMMIT at %s", bank).isFalse();
        }
        TransactionResult r = c.outcome("T");
        assertThat(r.status()).isEqualTo("ABORTED");
        assertThat(r.reason()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(r.failedLeg()).isEqualTo(1);
        assertThat(c.balance("Ana")).isEqualTo(10_000);
        assertThat(c.balance("Carla")).isZero();
        assertThat(pauses.get(1).explanation()).contains("b2 NO");
    }

    @Test
    void aVoterKilledBeforeItsVoteLeftIsVotedOutAndTheOperationAbortsEverywhere() {
        List<Pause> pauses = runToEnd(Scenarios.KILLED_VOTER);
        ScenarioContext c = context();
        assertThat(c.first("b3", EventType.VOTE, "T")).hasValueSatisfying(v -> assertThat(v.detail()).isEqualTo("YES"));
        TransactionResult r = c.outcome("T");
        assertThat(r.status()).isEqualTo("ABORTED");
        assertThat(r.reason()).isEqualTo("BANK_OFFLINE");
        assertThat(c.seen("b1", EventType.COMMIT, "T")).isFalse();
        // restarted, b3 decided the same: its own vote was not in the cut of the view that left it out
        assertThat(c.first("b3", EventType.ABORT, "T")).hasValueSatisfying(a ->
                assertThat(a.detail()).contains("BANK_OFFLINE"));
        assertThat(pauses.get(3).explanation()).contains("voted b3 out");
        assertThat(c.view("b3").members()).contains("b1", "b2", "b3");
        assertThat(c.balance("Caio")).isZero();
        assertThat(c.balance("Ana")).isEqualTo(10_000);
        assertThat(pauses.get(3).events()).anyMatch(e -> e.type() == EventType.VIEW);
    }

    @Test
    void aTransferHeldBehindACutLinkIsDeliveredOnceItIsRestored() {
        List<Pause> pauses = runToEnd(Scenarios.CUT_LINK);
        ScenarioContext c = context();
        Pause held = pauses.get(2);
        assertThat(held.explanation()).contains("none from b2");
        // at the pause nothing of T had reached b2, and nobody had delivered it
        assertThat(held.events()).noneMatch(e -> e.self().equals("b2") && c.id("T").equals(e.opId()));
        assertThat(held.events()).noneMatch(e -> e.type() == EventType.DELIVER && c.id("T").equals(e.opId()));
        assertThat(c.outcome("T").committed()).isTrue();
        for (String bank : List.of("b1", "b2", "b3")) {
            assertThat(c.seen(bank, EventType.DELIVER, "T")).as("DELIVER at %s", bank).isTrue();
        }
        assertThat(c.balance("Carla")).isEqualTo(1_000);
    }

    @Test
    void aStudentWhoPausesLongOnTheHeldTransferSeesTheCutOffBankVotedOutAndCatchingUp() {
        Pause p = runner.begin(Scenarios.CUT_LINK);
        for (int i = 0; i < 3; i++) {
            p = runner.step();
        }
        assertThat(p.explanation()).contains("none from b2");
        ScenarioContext c = context();
        long epoch = c.view("b1").epoch();
        // the pause outlasts the detector: b1 and b3 suspect the member holding the order up and vote it out
        await().atMost(Duration.ofSeconds(30)).until(() -> c.view("b1").epoch() > epoch);

        Pause last = runner.step();

        assertThat(last.finished()).isTrue();
        assertThat(last.explanation()).contains("voted b2 out");
        assertThat(c.outcome("T").committed()).isTrue();
        assertThat(c.seen("b2", EventType.DELIVER, "T")).isTrue();
    }

    @Test
    void scenariosRunAgainAndAfterOneAnotherEvenAfterAViewChange() {
        runToEnd(Scenarios.KILLED_VOTER);
        for (int run = 0; run < 2; run++) {
            runToEnd(Scenarios.TIE_BREAK);
            ScenarioContext c = context();
            assertThat(Scenarios.opClocks(c)).as("run %d: both OPs sent and seen", run).containsKeys("T1", "T2");
            assertThat(c.outcome("T1").committed() && c.outcome("T2").committed()).as("run %d", run).isTrue();
            assertThat(c.delivered("b3")).contains("T1", "T2");
        }
    }

    @Test
    void startingOverEndsAStepStillWaitingAtOnceNotAtItsTimeout() throws Exception {
        CountDownLatch acted = new CountDownLatch(1);
        Scenario never = new Scenario("never", "Never", "A step whose condition never holds.", null, List.of(
                new Step("Wait for nothing that comes", c -> acted.countDown(), "a condition that never holds",
                        c -> false, Duration.ofSeconds(60), c -> "unreachable")));
        try (ScenarioRunner own = new ScenarioRunner(consortium, monitor, List.of(never))) {
            own.begin("never");
            CompletableFuture<Pause> step = CompletableFuture.supplyAsync(own::step);
            assertThat(acted.await(10, TimeUnit.SECONDS)).isTrue();

            // the page's Reset (and choosing a scenario) begins again, while the step holds the runner
            CompletableFuture<Pause> again = CompletableFuture.supplyAsync(() -> own.begin("never"));

            assertThat(again).succeedsWithin(Duration.ofSeconds(10)).satisfies(p -> assertThat(p.done()).isZero());
            assertThat(step).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                    .havingCause().isInstanceOf(ScenarioException.class).withMessageContaining("stopped by a reset");
        }
    }
}
