package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.transport.FaultOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every peer delivers the same sequence, with and without injected faults. */
class OrderingTest {

    /** Ordering is the subject here, not failure detection. */
    private static final long PATIENT_DETECTOR_MS = 15_000;


    @TempDir
    Path dir;

    /** Over the default transport (WebSocket streams), and the HTTP one. */
    @ParameterizedTest(name = "{0} peers, {1} ops, faults={2}, {3}")
    @CsvSource({"3, 1000, false, WEBSOCKET", "4, 1000, false, WEBSOCKET", "8, 1000, false, WEBSOCKET",
            "4, 500, true, WEBSOCKET", "8, 200, true, WEBSOCKET", "4, 1000, false, HTTP", "4, 1000, true, HTTP"})
    void concurrentSubmittersFromEveryPeerAllDeliverTheSameSequence(int peers, int ops, boolean faulty,
                                                                    TransportKind transport) throws Exception {
        FaultOptions faults = faulty ? FaultOptions.defaults() : null;
        try (TestCluster c = new TestCluster(peers, dir, faults).withOfflineAfter(PATIENT_DETECTOR_MS)) {
            c.transport = transport;
            c.start();
            ExecutorService pool = Executors.newFixedThreadPool(peers * 2);
            List<CompletableFuture<Outcome>> futures = new ArrayList<>();
            List<java.util.concurrent.Future<CompletableFuture<Outcome>>> submitted = new ArrayList<>();
            // with faults, submit in waves so that many requests (not a few huge batches) meet the faults
            int wave = faulty ? ops / 40 : ops;
            for (int i = 0; i < ops; i++) {
                String origin = c.ids().get(i % peers);
                String id = "op-" + i;
                submitted.add(pool.submit(() -> c.node(origin).submit(id, CounterStateMachine.payload("x", 1))));
                if ((i + 1) % wave == 0) {
                    for (var s : submitted) {
                        futures.add(s.get(30, TimeUnit.SECONDS));
                    }
                    submitted.clear();
                    if (faulty) {
                        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
                    }
                }
            }
            for (var s : submitted) {
                futures.add(s.get(30, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
            pool.shutdown();
            c.awaitDelivered(ops, Duration.ofSeconds(60));

            List<String> reference = c.member("b1").machine.history();
            assertThat(reference).hasSize(ops);
            assertThat(new HashSet<>(reference)).hasSize(ops);
            String hash = c.node("b1").logHash();
            for (TestCluster.Member m : c.members()) {
                assertThat(m.machine.history()).as("history of %s", m.id).isEqualTo(reference);
                assertThat(m.node.logHash()).as("hash of %s", m.id).isEqualTo(hash);
                assertThat(m.machine.value("x")).isEqualTo(ops);
            }
            if (faulty) {
                assertThat(c.members().stream().mapToLong(m -> m.chaos.injectedFaults()).sum())
                        .isGreaterThan(100);
            }
            for (CompletableFuture<Outcome> f : futures) {
                assertThat(f.get().committed()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} peers")
    @CsvSource({"3", "4"})
    void anOperationSubmittedAfterSeeingAnotherOutcomeSortsAfterIt(int peers) throws Exception {
        try (TestCluster c = new TestCluster(peers, dir, null).withOfflineAfter(PATIENT_DETECTOR_MS).start()) {
            for (int round = 0; round < 20; round++) {
                String a = c.ids().get(round % peers);
                String b = c.ids().get((round + 1) % peers);
                Outcome first = c.node(a).submit("first-" + round, "key=y;delta=1").get(10, TimeUnit.SECONDS);
                // b learns first's outcome, then submits: second causally follows first
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.node(b).outcome(first.id()).isPresent());
                Outcome second = c.node(b).submit("second-" + round, "key=y;delta=1").get(10, TimeUnit.SECONDS);
                assertThat(first.clock().happenedBefore(second.clock())).isTrue();
                assertThat(second.position()).isGreaterThan(first.position());
            }
        }
    }
}
