package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vote step: all YES commits everywhere; any NO aborts everywhere with the first NO's reason. */
class VoteTest {

    @TempDir
    Path dir;
    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TestCluster(3, dir, null).withOfflineAfter(15_000).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void assertEverywhere(String id, Decision decision, String reason, String voter) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cluster.members().stream()
                .allMatch(m -> m.node.outcome(id).isPresent()));
        for (TestCluster.Member m : cluster.members()) {
            Outcome o = m.node.outcome(id).orElseThrow();
            assertThat(o.decision()).as("at %s", m.id).isEqualTo(decision);
            assertThat(o.reason()).as("at %s", m.id).isEqualTo(reason);
            assertThat(o.voter()).as("at %s", m.id).isEqualTo(voter);
        }
    }

    @Test
    void allYesCommitsEverywhere() throws Exception {
        Outcome o = cluster.node("b1").submit("t1", "key=a;delta=5;voters=b1,b2,b3").get(10, TimeUnit.SECONDS);
        assertThat(o.committed()).isTrue();
        assertEverywhere("t1", Decision.COMMITTED, null, null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cluster.members().stream()
                .allMatch(m -> m.machine.value("a") == 5));
    }

    @Test
    void oneVoterSayingNoAbortsEverywhereWithItsReason() throws Exception {
        Outcome o = cluster.node("b3").submit("t2", "key=a;delta=5;voters=b1,b2,b3;veto=b2:ACCOUNT_NOT_FOUND")
                .get(10, TimeUnit.SECONDS);
        assertThat(o.decision()).isEqualTo(Decision.ABORTED);
        assertThat(o.reason()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertEverywhere("t2", Decision.ABORTED, "ACCOUNT_NOT_FOUND", "b2");
        assertThat(cluster.members()).allMatch(m -> m.machine.value("a") == 0);
    }

    @Test
    void theFirstNoInVoterOrderGivesTheReason() throws Exception {
        // b3 votes NO (funds) and b2 NO (vetoed): b2 comes first in voter order
        cluster.node("b1").submit("t3", "key=a;delta=-1;voters=b3,b2;veto=b2:NOT_A_HOLDER").get(10, TimeUnit.SECONDS);
        assertEverywhere("t3", Decision.ABORTED, "NOT_A_HOLDER", "b2");
    }

    @Test
    void reservationsMakeConcurrentWithdrawalsDecideTheSameEverywhereWithoutGoingNegative() throws Exception {
        cluster.node("b1").submit("deposit", "key=m;delta=10;voters=b2").get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            fs.add(cluster.node("b" + (1 + i % 3)).submit("w" + i, "key=m;delta=-3;voters=b2"));
        }
        CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
        long committed = fs.stream().filter(f -> f.join().committed()).count();
        assertThat(committed).isEqualTo(3);
        assertThat(fs.stream().filter(f -> !f.join().committed()))
                .allMatch(f -> "INSUFFICIENT".equals(f.join().reason()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cluster.members().stream()
                .allMatch(m -> m.machine.decidedCount() == 10));
        List<String> ref = cluster.member("b1").machine.history();
        assertThat(cluster.members()).allSatisfy(m -> {
            assertThat(m.machine.history()).isEqualTo(ref);
            assertThat(m.machine.value("m")).isEqualTo(1);
        });
    }

    @Test
    void aRetriedIdIsOneOperation() throws Exception {
        CompletableFuture<Outcome> a = cluster.node("b1").submit("same", "key=r;delta=1");
        CompletableFuture<Outcome> b = cluster.node("b1").submit("same", "key=r;delta=1");
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(b.get(10, TimeUnit.SECONDS));
        Outcome again = cluster.node("b1").submit("same", "key=r;delta=1").get(1, TimeUnit.SECONDS);
        assertThat(again.position()).isEqualTo(a.get().position());
        // the same id from another origin at the same time: delivered once, the copy skipped everywhere
        CompletableFuture<Outcome> x = cluster.node("b2").submit("dup", "key=r;delta=1");
        CompletableFuture<Outcome> y = cluster.node("b3").submit("dup", "key=r;delta=1");
        assertThat(x.get(10, TimeUnit.SECONDS).position()).isEqualTo(y.get(10, TimeUnit.SECONDS).position());
        cluster.node("b1").submit("fence", "key=f;delta=1").get(10, TimeUnit.SECONDS);
        cluster.awaitDelivered(3, Duration.ofSeconds(10));
        assertThat(cluster.members()).allMatch(m -> m.machine.value("r") == 2);
    }
}
