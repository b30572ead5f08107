package org.distribank.bank.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tracker asks a bank for the smallest position someone waits for, one poll at a time, and one answer wakes
 * every waiter up to the position reached. The "bank" here is a queue of scripted answers, so nothing depends
 * on timing.
 */
class AppliedTrackerTest {

    /** A poll as the tracker made it, answered by the test. */
    record Asked(String bank, long atLeast, CompletableFuture<Long> answer) {
    }

    private final LinkedBlockingQueue<Asked> asked = new LinkedBlockingQueue<>();

    private AppliedTracker tracker() {
        return new AppliedTracker(List.of("b2", "b3"), (bank, atLeast, waitMs) -> {
            Asked a = new Asked(bank, atLeast, new CompletableFuture<>());
            asked.add(a);
            try {
                return a.answer().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                return -1;
            }
        });
    }

    private Asked next() throws InterruptedException {
        Asked a = asked.poll(30, TimeUnit.SECONDS);
        assertThat(a).as("the tracker should have polled").isNotNull();
        return a;
    }

    @Test
    void oneAnswerWakesEveryWaiterUpToThePositionReached() throws Exception {
        try (AppliedTracker t = tracker()) {
            CompletableFuture<Boolean> w5 = CompletableFuture.supplyAsync(() -> t.awaitApplied("b2", 5, 30_000));
            Asked first = next();
            assertThat(first.bank()).isEqualTo("b2");
            assertThat(first.atLeast()).isEqualTo(5);
            CompletableFuture<Boolean> w7 = CompletableFuture.supplyAsync(() -> t.awaitApplied("b2", 7, 30_000));
            CompletableFuture<Boolean> w9 = CompletableFuture.supplyAsync(() -> t.awaitApplied("b2", 9, 30_000));
            first.answer().complete(8L); // b2 reached 8: wakes 5 and 7, not 9
            assertThat(w5.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(w7.get(30, TimeUnit.SECONDS)).isTrue();
            Asked second = next();
            assertThat(second.atLeast()).isEqualTo(9);
            assertThat(w9).isNotDone();
            second.answer().complete(9L);
            assertThat(w9.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(t.known("b2")).isEqualTo(9);
            assertThat(t.awaitApplied("b2", 4, 0)).isTrue(); // known: no poll
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void aFailedPollIsRetriedAndTheKnownPositionNeverGoesDown() throws Exception {
        try (AppliedTracker t = tracker()) {
            CompletableFuture<Boolean> w = CompletableFuture.supplyAsync(() -> t.awaitApplied("b3", 3, 30_000));
            next().answer().complete(-1L); // unreachable
            next().answer().complete(3L);
            assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> w2 = CompletableFuture.supplyAsync(() -> t.awaitApplied("b3", 6, 30_000));
            Asked a = next();
            assertThat(a.atLeast()).isEqualTo(6);
            a.answer().complete(1L); // restarted and replaying: reports less than it acknowledged before
            assertThat(t.known("b3")).isEqualTo(3);
            next().answer().complete(6L);
            assertThat(w2.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWaiterGivesUpAtItsTimeoutAndAnUnknownBankIsNeverApplied() throws Exception {
        try (AppliedTracker t = tracker()) {
            assertThat(t.awaitApplied("b9", 1, 10)).isFalse();
            CompletableFuture<Boolean> w = CompletableFuture.supplyAsync(() -> t.awaitApplied("b2", 2, 1));
            assertThat(w.get(30, TimeUnit.SECONDS)).isFalse();
        }
    }
}
