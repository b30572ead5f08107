package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.distribank.app.client.AuditResult;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.PeerState;
import org.distribank.app.client.QueueItem;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.ui.common.UiTasks;
import org.junit.jupiter.api.Test;

/** The overview's lights, hash agreement and audits, and the queue rows, from made-up bank views. */
class StatusViewModelsTest {

    private static final List<BankRef> BANKS = List.of(new BankRef("b1", "Bank 1", "http://b1"),
            new BankRef("b2", "Bank 2", "http://b2"), new BankRef("b3", "Bank 3", "http://b3"));

    private static BankStatus up(String self, long delivered, String hash, List<QueueItem> queue, String... offline) {
        List<PeerState> peers = BANKS.stream().map(b -> new PeerState(b.id(), b.name(), b.url(),
                !List.of(offline).contains(b.id()), 0)).toList();
        return new BankStatus(self, true, new ConsortiumSnapshot(self, peers, Map.of("b1", 3L, "b2", 2L, "b3", 1L),
                queue, delivered, hash), null, 0);
    }

    private static BankStatus inView(String self, long epoch, String... members) {
        List<PeerState> peers = BANKS.stream().map(b -> new PeerState(b.id(), b.name(), b.url(), true, 0)).toList();
        return new BankStatus(self, true, new ConsortiumSnapshot(self, peers, Map.of("b1", 1L), List.of(), 7, "aa11",
                epoch, List.of(members)), null, 0);
    }

    @Test
    void theOverviewSaysWhichViewTheBanksOrderInAndWhoIsOut() {
        OverviewViewModel vm = overview(() -> null);
        vm.statuses(Map.of("b1", up("b1", 7, "aa11", List.of())));
        assertThat(vm.viewTextProperty().get()).as("a bank that does not tell its view").isEmpty();

        assertThat(vm.cards()).allSatisfy(c -> assertThat(c.membership()).isEqualTo(BankCard.Membership.UNKNOWN));

        vm.statuses(Map.of("b1", inView("b1", 0, "b1", "b2", "b3"), "b2", inView("b2", 0, "b1", "b2", "b3"),
                "b3", inView("b3", 0, "b1", "b2", "b3")));
        assertThat(vm.viewTextProperty().get()).isEqualTo("Epoch 0 \u00b7 ordering: b1, b2, b3 \u00b7 every bank in the view");
        assertThat(vm.card("b3").membershipTextProperty().get()).isEqualTo("in the view (epoch 0)");

        // b3 left out by a view change it has not heard of yet: the newest epoch counts, b3 is marked behind
        vm.statuses(Map.of("b1", inView("b1", 1, "b1", "b2"), "b2", inView("b2", 1, "b1", "b2"),
                "b3", inView("b3", 0, "b1", "b2", "b3")));
        assertThat(vm.viewTextProperty().get()).isEqualTo(
                "Epoch 1 \u00b7 ordering: b1, b2 \u00b7 out: b3 \u00b7 at an older epoch: b3 (epoch 0)");
        assertThat(vm.card("b3").membership()).isEqualTo(BankCard.Membership.OUT);
        assertThat(vm.card("b3").membershipTextProperty().get())
                .isEqualTo("out of the view (epoch 1): the others order without it; it is still at epoch 0");
        assertThat(vm.card("b3").light()).as("online and out: two different things").isEqualTo(BankCard.Light.ONLINE);
        assertThat(vm.card("b1").membership()).isEqualTo(BankCard.Membership.MEMBER);
        assertThat(vm.card("b1").membershipTextProperty().get()).isEqualTo("in the view (epoch 1)");

        // b3 knows it is out; b2 is a member of epoch 2 still installing it
        vm.statuses(Map.of("b1", inView("b1", 2, "b1", "b2"), "b3", inView("b3", 1, "b1", "b2")));
        assertThat(vm.card("b2").membership()).isEqualTo(BankCard.Membership.BEHIND);
        assertThat(vm.card("b2").membershipTextProperty().get()).isEqualTo("a member of epoch 2; it is still at epoch 1");
        assertThat(vm.viewTextProperty().get()).startsWith("Epoch 2 \u00b7 ordering: b1, b2 \u00b7 out: b3 \u00b7 ")
                .endsWith("at an older epoch: b2 (epoch 1), b3 (epoch 1)");
    }

