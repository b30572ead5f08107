package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.core.ProtocolCore;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state machine that throws on one operation refuses that operation, the same way everywhere, and nothing halts. */
class MachineErrorTest {

    @TempDir
    Path dir;

    @Test
    void aVoteThatThrowsRefusesThatOperationAndTheOrderGoesOn() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            // the counter machine cannot read this delta: its vote throws at b2, the voter
            Outcome poisoned = c.node("b1").submit("poisoned", "key=x;delta=oops;voters=b2").get(20, TimeUnit.SECONDS);
            assertThat(poisoned.committed()).isFalse();
            assertThat(poisoned.reason()).isEqualTo(ProtocolCore.MACHINE_ERROR);
            assertThat(poisoned.voter()).isEqualTo("b2");

            Outcome next = c.node("b3").submit("next", "key=x;delta=5;voters=b2").get(20, TimeUnit.SECONDS);
            assertThat(next.committed()).as("the consortium did not halt").isTrue();

            // the voter's NO was logged: a restart replays it (the machine's restoreVote throws again) and agrees
            c.kill("b2");
            c.restart("b2");
            await().atMost(Duration.ofSeconds(20)).until(() -> c.members().stream()
                    .allMatch(m -> m.node.deliveredCount() == 2 && m.machine.value("x") == 5));
            for (TestCluster.Member m : c.members()) {
                assertThat(m.machine.history()).as("history of %s", m.id)
                        .containsExactly("poisoned:ABORTED:" + ProtocolCore.MACHINE_ERROR, "next:COMMITTED");
            }
        }
    }
}
