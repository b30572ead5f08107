package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.ConsortiumException;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bank whose disk fails an fsync stops at once, says why, and acknowledges nothing it could not keep. */
class FailStopTest {

    @TempDir
    Path dir;

    @Test
    void aFailedFsyncStopsTheNodeBeforeItAcknowledgesAnything() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            Outcome first = c.node("b1").submit("before", CounterStateMachine.payload("x", 1)).get(20, TimeUnit.SECONDS);
            assertThat(first.committed()).isTrue();
            c.awaitDelivered(1, Duration.ofSeconds(10));
            long deliveredBefore = c.node("b1").view().delivered();

            c.failDisk("b2", "Input/output error");
            CompletableFuture<Outcome> during = c.node("b1").submit("during", CounterStateMachine.payload("x", 1));

            await().atMost(Duration.ofSeconds(10)).until(() -> c.node("b2").failure() != null);
            assertThat(c.node("b2").stoppedBecause()).get().asString().contains("Input/output error");
            assertThatThrownBy(() -> c.node("b2").submit("refused", CounterStateMachine.payload("x", 1)))
                    .isInstanceOf(ConsortiumException.class).hasMessageContaining("Input/output error");
            // b2 never acknowledged "during" (its burst was not durable), so nobody could deliver it
            assertThat(during).isNotDone();
            assertThat(c.node("b1").deliveredCount()).isEqualTo(deliveredBefore);

            // the operator replaces the disk and restarts b2: it recovers from what was durable and the order goes on
            c.kill("b2");
            c.restart("b2");
            assertThat(during.get(30, TimeUnit.SECONDS).committed()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.members().stream()
                    .allMatch(m -> m.node.deliveredCount() == 2 && m.machine.value("x") == 2));
        }
    }
}