    /** A bank retired (retire-bank) is no longer among the view's banks: marked retired, not out. */
    @Test
    void aRetiredBankIsShownRetiredNotOut() {
        OverviewViewModel vm = overview(() -> null);
        List<PeerState> peers = BANKS.stream().map(b -> new PeerState(b.id(), b.name(), b.url(), true, 0)).toList();
        BankStatus b1 = new BankStatus("b1", true, new ConsortiumSnapshot("b1", peers, Map.of("b1", 1L), List.of(), 7,
                "aa11", 3, List.of("b1", "b2"), List.of("b1", "b2")), null, 0);
        vm.statuses(Map.of("b1", b1));
        assertThat(vm.card("b3").membership()).isEqualTo(BankCard.Membership.RETIRED);
        assertThat(vm.card("b3").membershipTextProperty().get()).startsWith("retired from the consortium (epoch 3)");
        assertThat(vm.card("b2").membership()).isEqualTo(BankCard.Membership.MEMBER);
        assertThat(vm.viewTextProperty().get()).isEqualTo(
                "Epoch 3 \u00b7 ordering: b1, b2 \u00b7 every bank in the view \u00b7 retired: b3");
    }

    @Test
    void aBankOfflineButStillAMemberIsNotOutOfTheView() {
        OverviewViewModel vm = overview(() -> null);
        vm.statuses(Map.of("b1", inView("b1", 4, "b1", "b2", "b3"), "b2", inView("b2", 4, "b1", "b2", "b3"),
                "b3", down("b3", "stopped")));
        assertThat(vm.card("b3").light()).isEqualTo(BankCard.Light.OFFLINE);
        assertThat(vm.card("b3").membership()).isEqualTo(BankCard.Membership.MEMBER);
        assertThat(vm.card("b3").membershipTextProperty().get()).startsWith("in the view (epoch 4), though not answering");
        assertThat(vm.viewTextProperty().get()).isEqualTo("Epoch 4 \u00b7 ordering: b1, b2, b3 \u00b7 every bank in the view");
    }

    @Test
    void anAuditRefusedBecauseABankIsOutNamesItInPlainWordsUntilAnAuditSucceeds() {
        AuditResult ok = new AuditResult(50_000, Map.of("b1", 30_000L, "b2", 20_000L, "b3", 0L), 9);
        AtomicReference<Supplier<AuditResult>> next = new AtomicReference<>();
        OverviewViewModel vm = overview(() -> next.get().get());
        vm.statuses(Map.of("b1", inView("b1", 1, "b1", "b2"), "b2", inView("b2", 1, "b1", "b2"),
                "b3", down("b3", "stopped")));

        next.set(() -> {
            throw new BankApiException(503, "BANK_OFFLINE", "Bank b3 did not report its total for audit "
                    + "audit-9b3e2a41-0000-4b3c-8000-00000000b3b3.");
        });
        vm.audit();
        assertThat(vm.auditRefusedProperty().get())
                .isEqualTo("Audit refused: b3 is outside the view; its total and owed legs are unknown.");
        assertThat(vm.auditErrorProperty().get()).as("the consortium's state, not the app failing").isEmpty();

        next.set(() -> {
            throw new BankApiException(503, "BANK_OFFLINE", "An audit needs every bank's figure.");
        });
        vm.audit();
        assertThat(vm.auditRefusedProperty().get()).as("no bank named: those out of the view")
                .isEqualTo("Audit refused: b3 is outside the view; its total and owed legs are unknown.");

        next.set(() -> ok);
        vm.audit();
        assertThat(vm.auditRefusedProperty().get()).isEmpty();
        assertThat(vm.totalTextProperty().get()).isEqualTo("R$ 500,00");

        // every bank a member, two offline: the refusal of the original protocol, in the same plain words
        OverviewViewModel all = overview(() -> {
            throw new BankApiException(503, "BANK_OFFLINE", "Bank b2 is offline: new operations wait until it is "
                    + "back (offline: b2, b3).");
        });
        all.statuses(Map.of("b1", inView("b1", 0, "b1", "b2", "b3")));
        all.audit();
        assertThat(all.auditRefusedProperty().get())
                .isEqualTo("Audit refused: b2 and b3 are offline; their totals are unknown.");
    }

