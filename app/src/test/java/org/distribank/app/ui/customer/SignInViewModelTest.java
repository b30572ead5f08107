package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.AccountRef;
import org.distribank.app.ui.customer.CustomerState.Section;
import org.junit.jupiter.api.Test;

/** Signing in at the window's bank, and what a refused or lost session reads like. */
class SignInViewModelTest {

    private final CustomerFixture f = new CustomerFixture();

    @Test
    void signingInShowsThePersonTheirAccountsAndTheAccountsTab() {
        SignInViewModel s = f.signInForm();
        assertThat(s.validProperty().get()).isFalse();
        s.usernameProperty().set(" maria ");
        s.passwordProperty().set("s3cret-pass");
        assertThat(s.validProperty().get()).isTrue();
        s.signIn();

        assertThat(f.state.isSignedIn()).isTrue();
        assertThat(f.state.holderNameProperty().get()).isEqualTo("Maria Souza");
        assertThat(f.state.holderCpfProperty().get()).isEqualTo("529.982.247-25");
        assertThat(f.state.accounts()).extracting(AccountRow::ref).containsExactly(new AccountRef("b1", "1001"));
        assertThat(f.state.accounts().get(0).balanceText()).isEqualTo("R$ 100,00");
        assertThat(f.state.label(new AccountRef("b1", "1001"))).isEqualTo("1001 at Bank 1 · Personal");
        assertThat(f.state.sectionProperty().get()).isEqualTo(Section.ACCOUNTS);
        assertThat(f.state.noticeProperty().get()).isEqualTo("Welcome, Maria Souza.");
        assertThat(s.passwordProperty().get()).isEmpty(); // never kept
        assertThat(f.here.count("me")).isEqualTo(1); // balances read again right away
        assertThat(f.session.signedIn()).isTrue();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserReadTheSameAndALockOrADownBankIsSaid() {
        SignInViewModel s = f.signInForm();
        s.usernameProperty().set("maria");
        s.passwordProperty().set("wrong-password");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.BAD_CREDENTIALS);
        assertThat(s.passwordProperty().get()).isEmpty();

        s.usernameProperty().set("nobody-here");
        s.passwordProperty().set("s3cret-pass");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.BAD_CREDENTIALS);

        f.here.failNext.put("signIn", FakeCustomerApi.refused(429, "TOO_MANY_ATTEMPTS", "Locked."));
        s.usernameProperty().set("maria");
        s.passwordProperty().set("s3cret-pass");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.TOO_MANY);

        f.here.failNext.put("signIn", FakeCustomerApi.unreachable());
        s.passwordProperty().set("s3cret-pass");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo("Bank 1 is not answering. Try again when it is back.");
        assertThat(f.state.isSignedIn()).isFalse();
        assertThat(f.session.signedIn()).isFalse();

        s.passwordProperty().set("s3cret-pass");
        s.signIn();
        assertThat(s.errorProperty().get()).isEmpty();
        assertThat(f.state.isSignedIn()).isTrue();
    }

    @Test
    void aSessionTheBankEndedSignsTheWindowOutAndSaysSo() {
        f.signIn();
        f.here.failNext.put("me", FakeCustomerApi.refused(401, "UNAUTHORIZED", "Session expired."));
        f.accounts.refresh();

        assertThat(f.state.isSignedIn()).isFalse();
        assertThat(f.state.accounts()).isEmpty();
        assertThat(f.state.holderNameProperty().get()).isEmpty();
        assertThat(f.state.noticeProperty().get()).isEqualTo("Your session ended: sign in again.");
        assertThat(f.state.noticeIsErrorProperty().get()).isTrue();
        assertThat(f.state.sectionProperty().get()).isEqualTo(Section.SIGN_IN);
    }
}
