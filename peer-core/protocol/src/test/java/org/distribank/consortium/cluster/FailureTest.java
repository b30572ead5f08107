package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, pauses and partitions: refusals name the peer, progress resumes, nothing lost or doubled. */
class FailureTest {

    @TempDir
    Path dir;

    private static List<CompletableFuture<Outcome>> submit(TestCluster c, List<String> origins, String prefix, int n) {
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(c.node(origins.get(i % origins.size())).submit(prefix + i, CounterStateMachine.payload("x", 1)));
        }
        return fs;
    }

    /** Waits until all running peers agree: same delivered count, all decided, empty queues. */
    private static void awaitAgreement(TestCluster c, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
            long d = c.members().get(0).node.deliveredCount();
            return c.members().stream().allMatch(m -> m.node.deliveredCount() == d
                    && m.machine.decidedCount() == d && m.node.view().queue().isEmpty());
        });
        List<String> ref = c.members().get(0).machine.history();
        assertThat(new HashSet<>(ref)).as("each operation decided once").hasSize(ref.size());
        for (TestCluster.Member m : c.members()) {
            assertThat(m.machine.history()).as("history of %s", m.id).isEqualTo(ref);
            assertThat(m.node.logHash()).isEqualTo(c.members().get(0).node.logHash());
        }
    }

    @Test
    void aRestartedPeerDecidesWithTheVotesItHadSentNotWithAFreshJudgement() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).start()) {
            List<CompletableFuture<Outcome>> voted = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                voted.add(c.node("b1").submit("voted-by-b2-" + i, "key=x;delta=1;voters=b2"));
            }
            for (CompletableFuture<Outcome> f : voted) {
                assertThat(f.get(20, TimeUnit.SECONDS).committed()).isTrue();
            }
            c.kill("b2");
            // After the restart b2 would judge every operation NO; the votes it sent were YES.
            c.machineSetup = m -> m.refuseEverything("CHANGED_OUTSIDE_THE_ORDER");
            c.restart("b2");
            c.awaitAllOnline(Duration.ofSeconds(10));
            awaitAgreement(c, Duration.ofSeconds(20));
            assertThat(c.member("b2").machine.history()).hasSize(40)
                    .allSatisfy(h -> assertThat(h).endsWith(":COMMITTED"));
            assertThat(c.member("b2").machine.value("x")).isEqualTo(40);

            Outcome later = c.node("b1").submit("after-restart", "key=x;delta=1;voters=b2").get(20, TimeUnit.SECONDS);
            assertThat(later.committed()).as("new operations are judged by the changed state").isFalse();
            assertThat(later.reason()).isEqualTo("CHANGED_OUTSIDE_THE_ORDER");
        }
    }

    @Test
    void aRestartedPeerResendsWhatItHadMadeDurableEvenWhenNothingNewHappens() throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).withOfflineAfter(60_000).start()) {
            c.member("b2").transport.cut("b3"); // b2's acks and votes never reach b3; b3's reach b2
            List<CompletableFuture<Outcome>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(c.node("b1").submit("stranded-" + i, "key=x;delta=1;voters=b2"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> c.node("b1").deliveredCount() == 10);
            // b1 has b2's votes, but b3 does not hold them: no outcome is final, no client is answered
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> fs.stream().noneMatch(CompletableFuture::isDone));
            assertThat(c.node("b3").deliveredCount()).as("b3 waits for b2's acks").isZero();
            c.kill("b2");
            c.restart("b2"); // links work again, and no new operation comes to prompt a send
            for (CompletableFuture<Outcome> f : fs) {
                assertThat(f.get(20, TimeUnit.SECONDS).committed()).isTrue();
            }
            awaitAgreement(c, Duration.ofSeconds(20));
            assertThat(c.member("b3").machine.value("x")).isEqualTo(10);
        }
    }

    @Test
    void aKilledPeerRestartsFromItsDataAndEveryOperationIsDecidedExactlyOnce() throws Exception {
        try (TestCluster c = new TestCluster(4, dir, null).start()) {
            submit(c, List.of("b1", "b2", "b3", "b4"), "warm-", 100).forEach(CompletableFuture::join);
            List<CompletableFuture<Outcome>> survivors = submit(c, List.of("b1", "b2", "b4"), "op-", 300);
            List<CompletableFuture<Outcome>> victims = submit(c, List.of("b3"), "v-", 50);
            c.kill("b3");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b1").offlinePeers().contains("b3"));
            assertThatThrownBy(() -> c.node("b1").submit("refused", "key=x;delta=1"))
                    .isInstanceOf(PeerOfflineException.class).hasMessageContaining("b3")
                    .satisfies(e -> assertThat(((PeerOfflineException) e).peerId()).isEqualTo("b3"));
            TestCluster.Member back = c.restart("b3");
            c.awaitAllOnline(Duration.ofSeconds(10));
            CompletableFuture.allOf(survivors.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            assertThat(survivors).allMatch(f -> f.join().committed());
            awaitAgreement(c, Duration.ofSeconds(30));
            // what b3 had made durable before the crash is decided once; the rest never existed
            long delivered = back.node.deliveredCount();
            assertThat(delivered).isBetween(400L, 450L);
            assertThat(victims).allMatch(CompletableFuture::isDone);
            assertThat(c.node("b1").outcome("refused")).isEmpty();
            // and the consortium keeps going
            c.node("b3").submit("after", "key=x;delta=1").get(10, TimeUnit.SECONDS);
            awaitAgreement(c, Duration.ofSeconds(10));
        }
    }

    @Test
    void killingAndRestartingSeveralTimesUnderLoadConverges() throws Exception {
        killRestartRounds(null);
    }

    @Test
    void killingAndRestartingUnderDroppedDuplicatedDelayedReorderedMessagesConverges() throws Exception {
        killRestartRounds(org.distribank.consortium.transport.FaultOptions.defaults());
    }

    private void killRestartRounds(org.distribank.consortium.transport.FaultOptions faults) throws Exception {
        try (TestCluster c = new TestCluster(3, dir, faults)) {
            c.offlineMs = 5_000; // keep accepting while the victim is briefly down
            c.start();
            List<CompletableFuture<Outcome>> fs = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                fs.addAll(submit(c, List.of("b1", "b2"), "r" + round + "-", 150));
                c.kill("b2");
                c.restart("b2");
            }
            fs.forEach(f -> f.handle((o, e) -> null).join());
            awaitAgreement(c, Duration.ofSeconds(30));
            assertThat(fs.stream().filter(f -> !f.isCompletedExceptionally())).allMatch(f -> f.join().committed());
        }
    }

    @Test
    void aPausedPeerIsReportedOfflineNewOperationsAreRefusedAndThoseInFlightFinishAfterItReturns()
            throws Exception {
        try (TestCluster c = new TestCluster(3, dir, null).start()) {
            c.pause("b2");
            List<CompletableFuture<Outcome>> inFlight = submit(c, List.of("b1", "b3"), "p-", 100);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b1").offlinePeers().equals(List.of("b2")));
            assertThat(inFlight).noneMatch(CompletableFuture::isDone);
            // each peer judges on its own clock: b3 may notice a moment after b1
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b3").offlinePeers().equals(List.of("b2")));
            assertThatThrownBy(() -> c.node("b3").submit("refused", "key=x;delta=1"))
                    .isInstanceOf(PeerOfflineException.class).hasMessageContaining("b2");
            assertThat(c.node("b1").view().peers()).anySatisfy(p -> {
                assertThat(p.id()).isEqualTo("b2");
                assertThat(p.online()).isFalse();
            });
            c.resume("b2");
            c.awaitAllOnline(Duration.ofSeconds(5));
            CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            awaitAgreement(c, Duration.ofSeconds(10));
            assertThat(c.node("b1").deliveredCount()).isEqualTo(100);
            c.node("b3").submit("after", "key=x;delta=1").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPartitionedPeerIsRefusedByNameAndHealingResumesProgress() throws Exception {
        try (TestCluster c = new TestCluster(4, dir, null).start()) {
            List<CompletableFuture<Outcome>> before = submit(c, List.of("b1", "b2", "b3", "b4"), "a-", 40);
            c.partition("b4");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node("b2").offlinePeers().contains("b4"));
            assertThatThrownBy(() -> c.node("b2").submit("refused", "key=x;delta=1"))
                    .isInstanceOf(PeerOfflineException.class).hasMessageContaining("b4");
            // each side judges on its own clock: b4 may notice a moment after b2
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.node("b4").offlinePeers().isEmpty());
            assertThatThrownBy(() -> c.node("b4").submit("refused4", "key=x;delta=1"))
                    .isInstanceOf(PeerOfflineException.class);
            c.heal("b4");
            c.awaitAllOnline(Duration.ofSeconds(5));
            CompletableFuture.allOf(before.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            c.node("b4").submit("after", "key=x;delta=1").get(10, TimeUnit.SECONDS);
            awaitAgreement(c, Duration.ofSeconds(10));
            assertThat(c.node("b1").deliveredCount()).isEqualTo(41);
        }
    }
}
