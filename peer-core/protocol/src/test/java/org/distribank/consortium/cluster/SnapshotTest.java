package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Snapshots with small thresholds: the log truncated under load, restarts from a snapshot to the same state. */
class SnapshotTest {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTest.class);
    private static final long SEGMENT = 4_096;
    private static final long EVERY_OPS = 25;

    @TempDir
    Path dir;

    private TestCluster cluster() {
        TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(10_000);
        c.tune = b -> b.segmentBytes(SEGMENT).snapshotEveryOps(EVERY_OPS).snapshotEveryBytes(0);
        return c.start();
    }

    private static void load(TestCluster c, String prefix, int n) throws Exception {
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String origin = c.ids().get(i % c.ids().size());
            fs.add(c.node(origin).submit(prefix + i, CounterStateMachine.payload("x", 1)));
        }
        for (CompletableFuture<Outcome> f : fs) {
            assertThat(f.get(30, TimeUnit.SECONDS).committed()).isTrue();
        }
    }

    private static void awaitAgreement(TestCluster c) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long d = c.members().get(0).node.deliveredCount();
            return c.members().stream().allMatch(m -> m.node.deliveredCount() == d && m.machine.decidedCount() == d
                    && m.node.view().queue().isEmpty());
        });
        TestCluster.Member ref = c.members().get(0);
        for (TestCluster.Member m : c.members()) {
            assertThat(m.node.logHash()).as("log hash of %s", m.id).isEqualTo(ref.node.logHash());
            assertThat(m.machine.history()).as("history of %s", m.id).isEqualTo(ref.machine.history());
            assertThat(m.machine.value("x")).isEqualTo(ref.machine.value("x"));
        }
    }

    private long segments(String id) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve(id))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
        }
    }

    @Test
    void theLogIsTruncatedBelowEveryMembersSnapshotAndStaysBoundedUnderSteadyLoad() throws Exception {
        try (TestCluster c = cluster()) {
            long peak = 0;
            for (int round = 0; round < 12; round++) {
                load(c, "r" + round + "-", 60);
                if (round >= 2) {
                    for (TestCluster.Member m : c.members()) {
                        peak = Math.max(peak, m.node.logBytes());
                    }
                }
            }
            awaitAgreement(c);
            for (TestCluster.Member m : c.members()) {
                assertThat(m.node.snapshotPosition()).as("%s took snapshots", m.id).isGreaterThan(0);
                assertThat(m.node.snapshotAt()).isPresent();
                assertThat(dir.resolve(m.id).resolve("log-00000001.seg")).as("first segment of %s deleted", m.id)
                        .doesNotExist();
                // 720 operations are hundreds of 4 KiB segments of log; what is kept is a few
                assertThat(m.node.logBytes()).as("log bytes of %s", m.id).isLessThanOrEqualTo(24 * SEGMENT);
                long[] cost = m.node.lastSnapshotNanos();
                LOG.info("{}: snapshot at {}, log {} bytes in {} segments (peak {}), last snapshot serialised in {} µs "
                        + "on the protocol thread, written in {} µs", m.id, m.node.snapshotPosition(),
                        m.node.logBytes(), segments(m.id), peak, cost[0] / 1_000, cost[1] / 1_000);
            }
            assertThat(c.members().get(0).machine.value("x")).isEqualTo(720);
        }
    }

    @Test
    void aPeerKilledRightAfterASnapshotRestartsFromItToTheSameState() throws Exception {
        try (TestCluster c = cluster()) {
            load(c, "a", 300);
            awaitAgreement(c);
            load(c, "b", (int) EVERY_OPS); // a snapshot interval more: every member's restart point passed the
            awaitAgreement(c);                // first segment, so the log is truncated
            // right after a snapshot: one that covers everything delivered. Where the last one fell depends on
            // when b2 was quiescent under load, so go one operation at a time until a snapshot lands on the end
            // and b2's first segment already truncated (it learns the others' restart points from their frames)
            int i = 0;
            while (Files.exists(dir.resolve("b2").resolve("log-00000001.seg")) || !snapshotCoversEverything(c)) {
                assertThat(i).as("a truncated log and a snapshot covering all of b2's deliveries within %s "
                        + "operations", 4 * EVERY_OPS).isLessThan(4 * (int) EVERY_OPS);
                load(c, "b" + i++ + "-", 1);
                awaitAgreement(c);
            }
            restartAndCompare(c);
        }
    }

    @Test
    void aPeerKilledRightBeforeASnapshotRestartsToTheSameState() throws Exception {
        try (TestCluster c = cluster()) {
            load(c, "a", 300);
            awaitAgreement(c);
            // one at a time until b2 is one delivery short of its next snapshot
            int i = 0;
            while (c.node("b2").deliveredCount() - c.node("b2").snapshotPosition() < EVERY_OPS - 1) {
                load(c, "one" + i++ + "-", 1);
                awaitAgreement(c);
            }
            assertThat(c.node("b2").deliveredCount() - c.node("b2").snapshotPosition()).isEqualTo(EVERY_OPS - 1);
            restartAndCompare(c);
        }
    }

    /** Whether b2's latest durable snapshot is at its delivered count (it is written off the protocol thread). */
    private static boolean snapshotCoversEverything(TestCluster c) {
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> c.node("b2").snapshotPosition()
                    == c.node("b2").deliveredCount());
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false; // not due at this delivery: one more
        }
    }

    private void restartAndCompare(TestCluster c) throws Exception {
        long delivered = c.node("b1").deliveredCount();
        String hash = c.node("b1").logHash();
        c.kill("b2");
        assertThat(dir.resolve("b2").resolve("log-00000001.seg")).as("b2's log was truncated").doesNotExist();
        TestCluster.Member b2 = c.restart("b2");
        assertThat(b2.node.deliveredCount()).isEqualTo(delivered);
        assertThat(b2.node.logHash()).isEqualTo(hash);
        // a decision whose finality b2 had learned from a vector frame (never logged) waits for the peers' vectors,
        // which come again as soon as their links reconnect
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(b2.machine.history()).isEqualTo(c.member("b1").machine.history());
            assertThat(b2.machine.value("x")).isEqualTo(c.member("b1").machine.value("x"));
        });
        c.awaitAllOnline(Duration.ofSeconds(20));
        load(c, "after", 30);
        awaitAgreement(c);
    }
}
