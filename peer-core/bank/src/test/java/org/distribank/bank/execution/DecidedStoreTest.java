package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.VectorClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (Must: decided outcomes and the client-id record on disk, a bounded cache in the heap; item 6: paging and
 * bounded waiters). Small thresholds stand for 30 days and 100 million operations.
 */
class DecidedStoreTest {

    private static final List<String> PEERS = List.of("b1", "b2");

    @TempDir
    Path dir;

    private static DecidedOperation decided(String id, long position) {
        BankOperation op = BankOperation.movement(OperationKind.DEPOSIT, "52998224725", "fp-" + id,
                List.of(new Leg(null, new AccountRef("b1", "1001"), null, 10)));
        return new DecidedOperation(op, new Outcome(id, "b1", VectorClock.zero(PEERS).increment("b1"),
                Decision.COMMITTED, null, null, position));
    }

    @Test
    void decisionsLiveOnDiskBehindABoundedCacheAndSurviveAReopen() {
        Path file = dir.resolve("decided.mv.db");
        Clock clock = Clock.systemUTC();
        try (DecidedStore s = DecidedStore.open(file, 5, 1_000, Duration.ofDays(30), clock)) {
            for (int i = 1; i <= 50; i++) {
                s.put(decided("op-" + i, i));
            }
            assertThat(s.size()).isEqualTo(50);
            assertThat(s.cached()).isLessThanOrEqualTo(5); // the heap holds a few, the file all of them
            assertThat(s.get("op-1")).isPresent(); // read through the cache to the store
            assertThat(s.get("op-1").get().operation().fingerprint()).isEqualTo("fp-op-1");
        }
        try (DecidedStore s = DecidedStore.open(file, 5, 1_000, Duration.ofDays(30), clock)) {
            DecidedOperation d = s.get("op-17").orElseThrow();
            assertThat(d.outcome().position()).isEqualTo(17);
            assertThat(d.outcome().committed()).isTrue();
            assertThat(d.outcome().clock().get("b1")).isEqualTo(1);
            assertThat(s.lastPosition()).isEqualTo(50);
        }
    }

    @Test
    void pagesReturnEveryDecisionExactlyOnceInDeliveryOrder() {
        try (DecidedStore s = DecidedStore.inMemory()) {
            for (int i = 1; i <= 23; i++) {
                s.put(decided("op-" + i, i));
            }
            long after = 0;
            List<DecidedOperation> page;
            java.util.List<Long> seen = new java.util.ArrayList<>();
            while (!(page = s.after(after, 7)).isEmpty()) {
                assertThat(page).hasSizeLessThanOrEqualTo(7);
                page.forEach(d -> seen.add(d.outcome().position()));
                after = page.get(page.size() - 1).outcome().position();
            }
            assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 23).boxed().toList());
        }
    }

    @Test
    void anIdIsForgottenOnlyPastBothTheOperationsAndTheTimeWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (DecidedStore s = DecidedStore.open(dir.resolve("d.mv.db"), 100, 10, Duration.ofDays(30), clock)) {
            for (int i = 1; i <= 30; i++) {
                s.put(decided("op-" + i, i));
            }
            assertThat(s.prune()).isZero(); // 20 operations past the count window, but not 30 days old
            assertThat(s.get("op-1")).isPresent();
            clock.now = clock.now.plus(Duration.ofDays(31));
            assertThat(s.prune()).isEqualTo(20); // now past both: all but the last 10
            assertThat(s.get("op-1")).isEmpty();
            assertThat(s.get("op-20")).isEmpty();
            assertThat(s.get("op-21")).isPresent();
            assertThat(s.size()).isEqualTo(10);
        }
    }

    @Test
    void waitersForIdsNeverDecidedLeaveNothingBehind() {
        BankMachine machine = new BankMachine("b1", PEERS, new AccountDirectory(), new PixDirectory(), e -> { });
        DecisionWaiters waiters = new DecisionWaiters(machine);
        for (int i = 0; i < 200; i++) {
            assertThat(waiters.await("never-" + i, 1)).isEmpty();
        }
        assertThat(waiters.size()).isZero();
        // and one that is decided while waited for is still seen
        Operation op = new Operation("soon", "b1", VectorClock.zero(PEERS), decided("soon", 1).operation().toJson());
        Thread t = new Thread(() -> machine.decide(op, decided("soon", 1).outcome()));
        java.util.concurrent.CompletableFuture<java.util.Optional<DecidedOperation>> got =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> waiters.await("soon", 10_000));
        t.start();
        assertThat(got.join()).isPresent();
        assertThat(waiters.size()).isZero();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
