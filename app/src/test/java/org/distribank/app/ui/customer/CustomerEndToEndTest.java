package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.app.ui.customer.CustomerFormsTest.fill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.PixKeyView;
import org.distribank.app.client.TransferLeg;
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

    static void signIn(CustomerViewModel w, String user, String password) {
        w.signIn().usernameProperty().set(user);
        w.signIn().passwordProperty().set(password);
        w.signIn().signIn();
        assertThat(w.signIn().errorProperty().get()).isEmpty();
        assertThat(w.isSignedIn()).isTrue();
    }

    /** Links the person's account at {@code other} in window {@code w}, through a consent given there. */
    static void link(CustomerViewModel w, String other, String user, String password, String limit, boolean read) {
        LinkViewModel l = w.link();
        l.otherBankProperty().set(consortium.bank(other));
        l.usernameProperty().set(user);
        l.passwordProperty().set(password);
        l.limitProperty().set(limit);
        l.daysProperty().set("30");
        l.readProperty().set(read);
        assertThat(l.validProperty().get()).isTrue();
        l.link();
        assertThat(l.errorProperty().get()).isEmpty();
        assertThat(l.passwordProperty().get()).isEmpty(); // never kept
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
        signIn(atB2, "maria", "s3cret-pass");
        signIn(atB3, "joao", "another-pass");
        signIn(atB1, "maria", "s3cret-pass");
        assertThat(atB1.titleProperty().get()).isEqualTo("Maria Souza at Bank 1");
        // the same CPF at b2 shows and pays nothing here until b2 consents and the account is linked (API.md v1.1)
        assertThat(atB1.myAccounts()).containsExactly(new AccountRef("b1", m1));
        link(atB1, "b2", "maria", "s3cret-pass", "40,00", true);
        assertThat(atB1.link().messageProperty().get()).startsWith("Account " + m2 + " at Bank 2 is linked: this "
                + "bank may debit up to R$ 40,00 from it until ");
        assertThat(atB1.myAccounts()).containsExactly(new AccountRef("b1", m1), new AccountRef("b2", m2));
        assertThat(atB1.hereAccounts()).containsExactly(new AccountRef("b1", m1));
        assertThat(atB1.linkedAccounts()).containsExactly(new AccountRef("b2", m2));
        assertThat(atB1.label(new AccountRef("b2", m2))).isEqualTo(m2 + " at Bank 2 · Linked, R$ 40,00 left");
        atB2.consents().refresh();
        assertThat(atB2.consents().consents()).singleElement().satisfies(c -> {
            assertThat(c.account()).isEqualTo(m2);
            assertThat(c.grantee()).isEqualTo("b1");
            assertThat(c.limit()).isEqualTo(4_000);
            assertThat(c.read()).isTrue();
            assertThat(c.status()).isEqualTo("ACTIVE");
        });

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
        assertThat(atB1.accounts()).extracting(AccountRow::ref).containsExactly(new AccountRef("b1", m1),
                new AccountRef("b2", m2));
        assertThat(atB1.accounts().get(0).balance()).isEqualTo(10_000L);
        // a readable consent's balance is asked of b2 bank-to-bank; not asserted while that peer route cannot tell
        // which bank calls it (PeerBankRoutes' requester header is not sent by PeerBankClient on this branch)
        assertThat(atB1.accounts().get(1)).satisfies(r -> {
            assertThat(r.linked()).isTrue();
            assertThat(r.remainingText()).isEqualTo("R$ 40,00");
            assertThat(r.statusText()).isEqualTo("Active");
            assertThat(r.typeText()).isEqualTo("Linked");
        });

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
        // a linked account's statement is at its own bank; the debit lowered what the consent has left
        atB2.statement().refresh();
        assertThat(atB2.statement().entries()).extracting(e -> e.amount()).containsExactly(5_000L, -2_000L);
        assertThat(atB1.accounts().get(1).remainingText()).isEqualTo("R$ 20,00");
        atB3.refreshAll();
        assertThat(atB3.accounts()).singleElement().satisfies(r -> assertThat(r.balance()).isEqualTo(5_000L));
        assertThat(atB3.statement().entries()).extracting(e -> e.amount()).containsExactlyInAnyOrder(3_000L, 2_000L);

        // a second transfer whose second leg is more than the consent has left: b2 votes no, leg 2 named
        a.amountProperty().set("10");
        b.amountProperty().set("25");
        t.submit();
        assertThat(t.transactionIdProperty().get()).isNotEqualTo(committedId); // a fresh idempotency id
        assertThat(t.statusProperty().get()).isEqualTo("ABORTED");
        assertThat(t.failedLegProperty().get()).isEqualTo(1);
        assertThat(b.failedProperty().get()).isTrue();
        assertThat(a.failedProperty().get()).isFalse();
        assertThat(t.statusTextProperty().get()).isEqualTo("Aborted, nothing was moved. Paying R$ 25,00 from account "
                + m2 + " at Bank 2 goes beyond what is left of its consent's limit (leg 2).");
        assertThat(atB1.accounts()).extracting(AccountRow::balance).first().isEqualTo(7_000L);
        atB2.refreshAccounts();
        assertThat(atB2.accounts()).extracting(AccountRow::balance).containsExactly(3_000L);
        a.amountProperty().set("999");
        b.amountProperty().set("1");
        t.submit();
        assertThat(t.statusTextProperty().get()).isEqualTo("Aborted, nothing was moved. Not enough money in account "
                + m1 + " at Bank 1 to pay R$ 999,00 (leg 1).");
        a.amountProperty().set("10");
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
    void linkingSignsInAtTheOtherBankOnlyAndUnlinkingOrRevokingStopsItsPayments() {
        String nina = cpf("500000001");
        CustomerViewModel atB1 = window("b1");
        CustomerViewModel atB2 = window("b2");
        String n1 = openPersonal(atB1, "Nina Reis", nina, "nina1", "nina-pass-1");
        String n2 = openPersonal(atB2, "Nina Reis", nina, "nina2", "nina-pass-2");
        signIn(atB1, "nina1", "nina-pass-1");
        signIn(atB2, "nina2", "nina-pass-2");
        atB2.cash().amountProperty().set("100");
        atB2.cash().deposit();

        LinkViewModel l = atB1.link();
        assertThat(l.otherBanks()).extracting(BankRef::id).containsExactly("b2", "b3");
        assertThat(l.validProperty().get()).isFalse();
        l.daysProperty().set("91");
        assertThat(l.daysError().get()).isEqualTo("A consent lasts 1 to 90 days.");
        l.daysProperty().set("x");
        assertThat(l.daysError().get()).isEqualTo("A number of days, 1 to 90.");
        l.limitProperty().set("10.5.5");
        assertThat(l.limitError().get()).isNotNull();
        l.accountProperty().set("not a number");
        assertThat(l.accountError().get()).isNotNull();
        l.accountProperty().set("");
        assertThat(l.accountError().get()).isNull(); // empty: the only account there

        // b1's password is b1's: at b2 it is a wrong login, and the window stays signed in at b1 alone
        l.otherBankProperty().set(consortium.bank("b2"));
        l.usernameProperty().set("nina2");
        l.passwordProperty().set("nina-pass-1");
        l.limitProperty().set("60");
        l.daysProperty().set("90");
        l.readProperty().set(false);
        l.link();
        assertThat(l.errorProperty().get()).isEqualTo("Wrong username or password at Bank 2.");
        assertThat(l.passwordProperty().get()).isEmpty();
        assertThat(atB1.isSignedIn()).isTrue();
        assertThat(atB1.myAccounts()).containsExactly(new AccountRef("b1", n1));

        l.passwordProperty().set("nina-pass-2");
        l.link();
        assertThat(l.errorProperty().get()).isEmpty();
        assertThat(atB1.accounts()).last().satisfies(r -> {
            assertThat(r.ref()).isEqualTo(new AccountRef("b2", n2));
            assertThat(r.balance()).isNull(); // no "show balance": b2 does not tell b1
            assertThat(r.balanceText()).isEqualTo("—");
            assertThat(r.remainingText()).isEqualTo("R$ 60,00");
        });
        atB2.consents().refresh();
        assertThat(atB2.consents().consents()).singleElement().satisfies(c -> {
            assertThat(c.read()).isFalse();
            assertThat(java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(c.expiresAt())))
                    .isBetween(java.time.Duration.ofDays(89), java.time.Duration.ofDays(90));
        });
        assertThat(atB2.isSignedIn()).isTrue(); // the link flow's own session at b2 was another one

        // a leg from the linked account into the b1 account: b2 debits it within the consent
        LegViewModel leg = atB1.transfer().legs().get(0);
        leg.fromProperty().set(new AccountRef("b2", n2));
        leg.toBankProperty().set(consortium.bank("b1"));
        leg.toAccountProperty().set(n1);
        leg.amountProperty().set("15");
        atB1.transfer().submit();
        assertThat(atB1.transfer().statusProperty().get()).isEqualTo("COMMITTED");
        assertThat(atB1.accounts()).extracting(AccountRow::remainingText).containsExactly("", "R$ 45,00");
        assertThat(atB1.accounts().get(0).balance()).isEqualTo(1_500L);

        // revoked at b2: gone from b1's list, and a leg from it is refused before the order
        atB2.consents().revoke(atB2.consents().consents().get(0));
        assertThat(atB2.consents().messageProperty().get()).isEqualTo("Bank 1 may no longer debit account " + n2 + ".");
        assertThat(atB2.consents().consents()).singleElement().satisfies(c -> assertThat(c.status())
                .isEqualTo("REVOKED"));
        // b1 learns of the revocation when it delivers it, in the total order
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            atB1.refreshAccounts();
            return atB1.myAccounts().equals(List.of(new AccountRef("b1", n1)));
        });
        leg.fromProperty().set(new AccountRef("b2", n2));
        atB1.transfer().submit();
        assertThat(atB1.transfer().statusProperty().get()).isEmpty();
        assertThat(atB1.transfer().statusTextProperty().get()).startsWith("Leg 1: account " + n2
                + " of bank b2 is not linked here with a live consent");

        // linked again with a new consent, then unlinked here: the consent itself stays at b2 until revoked there
        link(atB1, "b2", "nina2", "nina-pass-2", "5", true);
        assertThat(atB1.linkedAccounts()).containsExactly(new AccountRef("b2", n2));
        assertThat(atB1.accounts().get(1).remainingText()).isEqualTo("R$ 5,00");
        l.unlink(new AccountRef("b2", n2));
        assertThat(l.messageProperty().get()).isEqualTo("Account " + n2 + " at Bank 2 is no longer linked here.");
        assertThat(atB1.linkedAccounts()).isEmpty();
        atB2.consents().refresh();
        assertThat(atB2.consents().consents()).extracting(c -> c.status()).containsExactlyInAnyOrder("REVOKED",
                "ACTIVE");
        customers.closeAll();
    }

    @Test
    void consentReasonsReadAsSentencesAboutTheLegsAccount() {
        Outcomes o = new Outcomes(id -> id.equals("b2") ? "Bank 2" : id);
        List<TransferLeg> legs = List.of(
                TransferLeg.toAccount(new AccountRef("b1", "1001"), new AccountRef("b3", "1001"), 100),
                TransferLeg.toAccount(new AccountRef("b2", "1002"), new AccountRef("b3", "1001"), 2_500));
        assertThat(o.reason("NO_CONSENT", 1, legs)).isEqualTo("Account 1002 at Bank 2 has no live consent for this "
                + "bank to debit it (leg 2): it was revoked or never given. Link it again with a new consent.");
        assertThat(o.reason("CONSENT_LIMIT", 1, legs)).isEqualTo("Paying R$ 25,00 from account 1002 at Bank 2 goes "
                + "beyond what is left of its consent's limit (leg 2).");
        assertThat(o.reason("CONSENT_EXPIRED", 1, legs)).isEqualTo("The consent for account 1002 at Bank 2 has "
                + "expired (leg 2). Link it again with a new consent.");
        assertThat(o.reason("CONSENT_EXPIRED", null, legs)).isEqualTo("The consent of a linked account has expired.");
    }

    @Test
    void pixKeysAreAddedResolvedPaidAndRemoved() {
        CustomerViewModel ana = window("b2");
        CustomerViewModel bia = window("b3");
        String a2 = openPersonal(ana, "Ana Maria Costa", cpf("300000001"), "ana", "ana-password");
        openPersonal(bia, "Bia Rocha", cpf("300000002"), "bia", "bia-password");
        signIn(ana, "ana", "ana-password");
        signIn(bia, "bia", "bia-password");

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

        signIn(w, "lia", "lia-password");
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
        signIn(eva, "eva", "eva-password");
        assertThat(eva.myAccounts()).containsExactly(new AccountRef("b1", joint));
        CustomerViewModel ivo = window("b1");
        signIn(ivo, "ivo", "ivo-password");
        ivo.addHolder().accountProperty().set(new AccountRef("b1", business));
        fill(ivo.addHolder().person(), "Ze Reis", cpf("400000005"), "zeca", "zeca-password");
        assertThat(ivo.addHolder().validProperty().get()).isTrue();
        ivo.addHolder().submit();
        assertThat(ivo.addHolder().messageProperty().get()).isEmpty();
        assertThat(ivo.addHolder().errorProperty().get()).isEqualTo("Only the account's admin adds employees.");
        customers.closeAll();
    }
}
