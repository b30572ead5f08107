package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.app.ui.customer.CustomerFormsTest.fill;

import org.distribank.app.client.AccountRef;
import org.distribank.app.client.HolderForm;
import org.distribank.bank.identity.Cpf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Co-holders of a joint account and employees of a business one, against a fake bank. */
class AddHolderViewModelTest {

    private static final AccountRef JOINT = new AccountRef("b1", "1002");
    private static final AccountRef BUSINESS = new AccountRef("b1", "1003");

    private final CustomerFixture f = new CustomerFixture();
    private final AddHolderViewModel add = new AddHolderViewModel(f.session, f.state, f.tasks);

    @BeforeEach
    void sharedAccounts() {
        f.here.accounts.add(FakeCustomerApi.account("b1", "1002", "JOINT", 0));
        f.here.accounts.add(FakeCustomerApi.account("b1", "1003", "BUSINESS", 0));
        f.signIn();
    }

    @Test
    void aCoHolderJoinsAJointAccountAndAnEmployeeABusinessOne() {
        assertThat(add.accounts()).containsExactly(JOINT, BUSINESS); // never the personal one
        assertThat(add.accountProperty().get()).isEqualTo(JOINT);
        assertThat(add.roleProperty().get()).isEqualTo("co-holder");
        fill(add.person(), "Ana Reis", Cpf.withCheckDigits("300000001").formatted(), "ana", "ana-password");
        assertThat(add.validProperty().get()).isTrue();
        add.submit();
        assertThat(add.messageProperty().get()).isEqualTo("Ana Reis is now a co-holder of account 1002 and signs in "
                + "as ana.");
        assertThat(add.person().nameProperty().get()).isEmpty();

        add.accountProperty().set(BUSINESS);
        assertThat(add.roleProperty().get()).isEqualTo("employee");
        fill(add.person(), "Rui Lima", Cpf.withCheckDigits("300000002").formatted(), "rui", "rui-password");
        add.submit();
        assertThat(add.messageProperty().get()).isEqualTo("Rui Lima is now an employee of account 1003 and signs in "
                + "as rui.");
        assertThat(f.here.holdersSent).extracting(HolderForm::username).containsExactly("ana", "rui");
    }

    @Test
    void aRefusalSaysWhyAndForgetsThePassword() {
        add.accountProperty().set(BUSINESS);
        f.here.failNext.put("addHolder", FakeCustomerApi.refused(403, "NOT_ADMIN",
                "Only the admin of a business account adds employees."));
        fill(add.person(), "Rui Lima", Cpf.withCheckDigits("300000002").formatted(), "rui", "rui-password");
        add.submit();
        assertThat(add.errorProperty().get()).isEqualTo("Only the admin of a business account adds employees.");
        assertThat(add.person().passwordProperty().get()).isEmpty();
        assertThat(add.messageProperty().get()).isEmpty();
    }
}