    private static BankStatus down(String self, String error) {
        return new BankStatus(self, false, null, error, 0);
    }

    private static OverviewViewModel overview(Supplier<AuditResult> auditor) {
        return new OverviewViewModel(BANKS, auditor, UiTasks.direct());
    }

    @Test
    void everyBankOnlineWithEqualDeliveriesAndHashesAgrees() {
        OverviewViewModel vm = overview(() -> null);
        vm.statuses(Map.of("b1", up("b1", 7, "aa11", List.of()), "b2", up("b2", 7, "aa11", List.of()),
                "b3", up("b3", 7, "aa11", List.of())));
        assertThat(vm.cards()).allSatisfy(c -> {
            assertThat(c.light()).isEqualTo(BankCard.Light.ONLINE);
            assertThat(c.hashState()).isEqualTo(BankCard.HashState.AGREE);
            assertThat(c.hashTextProperty().get()).isEqualTo("agree");
            assertThat(c.error()).isEmpty();
        });
        assertThat(vm.card("b1").clockProperty().get()).isEqualTo("b1:3  b2:2  b3:1");
        assertThat(vm.agreementProperty().get()).isEqualTo(OverviewViewModel.Agreement.AGREE);
        assertThat(vm.onlineTextProperty().get()).isEqualTo("3 of 3 banks online");
    }

    @Test
    void equalDeliveriesWithDifferentHashesAreFlaggedAndLaggardsAreCatchingUp() {
        OverviewViewModel vm = overview(() -> null);
        vm.statuses(Map.of("b1", up("b1", 7, "aa11", List.of()), "b2", up("b2", 7, "bb22", List.of()),
                "b3", up("b3", 5, "cc33", List.of())));
        assertThat(vm.card("b1").hashState()).isEqualTo(BankCard.HashState.DIFFERS);
        assertThat(vm.card("b1").hashTextProperty().get()).isEqualTo("differs from b2");
        assertThat(vm.card("b3").hashState()).isEqualTo(BankCard.HashState.ALONE);
        assertThat(vm.agreementProperty().get()).isEqualTo(OverviewViewModel.Agreement.DIFFERS);

        vm.statuses(Map.of("b2", up("b2", 7, "aa11", List.of())));
        assertThat(vm.agreementProperty().get()).isEqualTo(OverviewViewModel.Agreement.CATCHING_UP);
        assertThat(vm.agreementTextProperty().get()).contains("b3 5");
    }

    @Test
    void aStoppedBankIsOfflineAndABankOthersCannotSeeIsSuspect() {
        OverviewViewModel vm = overview(() -> null);
        vm.statuses(Map.of("b1", up("b1", 7, "aa11", List.of(), "b3"), "b2", up("b2", 7, "aa11", List.of()),
                "b3", down("b3", "stopped")));
        assertThat(vm.card("b3").light()).isEqualTo(BankCard.Light.OFFLINE);
        assertThat(vm.card("b3").error()).isEqualTo("stopped");
        assertThat(vm.card("b3").lightTextProperty().get()).contains("b1 sees it offline");
        assertThat(vm.card("b3").hashState()).isEqualTo(BankCard.HashState.UNKNOWN);
        assertThat(vm.onlineTextProperty().get()).isEqualTo("2 of 3 banks online");

        vm.statuses(Map.of("b3", up("b3", 7, "aa11", List.of())));
        assertThat(vm.card("b3").light()).isEqualTo(BankCard.Light.SUSPECT);
        assertThat(vm.card("b3").lightTextProperty().get()).contains("b1 sees it offline");

        vm.statuses(Map.of("b2", down("b2", "The bank at http://b2 is not answering (refused).")));
        assertThat(vm.card("b2").error()).isEqualTo("not answering");
        assertThat(vm.card("b2").errorDetailProperty().get()).contains("refused");
    }

