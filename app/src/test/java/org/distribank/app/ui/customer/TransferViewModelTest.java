package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.AccountRef;
import org.distribank.app.client.LinkedAccount;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.BankRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transfer builder against a fake bank: legs from an account here and one linked from Bank 2, to Bank 3; the
 * consortium's answers are queued in the fake.
 */
class TransferViewModelTest {

    private static final AccountRef HERE = new AccountRef("b1", "1001");
    private static final AccountRef LINKED = new AccountRef("b2", "2001");
    private static final BankRef B3 = CustomerFixture.BANKS.get(2);

    private final CustomerFixture f = new CustomerFixture();
    private final TransferViewModel t = new TransferViewModel(f.session, f.state, f.tasks, f.follower);
    private LegViewModel a;
    private LegViewModel b;

    @BeforeEach
    void twoLegs() {
        f.here.linked.add(new LinkedAccount("b2", "2001", "c1", 4_000, "2031-01-01T00:00:00Z", "ACTIVE", false, null));
        f.signIn();
        assertThat(t.fromAccounts()).containsExactly(HERE, LINKED);
        a = t.legs().get(0);
        a.fromProperty().set(HERE);
        a.toBankProperty().set(B3);
        a.toAccountProperty().set("3001");
        a.amountProperty().set("30,00");
        b = t.addLeg();
        assertThat(b.toBankProperty().get()).isEqualTo(B3); // legs often pay one person
        b.fromProperty().set(LINKED);
        b.toAccountProperty().set("3001");
        b.amountProperty().set("20,00");
    }

    @Test
    void aMultiLegTransferIsFollowedFromPendingUntilItCommits() {
        assertThat(t.totalTextProperty().get()).isEqualTo("R$ 50,00");
        assertThat(t.validProperty().get()).isTrue();
        f.here.answers.add(FakeCustomerApi.result(null, "PENDING", null, null));
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        t.submit();

        AccountRef to = new AccountRef("b3", "3001");
        assertThat(f.here.lastLegs).containsExactly(TransferLeg.toAccount(HERE, to, 3_000),
                TransferLeg.toAccount(LINKED, to, 2_000));
        assertThat(f.here.count("transaction")).isEqualTo(1);
        assertThat(t.statusProperty().get()).isEqualTo("COMMITTED");
        assertThat(t.statusTextProperty().get()).isEqualTo("Committed: all 2 legs were applied together.");
        assertThat(t.orderProperty().get()).isEqualTo("Ordered by Bank 1 at vector clock b1:4 b2:1");
        assertThat(t.transactionIdProperty().get()).isEqualTo(f.here.transactionIds.get(0));
        assertThat(t.failedLegProperty().get()).isEqualTo(-1);
        assertThat(t.busyProperty().get()).isFalse();
    }

    @Test
    void anAbortNamesTheLegThatFailedAndTheNextTransferGetsAFreshId() {
        f.here.answers.add(FakeCustomerApi.result(null, "ABORTED", "CONSENT_LIMIT", 1));
        t.submit();
        assertThat(t.statusProperty().get()).isEqualTo("ABORTED");
        assertThat(t.failedLegProperty().get()).isEqualTo(1);
        assertThat(b.failedProperty().get()).isTrue();
        assertThat(a.failedProperty().get()).isFalse();
        assertThat(t.statusTextProperty().get()).isEqualTo("Aborted, nothing was moved. Paying R$ 20,00 from "
                + "account 2001 at Bank 2 goes beyond what is left of its consent's limit (leg 2).");
        String first = t.transactionIdProperty().get();

        b.amountProperty().set("5");
        assertThat(b.failedProperty().get()).isFalse(); // editing the leg clears its mark
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        t.submit();
        assertThat(t.transactionIdProperty().get()).isNotEqualTo(first);
        assertThat(t.statusProperty().get()).isEqualTo("COMMITTED");
    }

    @Test
    void aLegMayPayAPixKey() {
        b.targetProperty().set(LegViewModel.Target.PIX_KEY);
        assertThat(b.pixKeyError().get()).isNotNull();
        b.pixKeyProperty().set(" ana@example.com ");
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        t.submit();
        assertThat(f.here.lastLegs.get(1)).isEqualTo(TransferLeg.toPixKey(LINKED, "ana@example.com", 2_000));
        assertThat(t.statusProperty().get()).isEqualTo("COMMITTED");
    }

    @Test
    void aRefusalBeforeTheOrderNamesTheLegAsPeopleCountThem() {
        b.targetProperty().set(LegViewModel.Target.PIX_KEY);
        b.pixKeyProperty().set("nobody@example.com");
        f.here.failNext.put("transfer", FakeCustomerApi.refused(404, "PIX_KEY_NOT_FOUND",
                "Leg 1: no account has the PIX key nobody@example.com."));
        t.submit();
        assertThat(t.statusProperty().get()).isEmpty();
        assertThat(t.statusTextProperty().get()).isEqualTo("Leg 2: no account has the PIX key nobody@example.com.");
        assertThat(t.failedLegProperty().get()).isEqualTo(1);
        assertThat(b.failedProperty().get()).isTrue();
    }

    @Test
    void aTransferTheBankDidNotAnswerIsSentAgainWithItsId() {
        f.here.failNext.put("transfer", FakeCustomerApi.unreachable());
        t.submit();
        assertThat(t.statusTextProperty().get()).isEqualTo("Bank 1 did not answer, so the transfer's fate is "
                + "unknown. Send it again: it keeps its id, so it can never be applied twice.");
        String id = t.transactionIdProperty().get();
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        t.submit();
        assertThat(f.here.transactionIds).containsExactly(id);
        assertThat(t.statusProperty().get()).isEqualTo("COMMITTED");
    }

    @Test
    void aLegDoesNotKeepPayingFromAnAccountNoLongerLinkedAndANewTransferStartsEmpty() {
        f.here.linked.clear();
        f.accounts.refresh();
        assertThat(t.fromAccounts()).containsExactly(HERE);
        assertThat(b.fromProperty().get()).isNull();
        assertThat(t.validProperty().get()).isFalse();
        assertThat(t.problemProperty().get()).isEqualTo("Leg 2: Choose one of your accounts to pay from.");

        t.newTransfer();
        assertThat(t.legs()).hasSize(1);
        assertThat(t.totalProperty().get()).isZero();
        assertThat(t.statusTextProperty().get()).isEmpty();
    }
}
