package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.distribank.bank.ledger.LedgerException;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.Posting;
import org.junit.jupiter.api.Test;

/**
 * Nothing decided is skipped (issue 14, item 1): whatever the data server answers, the applier neither skips a batch
 * nor advances past it; it says why it stopped, counts the refusals, resumes by itself, keeps its queue bounded
 * through {@link Applier#admitting()}, and reconciles audits with the data server's total.
 */
class ApplierTest {

    /** An in-memory data server that refuses what a test tells it to. */
    private static final class RefusingLedger extends ForwardingLedger {
        volatile LedgerException refuseAll;
        volatile String conflictingOp;

        @Override
        public void post(List<Posting> postings, List<OutcomeRecord> outcomes) {
            LedgerException e = refuseAll;
            if (e != null) {
                throw e;
            }
            if (conflictingOp != null && postings.stream().anyMatch(p -> p.transaction().equals(conflictingOp))) {
                throw new LedgerException(409, "OPERATION_CONFLICT", "other postings are held under these ids");
            }
            inner.post(postings, outcomes);
        }
    }

    private static Effects deposit(long position, String account, long amount) {
        String op = "op-" + position;
        return new Effects(position, op, List.of(new Posting("p" + position + ":0:in", account, amount,
                Posting.Kind.DEPOSIT, op, null)), null, null, null);
    }

    @Test
    void aRefusalStopsTheApplierWithoutSkippingAndItResumesByItself() {
        RefusingLedger ledger = new RefusingLedger();
        List<Optional<String>> health = new CopyOnWriteArrayList<>();
        try (Applier applier = new Applier(ledger, "b1")) {
            applier.onHealthChange(health::add);
            applier.start();
            ledger.refuseAll = new LedgerException(401, "UNAUTHORIZED", "The auth-token is not valid.");
            applier.enqueue(deposit(1, "a", 100));
            applier.enqueue(deposit(2, "b", 200));

            await().atMost(Duration.ofSeconds(10)).until(() -> applier.refusals() >= 2);
            assertThat(applier.stalledReason()).hasValueSatisfying(r -> assertThat(r)
                    .contains("refused").contains("401 UNAUTHORIZED").contains("op-1"));
            assertThat(applier.appliedPosition()).isZero();
            assertThat(applier.awaitApplied(1, 50)).isFalse();
            assertThat(health).last().isEqualTo(applier.degradedReason());

            ledger.refuseAll = null; // e.g. the token fixed
            assertThat(applier.awaitApplied(2, 10_000)).isTrue();
            assertThat(applier.stalledReason()).isEmpty();
            assertThat(health).last().isEqualTo(Optional.empty());
            assertThat(ledger.inner.balance("a")).isEqualTo(100);
            assertThat(ledger.inner.balance("b")).isEqualTo(200);
        }
    }

    @Test
    void anOperationConflictIsARefusalNotASkip() {
        RefusingLedger ledger = new RefusingLedger();
        ledger.conflictingOp = "op-2";
        try (Applier applier = new Applier(ledger, "b1")) {
            applier.start();
            applier.enqueue(deposit(1, "a", 100));
            assertThat(applier.awaitApplied(1, 10_000)).isTrue();
            applier.enqueue(deposit(2, "a", 50));
            applier.enqueue(deposit(3, "a", 25));
            await().atMost(Duration.ofSeconds(10)).until(() -> applier.stalledReason().isPresent());
            assertThat(applier.stalledReason().get()).contains("OPERATION_CONFLICT");
            assertThat(applier.appliedPosition()).isEqualTo(1);

            ledger.conflictingOp = null;
            assertThat(applier.awaitApplied(3, 10_000)).isTrue();
            assertThat(ledger.inner.balance("a")).isEqualTo(175);
        }
    }

    @Test
    void theQueueIsBoundedByRefusingFramesUntilItDrainsBelowHalf() {
        RefusingLedger ledger = new RefusingLedger();
        ledger.refuseAll = new LedgerException(503, "SHUTTING_DOWN", "down");
        try (Applier applier = new Applier(ledger, "b1", null, 4)) {
            applier.start();
            applier.enqueue(deposit(1, "a", 1));
            // the applier holds that one's batch, retrying; what is decided meanwhile queues behind it
            await().atMost(Duration.ofSeconds(10)).until(() -> applier.queued() == 0);
            for (int i = 2; i <= 4; i++) {
                applier.enqueue(deposit(i, "a", 1));
                assertThat(applier.admitting()).isTrue();
            }
            applier.enqueue(deposit(5, "a", 1));
            applier.enqueue(deposit(6, "a", 1));
            assertThat(applier.admitting()).isFalse();
            assertThat(applier.queued()).isEqualTo(5);
            ledger.refuseAll = null;
            assertThat(applier.awaitApplied(6, 10_000)).isTrue();
            assertThat(applier.admitting()).isTrue();
        }
    }

    @Test
    void anAuditReconcilesTheBanksFigureWithTheDataServersTotalAtItsPosition() {
        RefusingLedger ledger = new RefusingLedger();
        try (Applier applier = new Applier(ledger, "b1")) {
            applier.start();
            applier.enqueue(deposit(1, "a", 1_000));
            applier.enqueue(new Effects(2, "audit-1", List.of(), null, null, null, 1_000L));
            applier.enqueue(deposit(3, "a", 500)); // after the audit: not in its figure
            assertThat(applier.awaitApplied(3, 10_000)).isTrue();
            assertThat(applier.auditCheck("audit-1")).hasValueSatisfying(c -> {
                assertThat(c.reconciled()).isTrue();
                assertThat(c.dataServerTotal()).isEqualTo(1_000);
            });
            assertThat(applier.degradedReason()).isEmpty();

            // the bank's memory says 1,200 where the data server holds 1,500: reported, DEGRADED
            applier.enqueue(new Effects(4, "audit-2", List.of(), null, null, null, 1_200L));
            assertThat(applier.awaitApplied(4, 10_000)).isTrue();
            assertThat(applier.auditCheck("audit-2")).hasValueSatisfying(c -> {
                assertThat(c.reconciled()).isFalse();
                assertThat(c.problem()).contains("1200").contains("1500");
            });
            assertThat(applier.degradedReason()).hasValueSatisfying(r -> assertThat(r).contains("audit-2"));

            applier.enqueue(new Effects(5, "audit-3", List.of(), null, null, null, 1_500L));
            assertThat(applier.awaitApplied(5, 10_000)).isTrue();
            assertThat(applier.degradedReason()).isEmpty();
        }
    }
}
