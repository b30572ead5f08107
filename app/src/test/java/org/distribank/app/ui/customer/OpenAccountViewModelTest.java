package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.app.ui.customer.CustomerFormsTest.fill;

import org.distribank.app.client.HolderForm;
import org.distribank.app.ui.customer.CustomerState.Section;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;
import org.junit.jupiter.api.Test;

/** Opening PERSONAL, JOINT and BUSINESS accounts against a fake bank. */
class OpenAccountViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final OpenAccountViewModel open = new OpenAccountViewModel(f.session, f.state, f.tasks);

    private static String cpf(String nine) {
        return Cpf.withCheckDigits(nine).formatted();
    }

    @Test
    void aPersonalAccountIsOpenedAndItsHolderIsOfferedToSignIn() {
        SignInViewModel signIn = f.signInForm();
        fill(open.holders().get(0), "Rita Alves", cpf("100000001"), "rita", "rita-password");
        assertThat(open.validProperty().get()).isTrue();
        open.submit();

        assertThat(open.errorProperty().get()).isEmpty();
        assertThat(f.here.holdersSent).extracting(HolderForm::username).containsExactly("rita");
        String number = open.openedProperty().get().account();
        assertThat(open.messageProperty().get()).isEqualTo("Personal account " + number
                + " opened at Bank 1 for Rita Alves.");
        assertThat(f.state.noticeProperty().get()).isEqualTo("Personal account " + number + " opened at Bank 1.");
        assertThat(signIn.usernameProperty().get()).isEqualTo("rita");
        assertThat(f.state.sectionProperty().get()).isEqualTo(Section.SIGN_IN);
        assertThat(open.holders().get(0).nameProperty().get()).isEmpty(); // an empty form for the next one
    }

    @Test
    void aJointAccountNeedsTwoDistinctHoldersAndSendsThemAll() {
        open.kindProperty().set(OpenAccountViewModel.Kind.JOINT);
        assertThat(open.holders()).hasSize(2);
        fill(open.holders().get(0), "Ana Reis", cpf("100000003"), "ana", "ana-password");
        fill(open.holders().get(1), "Bia Reis", cpf("100000003"), "bia", "bia-password");
        assertThat(open.formErrorProperty().get()).isNotNull();
        assertThat(open.validProperty().get()).isFalse();
        open.holders().get(1).cpfProperty().set(cpf("100000004"));
        open.addHolder();
        assertThat(open.holders()).hasSize(3);
        open.removeHolder(open.holders().get(2));
        assertThat(open.validProperty().get()).isTrue();

        open.submit();
        assertThat(f.here.count("openJoint")).isEqualTo(1);
        assertThat(f.here.holdersSent).extracting(HolderForm::username).containsExactly("ana", "bia");
        assertThat(open.messageProperty().get()).endsWith(" opened at Bank 1 for Ana Reis, Bia Reis.")
                .startsWith("Joint account ");
    }

    @Test
    void aBusinessAccountSendsTheCompanyAndItsAdmin() {
        open.kindProperty().set(OpenAccountViewModel.Kind.BUSINESS);
        fill(open.holders().get(0), "Caio Prado", cpf("100000005"), "caio", "caio-password");
        assertThat(open.validProperty().get()).isFalse();
        open.companyNameProperty().set("Prado Pães Ltda");
        String cnpj = Cnpj.withCheckDigits("112223330001").formatted();
        open.cnpjProperty().set(cnpj);
        assertThat(open.validProperty().get()).isTrue();
        open.submit();
        assertThat(f.here.lastCompany).isEqualTo("Prado Pães Ltda " + cnpj);
        assertThat(open.openedProperty().get().type()).isEqualTo("BUSINESS");
        assertThat(open.messageProperty().get()).startsWith("Business account ");
    }

    @Test
    void aRefusalSaysWhyAndForgetsThePasswords() {
        f.here.failNext.put("openPersonal", FakeCustomerApi.refused(409, "DUPLICATE_CPF",
                "This CPF already has a personal account at this bank."));
        fill(open.holders().get(0), "Caio Prado", cpf("100000002"), "caio", "caio-password");
        open.submit();
        assertThat(open.errorProperty().get()).isEqualTo("This CPF already has a personal account at this bank.");
        assertThat(open.holders().get(0).passwordProperty().get()).isEmpty();
        assertThat(open.openedProperty().get()).isNull();
    }

    @Test
    void anAccountOpenedWhileSignedInIsListedRightAway() {
        f.signIn();
        open.kindProperty().set(OpenAccountViewModel.Kind.JOINT);
        fill(open.holders().get(0), "Maria Souza", "529.982.247-25", "maria2", "other-password");
        fill(open.holders().get(1), "Rui Souza", cpf("100000007"), "rui", "rui-password");
        open.submit();
        assertThat(f.state.accounts()).hasSize(2);
        assertThat(f.state.sharedAccounts()).containsExactly(open.openedProperty().get().ref());
        assertThat(f.state.sectionProperty().get()).isEqualTo(Section.ACCOUNTS);
    }
}
