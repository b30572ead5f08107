package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.app.ui.customer.CustomerFormsTest.fill;

import java.nio.file.Path;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.PixKeyView;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;
import org.distribank.bank.pix.PixKeyType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer window's ViewModels without a UI, against a real embedded consortium of 3 banks. Work runs on
 * the calling thread ({@link UiTasks#direct()}), so every action has finished when its method returns.
 */
class CustomerViewModelTest {

    @TempDir
    static Path dir;
    static EmbeddedConsortium consortium;
    static CustomersViewModel customers;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
        customers = new CustomersViewModel(consortium, UiTasks.direct());
        customers.load();
    }

    @AfterAll
    static void close() {
        if (consortium != null) {
            consortium.close();
        }
    }

    static CustomerViewModel window(String bank) {
        customers.bankProperty().set(consortium.bank(bank));
        return customers.openAccount();
    }

    /** Opens a PERSONAL account from window {@code w}; the window then offers to sign in as that person. */
    static String openPersonal(CustomerViewModel w, String name, String cpf, String user, String password) {
        OpenAccountViewModel f = w.openAccount();
        f.kindProperty().set(OpenAccountViewModel.Kind.PERSONAL);
        fill(f.holders().get(0), name, cpf, user, password);
        // the e-mail a person may later use as a PIX key (an EMAIL key must be one's registered e-mail)
        f.holders().get(0).emailProperty().set(user + "@example.com");
        f.submit();
        assertThat(f.errorProperty().get()).isEmpty();
        assertThat(f.openedProperty().get()).isNotNull();
        return f.openedProperty().get().account();
    }

    static void signIn(CustomerViewModel w, String user, String password, boolean everywhere) {
        w.signIn().usernameProperty().set(user);
        w.signIn().passwordProperty().set(password);
        w.signIn().everywhereProperty().set(everywhere);
        w.signIn().signIn();
        assertThat(w.signIn().errorProperty().get()).isEmpty();
        assertThat(w.isSignedIn()).isTrue();
    }

    static String cpf(String nine) {
        return Cpf.withCheckDigits(nine).formatted();
    }

    @Test
    void signInRefusalsReadTheSameForAnUnknownUserAndAWrongPasswordAndFiveLockTheUsername() {
        CustomerViewModel w = window("b1");
        openPersonal(w, "Rita Alves", cpf("100000001"), "rita", "rita-password");
        assertThat(w.signIn().usernameProperty().get()).isEqualTo("rita"); // offered after opening
        assertThat(w.sectionProperty().get()).isEqualTo(CustomerViewModel.Section.SIGN_IN);

        SignInViewModel s = w.signIn();
        s.passwordProperty().set("");
        assertThat(s.validProperty().get()).isFalse();
        s.passwordProperty().set("wrong-password");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.BAD_CREDENTIALS);
        assertThat(s.passwordProperty().get()).isEmpty(); // typed again, never kept
        s.usernameProperty().set("nobody-here");
        s.passwordProperty().set("wrong-password");
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.BAD_CREDENTIALS);
        assertThat(w.isSignedIn()).isFalse();

        for (int i = 0; i < 5; i++) {
            s.usernameProperty().set("rita");
            s.passwordProperty().set("wrong-password-" + i);
            s.signIn();
        }
        s.passwordProperty().set("rita-password"); // even the right one, for a minute
        s.signIn();
        assertThat(s.errorProperty().get()).isEqualTo(SignInViewModel.TOO_MANY);
        assertThat(w.isSignedIn()).isFalse();
        customers.closed(w);
    }

    @Test
    void openingAnAccountTheBankRefusesSaysWhy() {
        CustomerViewModel w = window("b2");
        openPersonal(w, "Caio Prado", cpf("100000002"), "caio", "caio-password");
        OpenAccountViewModel f = w.openAccount();
        fill(f.holders().get(0), "Caio Prado", cpf("100000002"), "caio", "caio-password");
        f.submit();
        assertThat(f.errorProperty().get()).isEqualTo("This CPF already has a personal account at this bank.");
        assertThat(f.holders().get(0).passwordProperty().get()).isEmpty();
        customers.closed(w);
    }

    @Test
    void moneyMovesAcrossBanksAndAnAbortNamesTheLegThatFailed() {
        String maria = cpf("200000001");
        CustomerViewModel atB1 = window("b1");
        CustomerViewModel atB2 = window("b2");
        CustomerViewModel atB3 = window("b3");
        String m1 = openPersonal(atB1, "Maria Souza", maria, "maria", "s3cret-pass");
        String m2 = openPersonal(atB2, "Maria Souza", maria, "maria", "s3cret-pass");
        String j3 = openPersonal(atB3, "Joao Lima", cpf("200000002"), "joao", "another-pass");
        signIn(atB2, "maria", "s3cret-pass", false);
        signIn(atB3, "joao", "another-pass", false);
        signIn(atB1, "maria", "s3cret-pass", true);
        assertThat(atB1.titleProperty().get()).isEqualTo("Maria Souza at Bank 1");
        assertThat(atB1.noticeProperty().get()).contains("Also signed in at Bank 2");
        assertThat(atB1.myAccounts()).containsExactly(new AccountRef("b1", m1), new AccountRef("b2", m2));
        assertThat(atB1.hereAccounts()).containsExactly(new AccountRef("b1", m1));

        atB1.cash().amountProperty().set("100,00");
        atB1.cash().deposit();
        assertThat(atB1.cash().statusProperty().get()).isEqualTo("COMMITTED");
        assertThat(atB1.cash().messageProperty().get()).isEqualTo("Deposit of R$ 100,00 into account " + m1
                + " at Bank 1: committed.");
        atB2.cash().amountProperty().set("50");
        atB2.cash().deposit();
        assertThat(atB2.cash().statusProperty().get()).isEqualTo("COMMITTED");
        atB1.cash().amountProperty().set("500");
        atB1.cash().withdraw();
        assertThat(atB1.cash().statusProperty().get()).isEqualTo("ABORTED");
        assertThat(atB1.cash().messageProperty().get()).endsWith("Not enough money in account " + m1
                + " at Bank 1 to pay R$ 500,00.");

        atB1.refreshAccounts();
        assertThat(atB1.accounts()).extracting(AccountRow::ref, AccountRow::balance).containsExactly(
                org.assertj.core.groups.Tuple.tuple(new AccountRef("b1", m1), 10_000L),
                org.assertj.core.groups.Tuple.tuple(new AccountRef("b2", m2), 5_000L)); // via the linked session

        BankRef b3 = consortium.bank("b3");
        TransferViewModel t = atB1.transfer();
        LegViewModel a = t.legs().get(0);
        a.fromProperty().set(new AccountRef("b1", m1));
        a.toBankProperty().set(b3);
        a.toAccountProperty().set(j3);
        a.amountProperty().set("30,00");
        LegViewModel b = t.addLeg();
        b.fromProperty().set(new AccountRef("b2", m2));
        b.toAccountProperty().set(j3);
        b.amountProperty().set("20,00");
        assertThat(t.totalTextProperty().get()).isEqualTo("R$ 50,00");
        t.submit();
        assertThat(t.statusProperty().get()).isEqualTo("COMMITTED");
        assertThat(t.statusTextProperty().get()).isEqualTo("Committed: all 2 legs were applied together.");
        assertThat(t.orderProperty().get()).startsWith("Ordered by Bank 1 at vector clock b1:");
        assertThat(t.failedLegProperty().get()).isEqualTo(-1);
        String committedId = t.transactionIdProperty().get();

        // the statement of b1's account shows the debit, and b3's holder sees both credits
        atB1.statement().accountProperty().set(new AccountRef("b1", m1));
        assertThat(atB1.statement().entries()).last().satisfies(e -> {
            assertThat(e.transaction()).isEqualTo(committedId);
            assertThat(e.amount()).isEqualTo(-3_000);
            assertThat(e.balanceAfter()).isEqualTo(7_000);
        });
        atB1.statement().accountProperty().set(new AccountRef("b2", m2)); // through the linked session at b2
        assertThat(atB1.statement().entries()).extracting(e -> e.amount()).containsExactly(5_000L, -2_000L);
        atB3.refreshAll();
        assertThat(atB3.accounts()).singleElement().satisfies(r -> assertThat(r.balance()).isEqualTo(5_000L));
        assertThat(atB3.statement().entries()).extracting(e -> e.amount()).containsExactlyInAnyOrder(3_000L, 2_000L);

        // a second transfer with its second leg short of money: aborted, leg 2 named, nothing moved
        a.amountProperty().set("10");
        b.amountProperty().set("999");
        t.submit();
        assertThat(t.transactionIdProperty().get()).isNotEqualTo(committedId); // a fresh idempotency id
        assertThat(t.statusProperty().get()).isEqualTo("ABORTED");
        assertThat(t.failedLegProperty().get()).isEqualTo(1);
        assertThat(b.failedProperty().get()).isTrue();
        assertThat(a.failedProperty().get()).isFalse();
        assertThat(t.statusTextProperty().get()).isEqualTo("Aborted, nothing was moved. Not enough money in account "
                + m2 + " at Bank 2 to pay R$ 999,00 (leg 2).");
        assertThat(atB1.accounts()).extracting(AccountRow::balance).containsExactly(7_000L, 3_000L);
        b.amountProperty().set("5");
        assertThat(b.failedProperty().get()).isFalse(); // editing the leg clears its mark

        // a refusal before the order (an unknown bank account is voted on; an unknown PIX key is refused at once)
        b.targetProperty().set(LegViewModel.Target.PIX_KEY);
        b.pixKeyProperty().set("nobody@example.com");
        t.submit();
        assertThat(t.statusProperty().get()).isEmpty();
        assertThat(t.statusTextProperty().get()).isEqualTo("Leg 2: no account has the PIX key nobody@example.com.");
        assertThat(t.failedLegProperty().get()).isEqualTo(1);
        assertThat(b.failedProperty().get()).isTrue();

        atB1.signOut();
        assertThat(atB1.isSignedIn()).isFalse();
        assertThat(atB1.accounts()).isEmpty();
        assertThat(atB1.noticeProperty().get()).isEqualTo("Maria Souza signed out.");
        customers.closeAll();
        assertThat(customers.windows()).isEmpty();
    }

    @Test
    void pixKeysAreAddedResolvedPaidAndRemoved() {
        CustomerViewModel ana = window("b2");
        CustomerViewModel bia = window("b3");
        String a2 = openPersonal(ana, "Ana Maria Costa", cpf("300000001"), "ana", "ana-password");
        openPersonal(bia, "Bia Rocha", cpf("300000002"), "bia", "bia-password");
        signIn(ana, "ana", "ana-password", false);
        signIn(bia, "bia", "bia-password", false);

        PixViewModel p = ana.pix();
        assertThat(p.accountProperty().get()).isEqualTo(new AccountRef("b2", a2));
        p.typeProperty().set(PixKeyType.EMAIL);
        assertThat(p.validProperty().get()).isFalse();
        p.valueProperty().set("Ana@Example.com");
        p.add();
        p.typeProperty().set(PixKeyType.RANDOM);
        assertThat(p.valueNeededProperty().get()).isFalse();
        p.add();
        p.typeProperty().set(PixKeyType.CPF);
        p.add();
        assertThat(p.keys()).extracting(PixKeyView::type).containsExactlyInAnyOrder("EMAIL", "RANDOM", "CPF");
        assertThat(p.keys()).extracting(PixKeyView::key).contains("ana@example.com", Cpf.parse(cpf("300000001"))
                .orElseThrow().digits());
        p.typeProperty().set(PixKeyType.EMAIL);
        p.valueProperty().set("ana@example.com");
        p.add();
        assertThat(p.messageProperty().get()).isEqualTo("This PIX key is already registered in the consortium.");

        bia.pix().resolveKeyProperty().set("ana@example.com");
        bia.pix().resolve();
        assertThat(bia.pix().resolvedProperty().get()).satisfies(k -> {
            assertThat(k.bank()).isEqualTo("b2");
            assertThat(k.account()).isEqualTo(a2);
            assertThat(k.name()).isEqualTo("Ana M**** C****"); // masked
        });
        bia.pix().resolveKeyProperty().set("nobody@example.com");
        bia.pix().resolve();
        assertThat(bia.pix().resolveMessageProperty().get()).isEqualTo("No account has this PIX key.");

        bia.cash().amountProperty().set("80");
        bia.cash().deposit();
        LegViewModel l = bia.transfer().legs().get(0);
        l.fromProperty().set(bia.myAccounts().get(0));
        l.targetProperty().set(LegViewModel.Target.PIX_KEY);
        l.pixKeyProperty().set("ana@example.com");
        l.amountProperty().set("12,34");
        bia.transfer().submit();
        assertThat(bia.transfer().statusProperty().get()).isEqualTo("COMMITTED");
        ana.refreshAccounts();
        assertThat(ana.accounts()).singleElement().satisfies(r -> assertThat(r.balance()).isEqualTo(1_234L));

        p.remove(p.keys().stream().filter(k -> k.type().equals("EMAIL")).findFirst().orElseThrow());
        assertThat(p.keys()).extracting(PixKeyView::type).containsExactlyInAnyOrder("RANDOM", "CPF");
        customers.closeAll();
    }

    @Test
    void coHoldersJoinJointAccountsAndTheAdminAddsEmployees() {
        CustomerViewModel w = window("b1");
        OpenAccountViewModel f = w.openAccount();
        f.kindProperty().set(OpenAccountViewModel.Kind.JOINT);
        fill(f.holders().get(0), "Lia Dias", cpf("400000001"), "lia", "lia-password");
        fill(f.holders().get(1), "Rui Dias", cpf("400000002"), "rui", "rui-password");
        f.submit();
        assertThat(f.errorProperty().get()).isEmpty();
        String joint = f.openedProperty().get().account();
        assertThat(f.openedProperty().get().holders()).hasSize(2);

        f.kindProperty().set(OpenAccountViewModel.Kind.BUSINESS);
        f.companyNameProperty().set("Dias Ltda");
        f.cnpjProperty().set(Cnpj.withCheckDigits("112223330001").formatted());
        fill(f.holders().get(0), "Lia Dias", cpf("400000001"), "lia", "lia-password");
        f.submit();
        assertThat(f.errorProperty().get()).isEmpty();
        String business = f.openedProperty().get().account();
        assertThat(f.openedProperty().get().holders()).singleElement()
                .satisfies(h -> assertThat(h.role()).isEqualTo("ADMIN"));

        signIn(w, "lia", "lia-password", false);
        assertThat(w.sharedAccounts()).containsExactly(new AccountRef("b1", joint), new AccountRef("b1", business));
        AddHolderViewModel add = w.addHolder();
        add.accountProperty().set(new AccountRef("b1", joint));
        assertThat(add.roleProperty().get()).isEqualTo("co-holder");
        fill(add.person(), "Eva Dias", cpf("400000003"), "eva", "eva-password");
        add.submit();
        assertThat(add.errorProperty().get()).isEmpty();
        assertThat(add.messageProperty().get()).isEqualTo("Eva Dias is now a co-holder of account " + joint
                + " and signs in as eva.");
        add.accountProperty().set(new AccountRef("b1", business));
        assertThat(add.roleProperty().get()).isEqualTo("employee");
        fill(add.person(), "Ivo Reis", cpf("400000004"), "ivo", "ivo-password");
        add.submit();
        assertThat(add.messageProperty().get()).contains("is now an employee of account " + business);

        CustomerViewModel eva = window("b1");
        signIn(eva, "eva", "eva-password", false);
        assertThat(eva.myAccounts()).containsExactly(new AccountRef("b1", joint));
        CustomerViewModel ivo = window("b1");
        signIn(ivo, "ivo", "ivo-password", false);
        ivo.addHolder().accountProperty().set(new AccountRef("b1", business));
        fill(ivo.addHolder().person(), "Ze Reis", cpf("400000005"), "zeca", "zeca-password");
        assertThat(ivo.addHolder().validProperty().get()).isTrue();
        ivo.addHolder().submit();
        assertThat(ivo.addHolder().messageProperty().get()).isEmpty();
        assertThat(ivo.addHolder().errorProperty().get()).isEqualTo("Only the account's admin adds employees.");
        customers.closeAll();
    }
}
