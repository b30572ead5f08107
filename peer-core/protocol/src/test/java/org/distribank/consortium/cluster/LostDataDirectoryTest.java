package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose data directory is lost (a replaced disk) and which is started again empty must not take part:
 * its peers hold its old messages under the sequence numbers it would now reuse, and their clocks count messages
 * it no longer knows. It used to come up "online" (heartbeats) and refuse every batch of its peers, so nothing
 * could ever be delivered again and nobody said why. It stops (fail-stop, the reason in {@code stoppedBecause})
 * at the first frame of a peer that holds more of its messages than its log has.
 */
class LostDataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aNodeStartedOnAnEmptyDataDirectoryStopsAndSaysItsLogWasLost() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.node("b" + (1 + i % 3)).submit("before-" + i, CounterStateMachine.payload("x", 1))
                        .get(20, TimeUnit.SECONDS).committed()).isTrue();
            }
            c.awaitDelivered(5, Duration.ofSeconds(10));

            c.stop("b3");
            deleteTree(dir.resolve("b3")); // the disk is replaced
            c.restart("b3"); // (a peer's resent frame may reach it while it starts: it may stop at once, as well)

            c.node("b1").submit("after", CounterStateMachine.payload("x", 1)); // b1's next frame to b3 carries its ack
            await().atMost(Duration.ofSeconds(20)).until(() -> c.node("b3").stoppedBecause().isPresent());
            assertThat(c.node("b3").stoppedBecause()).get().asString()
                    .contains("data directory was lost").contains("peer b");
            assertThat(c.node("b3").deliveredCount()).isZero();
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