    @Test
    void auditsSayWhetherTheTotalStayedConstantAndByHowMuchItMoved() {
        AuditResult[] next = {new AuditResult(50_000, Map.of("b1", 37_655L, "b2", 12_345L, "b3", 0L), 4)};
        OverviewViewModel vm = overview(() -> next[0]);
        vm.audit();
        assertThat(vm.totalTextProperty().get()).isEqualTo("R$ 500,00");
        assertThat(vm.invariantTextProperty().get()).startsWith("First audit");
        assertThat(vm.shares()).extracting(OverviewViewModel.Share::text)
                .containsExactly("R$ 376,55", "R$ 123,45", "R$ 0,00");

        next[0] = new AuditResult(50_000, Map.of("b1", 30_000L, "b2", 20_000L, "b3", 0L), 9);
        vm.audit();
        assertThat(vm.invariantTextProperty().get()).startsWith("The total stayed constant");
        assertThat(vm.invariantChangedProperty().get()).isFalse();

        next[0] = new AuditResult(60_050, Map.of("b1", 40_050L, "b2", 20_000L, "b3", 0L), 12);
        vm.audit();
        assertThat(vm.invariantTextProperty().get()).contains("changed by +R$ 100,50");
        assertThat(vm.invariantChangedProperty().get()).isTrue();
        assertThat(vm.audits()).extracting(AuditEntry::changeText)
                .containsExactly("first audit", "unchanged", "+R$ 100,50");

        // a bank's data server that differs from the bank is shown, even with a constant total
        next[0] = new AuditResult(60_050, Map.of("b1", 40_050L, "b2", 20_000L, "b3", 0L), 15,
                java.util.List.of("b1: audit at position 15 does not reconcile"));
        vm.audit();
        assertThat(vm.invariantTextProperty().get()).startsWith("The total stayed constant")
                .contains("Data servers differ from their banks: b1: audit at position 15 does not reconcile");
        assertThat(vm.invariantChangedProperty().get()).isTrue();

        next[0] = null;
        OverviewViewModel failing = overview(() -> {
            throw new BankApiException(503, "BANK_OFFLINE", "Bank b2 is offline.");
        });
        failing.audit();
        assertThat(failing.auditRefusedProperty().get()).isEqualTo("Audit refused: b2 is offline; its total is unknown.");
        assertThat(failing.auditErrorProperty().get()).isEmpty();
        assertThat(failing.auditingProperty().get()).isFalse();

        OverviewViewModel unreachable = overview(() -> {
            throw new BankApiException(0, "UNREACHABLE", "No bank answers.");
        });
        unreachable.audit();
        assertThat(unreachable.auditErrorProperty().get()).isEqualTo("The last audit failed: No bank answers.");
        assertThat(unreachable.auditRefusedProperty().get()).isEmpty();
    }

    @Test
    void queueRowsShowAcksOutOfAllBanksAndWhatEachOperationWaitsFor() {
        QueuesViewModel vm = new QueuesViewModel(BANKS);
        QueueItem waiting = new QueueItem("T1", "b2", Map.of("b1", 1L, "b2", 4L), List.of("b1", "b2"), "QUEUED");
        QueueItem delivered = new QueueItem("T0", "b1", Map.of("b1", 1L), List.of("b1", "b2", "b3"), "DELIVERED");
        vm.statuses(Map.of("b1", up("b1", 3, "aa", List.of(delivered, waiting)), "b3", down("b3", "stopped")));

        assertThat(vm.bank("b1").rows()).extracting(QueuesViewModel.Row::id).containsExactly("T0", "T1");
        QueuesViewModel.Row r = vm.bank("b1").rows().get(1);
        assertThat(r.acks()).isEqualTo("2/3");
        assertThat(r.ackNames()).isEqualTo("b1, b2");
        assertThat(r.orderKey()).isEqualTo("(5, b2)");
        assertThat(r.explanation()).isEqualTo("waiting for b3 to acknowledge");
        assertThat(vm.bank("b1").rows().get(0).explanation()).startsWith("delivered");
        assertThat(vm.bank("b1").summaryProperty().get()).startsWith("1 waiting for ACKs, 1 delivered");
        assertThat(vm.bank("b3").summaryProperty().get()).contains("stopped");
        assertThat(vm.bank("b3").reachableProperty().get()).isFalse();
    }
}
