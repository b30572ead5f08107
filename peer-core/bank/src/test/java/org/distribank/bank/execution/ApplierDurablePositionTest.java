package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.ledger.InMemoryLedger;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.Posting;
import org.distribank.bank.pix.PixDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank's applied position, which bounds the protocol's snapshots and truncation, is what its data server holds:
 * never a decision still being written, never an outcome record still pending, never below the restart watermark.
 */
class ApplierDurablePositionTest {

    @TempDir
    Path dir;

    /** A data server that holds postings and outcome records until their gate opens. */
    private static final class GatedLedger extends ForwardingLedger {
        final CountDownLatch postsOpen = new CountDownLatch(1);
        final CountDownLatch recordsOpen = new CountDownLatch(1);

        @Override
        public void post(List<Posting> batch, List<OutcomeRecord> records) {
            await(postsOpen);
            inner.post(batch, records);
        }

        @Override
        public void recordOutcome(OutcomeRecord outcome) {
            await(recordsOpen);
            inner.recordOutcome(outcome);
        }

        private static void await(CountDownLatch l) {
            try {
                if (!l.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Effects deposit(long position) {
        return new Effects(position, "t" + position, List.of(new Posting("p" + position + ":0:in", "1001", 100,
                Posting.Kind.DEPOSIT, "t" + position, null)), null, null, null);
    }

    private static Effects abortedAtOrigin(long position) {
        return new Effects(position, "t" + position, List.of(), new OutcomeRecord("t" + position, "fp", "ABORTED",
                "INSUFFICIENT_FUNDS", 0, "b1", Map.of("b1", 1L)), null, null);
    }

    @Test
    void aBatchStillBeingWrittenIsNotApplied() {
        GatedLedger ledger = new GatedLedger();
        try (Applier applier = new Applier(ledger, "b1")) {
            BankMachine machine = new BankMachine("b1", List.of("b1"), new AccountDirectory(), new PixDirectory(),
                    applier);
            applier.start();
            applier.enqueue(deposit(1));
            applier.enqueue(deposit(2));
            assertThat(machine.appliedPosition()).as("nothing is at the data server yet").isZero();
            ledger.postsOpen.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> machine.appliedPosition() == 2);
        }
    }

    @Test
    void anOutcomeRecordStillPendingHoldsTheDurablePositionBack() {
        GatedLedger ledger = new GatedLedger();
        ledger.postsOpen.countDown();
        try (Applier applier = new Applier(ledger, "b1")) {
            applier.start();
            applier.enqueue(deposit(1));
            applier.enqueue(abortedAtOrigin(2));
            applier.enqueue(deposit(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> applier.appliedPosition() == 3);
            // position 3's posting is written, but 2's record is not: a restart must decide 2 again
            assertThat(applier.durablePosition()).isEqualTo(1);
            ledger.recordsOpen.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> applier.durablePosition() == 3);
        }
    }

    @Test
    void aRestartedApplierReportsItsWatermarkBeforeTheReplayCatchesUp() throws Exception {
        Path watermark = dir.resolve("applied-position");
        Files.writeString(watermark, "7");
        try (Applier applier = new Applier(new InMemoryLedger(), "b1", watermark)) {
            BankMachine machine = new BankMachine("b1", List.of("b1"), new AccountDirectory(), new PixDirectory(),
                    applier);
            assertThat(machine.appliedPosition()).isEqualTo(7);
        }
    }

    @Test
    void aMachineWithoutEffectsOutsideIsNeverHeldBack() {
        BankMachine machine = new BankMachine("b1", List.of("b1"), new AccountDirectory(), new PixDirectory(),
                e -> { });
        assertThat(machine.appliedPosition()).isEqualTo(Long.MAX_VALUE);
    }
}
