package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.PeerOfflineException;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views over real nodes (DESIGN.md "Views"): four peers on loopback with real links, logs and signed ballot and fetch
 * requests; one is killed (its disk keeps only what was forced) and the other three vote it out and go on.
 */
class ViewChangeTest {

    @TempDir
    Path dir;

    private TestCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeOfFourGoOnWithoutAKilledBankAndRefuseAtOnceWhatNeedsIt() throws Exception {
        cluster = new TestCluster(4, dir, null);
        cluster.tune = b -> b.views(true);
        cluster.withOfflineAfter(1_000).start();
        cluster.node("b1").submit("before", "key=k;delta=5;voters=b2,b4").get(10, TimeUnit.SECONDS);

        // b4 dies while an operation it votes on is in flight: that one can only end ABORTED (BANK_OFFLINE)
        cluster.kill("b4");
        long killedAt = System.nanoTime();
        CompletableFuture<Outcome> stranded;
        try {
            stranded = cluster.node("b1").submit("stranded", "key=k;delta=1;voters=b4");
        } catch (PeerOfflineException e) {
            stranded = null; // the detector already said b4 is offline: refused at once, also right
        }

        // among the three, operations commit again once the view has changed
        Outcome first = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> tryCommit("among-" + System.nanoTime(), "key=k;delta=1;voters=b2,b3"),
                        o -> o != null && o.committed());
        long pauseMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(first.committed()).isTrue();
        for (String id : List.of("b1", "b2", "b3")) {
            assertThat(cluster.node(id).view().view().epoch()).as(id + "'s epoch").isEqualTo(1);
            assertThat(cluster.node(id).view().view().members()).containsExactly("b1", "b2", "b3");
        }
        assertThat(cluster.node("b2").events().recent()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.VIEW);
            assertThat(e.view().members()).containsExactly("b1", "b2", "b3");
        });
        if (stranded != null) {
            Outcome o = stranded.get(10, TimeUnit.SECONDS);
            assertThat(o.committed()).isFalse();
            assertThat(o.reason()).isEqualTo("BANK_OFFLINE");
        }
        // an operation b4 votes on is refused at once, naming b4
        assertThatThrownBy(() -> cluster.node("b2").submit("needs-b4", "key=k;delta=1;voters=b1,b4"))
                .isInstanceOf(PeerOfflineException.class).hasMessageContaining("b4");
        // and the three agree on everything they delivered
        for (int i = 0; i < 20; i++) {
            cluster.node("b" + (1 + i % 3)).submit("after-" + i, "key=k;delta=1;voters=b" + (1 + (i + 1) % 3))
                    .get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node("b1").deliveredCount()
                == cluster.node("b2").deliveredCount()
                && cluster.node("b2").deliveredCount() == cluster.node("b3").deliveredCount());
        assertThat(cluster.node("b2").view().logHash()).isEqualTo(cluster.node("b1").view().logHash())
                .isEqualTo(cluster.node("b3").view().logHash());
        org.slf4j.LoggerFactory.getLogger(ViewChangeTest.class).info("first commit among the three {} ms after the kill",
                pauseMs);
    }

    @Test
    void aKilledBankThatRestartsCatchesUpAndIsVotedBackIn() throws Exception {
        cluster = new TestCluster(4, dir, null);
        cluster.tune = b -> b.views(true);
        cluster.withOfflineAfter(1_000).start();
        cluster.node("b1").submit("before", "key=k;delta=5;voters=b2,b4").get(10, TimeUnit.SECONDS);
        cluster.kill("b4");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> tryCommit("among-" + System.nanoTime(), "key=k;delta=1;voters=b2,b3"),
                        o -> o != null && o.committed());
        for (int i = 0; i < 10; i++) {
            cluster.node("b2").submit("while-out-" + i, "key=k;delta=1;voters=b3").get(10, TimeUnit.SECONDS);
        }

        // b4 restarts from its log: it learns the view it is out of, catches up, and asks to be added again
        cluster.restart("b4");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                cluster.node("b1").view().view().members().contains("b4")
                        && cluster.node("b4").view().view().members().contains("b4")
                        && cluster.node("b4").view().view().epoch() == cluster.node("b1").view().view().epoch());
        assertThat(cluster.node("b4").view().view().epoch()).as("out in epoch 1, back in epoch 2").isEqualTo(2);
        // and it votes again: an operation it votes on commits
        Outcome withB4 = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> tryCommit("with-b4-" + System.nanoTime(), "key=k;delta=1;voters=b4"),
                        o -> o != null && o.committed());
        assertThat(withB4.committed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.members().stream()
                .allMatch(m -> m.node.deliveredCount() == cluster.node("b1").deliveredCount()));
        assertThat(cluster.members()).allSatisfy(m -> {
            assertThat(m.node.view().logHash()).isEqualTo(cluster.node("b1").view().logHash());
            assertThat(m.machine.value("k")).isEqualTo(cluster.member("b1").machine.value("k"));
        });
    }

    private Outcome tryCommit(String id, String payload) {
        try {
            return cluster.node("b1").submit(id, payload).get(2, TimeUnit.SECONDS);
        } catch (PeerOfflineException | java.util.concurrent.TimeoutException e) {
            return null; // a view change under way: refused at once, or not decided yet
        } catch (Exception e) {
            return null;
        }
    }
}
