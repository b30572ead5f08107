package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.TransferLeg;
import org.junit.jupiter.api.Test;

/** Deposits and withdrawals against a fake bank, followed from PENDING to the consortium's decision. */
class CashViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final CashViewModel cash = new CashViewModel(f.session, f.state, f.tasks, f.follower);

    @Test
    void aPendingDepositIsFollowedUntilItCommits() {
        f.signIn();
        assertThat(cash.accountProperty().get()).isEqualTo(new AccountRef("b1", "1001"));
        List<String> said = new ArrayList<>();
        cash.messageProperty().addListener((o, a, m) -> said.add(m));
        f.here.answers.add(FakeCustomerApi.result(null, "PENDING", null, null));
        f.here.answers.add(FakeCustomerApi.result(null, "PENDING", null, null));
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        int reads = (int) f.here.count("me");

        cash.amountProperty().set("100,00");
        cash.deposit();

        assertThat(f.here.lastLegs).containsExactly(new TransferLeg(null, new AccountRef("b1", "1001"), null, 10_000));
        assertThat(f.here.count("transaction")).isEqualTo(2);
        assertThat(f.here.transactionIds).hasSize(3).containsOnly(f.here.transactionIds.get(0)); // one id throughout
        assertThat(said).contains("Deposit of R$ 100,00 into account 1001 at Bank 1: pending, the consortium is "
                + "deciding...");
        assertThat(cash.statusProperty().get()).isEqualTo("COMMITTED");
        assertThat(cash.messageProperty().get()).isEqualTo("Deposit of R$ 100,00 into account 1001 at Bank 1: "
                + "committed.");
        assertThat(cash.orderProperty().get()).isEqualTo("Ordered by Bank 1 at vector clock b1:4 b2:1");
        assertThat(cash.amountProperty().get()).isEmpty();
        assertThat(cash.busyProperty().get()).isFalse();
        assertThat(f.here.count("me")).isEqualTo(reads + 1); // the balances are read again
    }

    @Test
    void anAbortedWithdrawalSaysWhyAndKeepsTheAmount() {
        f.signIn();
        f.here.answers.add(FakeCustomerApi.result(null, "ABORTED", "INSUFFICIENT_FUNDS", 0));
        cash.kindProperty().set(CashViewModel.Kind.WITHDRAWAL);
        cash.amountProperty().set("500");
        cash.submit();
        assertThat(f.here.count("withdraw")).isEqualTo(1);
        assertThat(cash.statusProperty().get()).isEqualTo("ABORTED");
        assertThat(cash.messageProperty().get()).isEqualTo("Withdrawal of R$ 500,00 from account 1001 at Bank 1: "
                + "aborted, nothing was moved. Not enough money in account 1001 at Bank 1 to pay R$ 500,00.");
        assertThat(cash.amountProperty().get()).isEqualTo("500");
    }

    @Test
    void anInvalidAmountIsNotSentAndABankThatDoesNotAnswerIsSaid() {
        f.signIn();
        cash.amountProperty().set("abc");
        assertThat(cash.validProperty().get()).isFalse();
        assertThat(cash.amountError().get()).isNotNull();
        cash.deposit();
        assertThat(f.here.count("deposit")).isZero();

        f.here.failNext.put("deposit", FakeCustomerApi.unreachable());
        cash.amountProperty().set("1");
        cash.deposit();
        assertThat(cash.statusProperty().get()).isEmpty();
        assertThat(cash.messageProperty().get()).isEqualTo("Bank 1 did not answer (connection refused).");
        assertThat(cash.busyProperty().get()).isFalse();
    }

    @Test
    void aConsortiumThatDoesNotDecideWithinTheBoundIsSaid() {
        CustomerFixture g = new CustomerFixture(Duration.ZERO);
        CashViewModel c = new CashViewModel(g.session, g.state, g.tasks, g.follower);
        g.signIn();
        g.here.answers.add(FakeCustomerApi.result(null, "PENDING", null, null));
        c.amountProperty().set("5");
        c.deposit();
        assertThat(c.messageProperty().get()).isEqualTo("The consortium has not decided after 0 s. It will: look at "
                + "the statement again later.");
        assertThat(c.busyProperty().get()).isFalse();
    }
}
