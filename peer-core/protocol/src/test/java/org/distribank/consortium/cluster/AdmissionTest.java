package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine's consumer holds a node's frames back ({@code admitFramesWhile}, e.g. a bank whose applier is
 * too far behind its data server): nothing new is delivered there, nothing is lost, and once it admits again the
 * peers' resent frames are delivered and every node agrees. Its own events go on the node's stream ({@code report}).
 */
class AdmissionTest {

    @Test
    void aNodeThatAdmitsNoFramesDeliversNothingNewUntilItAdmitsAgain(@TempDir Path dir) throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            AtomicBoolean open = new AtomicBoolean(false);
            c.node("b2").admitFramesWhile(open::get);
            long before = c.node("b2").deliveredCount();
            CompletableFuture<Outcome> f = c.node("b1").submit("held-1", CounterStateMachine.payload("x", 1));
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                    .until(() -> !f.isDone() && c.node("b2").deliveredCount() == before);

            open.set(true);
            assertThat(f.get(20, TimeUnit.SECONDS).committed()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> c.members().stream()
                    .allMatch(m -> m.machine.value("x") == 1));

            c.node("b2").report(EventType.HEALTH, null, "DEGRADED applier stopped");
            assertThat(c.node("b2").events().recent()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.HEALTH);
                assertThat(e.detail()).isEqualTo("DEGRADED applier stopped");
                assertThat(e.self()).isEqualTo("b2");
            });
        }
    }
}
