package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol keeps only its latest outcomes in memory (NodeOptions.recentOutcomes); older ids are the state
 * machine's to remember (StateMachine.outcomeOf): a client retrying an old id still gets its first outcome, at any
 * peer, and nothing is ordered again.
 */
class RecentOutcomesTest {

    @TempDir
    Path dir;

    @Test
    void theHeapKeepsAWindowOfOutcomesAndAnOldIdRetriedGetsItsFirstOutcome() throws Exception {
        TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(10_000);
        c.tune = b -> b.recentOutcomes(3);
        try (c) {
            c.start();
            Outcome first = null;
            for (int i = 0; i < 8; i++) {
                Outcome o = c.node("b1").submit("op-" + i, CounterStateMachine.payload("x", 1)).get(30, TimeUnit.SECONDS);
                assertThat(o.committed()).isTrue();
                first = first == null ? o : first;
            }
            c.awaitDelivered(8, Duration.ofSeconds(30));
            for (TestCluster.Member m : c.members()) {
                assertThat(m.node.recentOutcomeCount()).as(m.id).isEqualTo(3);
            }

            // op-0 left every core's window long ago: the machine still knows it, so the retry is answered, not ordered
            Outcome retried = c.node("b2").submit("op-0", CounterStateMachine.payload("x", 1)).get(30, TimeUnit.SECONDS);
            assertThat(retried).isEqualTo(first);
            assertThat(c.node("b3").outcome("op-0")).contains(first);
            Outcome next = c.node("b3").submit("op-8", CounterStateMachine.payload("x", 1)).get(30, TimeUnit.SECONDS);
            assertThat(next.position()).isEqualTo(9);
            c.awaitDelivered(9, Duration.ofSeconds(30));
            for (TestCluster.Member m : c.members()) {
                assertThat(m.machine.value("x")).as(m.id).isEqualTo(9);
                assertThat(m.node.logHash()).as(m.id).isEqualTo(c.node("b1").logHash());
            }
        }
    }
}
