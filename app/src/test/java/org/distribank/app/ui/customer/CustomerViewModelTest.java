package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.AccountRef;
import org.distribank.app.ui.customer.CustomerState.Section;
import org.junit.jupiter.api.Test;

/** The window's frame on fake banks: its title, the tab it starts on, the status bar, signing out and closing. */
class CustomerViewModelTest {

    private final CustomerFixture f = new CustomerFixture();

    private CustomerViewModel window(CustomerViewModel.Start start) {
        return new CustomerViewModel(f.session, f.tasks, f.follower, start);
    }

    private static void signIn(CustomerViewModel w) {
        w.signIn().usernameProperty().set("maria");
        w.signIn().passwordProperty().set("s3cret-pass");
        w.signIn().signIn();
        assertThat(w.isSignedIn()).isTrue();
    }

    @Test
    void theWindowStartsWhereItWasOpenedForAndIsTitledByWhoIsSignedIn() {
        assertThat(window(CustomerViewModel.Start.OPEN_ACCOUNT).sectionProperty().get())
                .isEqualTo(Section.OPEN_ACCOUNT);
        CustomerViewModel w = window(CustomerViewModel.Start.SIGN_IN);
        assertThat(w.sectionProperty().get()).isEqualTo(Section.SIGN_IN);
        assertThat(w.titleProperty().get()).isEqualTo("Customer at Bank 1 (signed out)");
        assertThat(w.subtitleProperty().get()).isEqualTo("Bank 1 (b1) · http://127.0.0.1:9");

        signIn(w);
        assertThat(w.titleProperty().get()).isEqualTo("Maria Souza at Bank 1");
        assertThat(w.subtitleProperty().get()).isEqualTo("CPF 529.982.247-25 · Bank 1 (b1) · http://127.0.0.1:9");
        // every part took its choice from the accounts the sign-in listed
        AccountRef mine = new AccountRef("b1", "1001");
        assertThat(w.cash().accountProperty().get()).isEqualTo(mine);
        assertThat(w.pix().accountProperty().get()).isEqualTo(mine);
        assertThat(w.statement().accountProperty().get()).isEqualTo(mine);
        assertThat(w.transfer().fromAccounts()).containsExactly(mine);
    }

    @Test
    void signingOutForgetsWhatTheWindowShowedAndEndsTheSessionAtTheBank() {
        CustomerViewModel w = window(CustomerViewModel.Start.SIGN_IN);
        signIn(w);
        f.here.answers.add(FakeCustomerApi.result(null, "COMMITTED", null, null));
        w.cash().amountProperty().set("10");
        w.cash().deposit();
        assertThat(w.cash().statusProperty().get()).isEqualTo("COMMITTED");

        w.signOut();
        assertThat(w.isSignedIn()).isFalse();
        assertThat(w.state().accounts()).isEmpty();
        assertThat(w.state().hereAccounts()).isEmpty();
        assertThat(w.cash().accountProperty().get()).isNull();
        assertThat(w.cash().statusProperty().get()).isEmpty();
        assertThat(w.statement().entries()).isEmpty();
        assertThat(w.titleProperty().get()).isEqualTo("Customer at Bank 1 (signed out)");
        assertThat(w.sectionProperty().get()).isEqualTo(Section.SIGN_IN);
        assertThat(w.noticeProperty().get()).isEqualTo("Maria Souza signed out.");
        assertThat(f.here.count("signOut")).isEqualTo(1);
        assertThat(f.session.signedIn()).isFalse();
    }

    @Test
    void aSignOutTheBankDidNotConfirmIsSaidAndClosingSignsOutQuietly() {
        CustomerViewModel w = window(CustomerViewModel.Start.SIGN_IN);
        signIn(w);
        f.here.failNext.put("signOut", FakeCustomerApi.unreachable());
        w.signOut();
        assertThat(w.isSignedIn()).isFalse();
        assertThat(w.noticeProperty().get()).isEqualTo("Maria Souza signed out here; the bank did not confirm it "
                + "(Bank 1 did not answer (connection refused).).");
        assertThat(w.noticeIsErrorProperty().get()).isTrue();

        signIn(w);
        w.close();
        assertThat(w.isSignedIn()).isFalse();
        assertThat(f.here.count("signOut")).isEqualTo(2);
    }

    @Test
    void anErrorInTheStatusBarIsClearedByTheNextSuccess() {
        CustomerViewModel w = window(CustomerViewModel.Start.SIGN_IN);
        signIn(w);
        f.here.failNext.put("me", FakeCustomerApi.unreachable());
        w.accounts().refresh();
        assertThat(w.noticeProperty().get()).isEqualTo("Bank 1 did not answer (connection refused).");
        assertThat(w.noticeIsErrorProperty().get()).isTrue();

        // any later success clears it: here the PIX keys read fine
        w.pix().refresh();
        assertThat(w.noticeProperty().get()).isEmpty();
        assertThat(w.noticeIsErrorProperty().get()).isFalse();

        f.here.failNext.put("me", FakeCustomerApi.unreachable());
        w.refreshAll(); // the balances fail, the statement, keys and consents that follow read fine
        assertThat(w.noticeProperty().get()).isEmpty();
        f.here.failNext.put("me", FakeCustomerApi.unreachable());
        w.accounts().refresh();
        assertThat(w.noticeIsErrorProperty().get()).isTrue();
        w.accounts().refresh();
        assertThat(w.noticeProperty().get()).isEmpty();
    }

    @Test
    void newsInTheStatusBarStaysUntilTheNextNews() {
        CustomerViewModel w = window(CustomerViewModel.Start.SIGN_IN);
        signIn(w);
        w.accounts().refresh();
        assertThat(w.noticeProperty().get()).isEqualTo("Welcome, Maria Souza.");
        assertThat(w.noticeIsErrorProperty().get()).isFalse();
    }
}
