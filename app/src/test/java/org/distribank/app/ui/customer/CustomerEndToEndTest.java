package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.app.ui.customer.CustomerFormsTest.fill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distribank.app.client.AccountRef;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.bank.identity.Cpf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer window's ViewModels without a UI, end to end against a real embedded consortium of 3 banks: what
 * fakes cannot show (real votes, consents honoured bank to bank, abort reasons as the banks give them). Each view
 * model's own behaviour is tested against fakes ({@code *ViewModelTest}). Work runs on the calling thread ({@link
 * UiTasks#direct()}), so every action has finished when its method returns.
 */
class CustomerEndToEndTest {

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
        assertThat(atB1.state().myAccounts()).containsExactly(new AccountRef("b1", m1));
        link(atB1, "b2", "maria", "s3cret-pass", "40,00", true);
        assertThat(atB1.link().messageProperty().get()).startsWith("Account " + m2 + " at Bank 2 is linked: this "
                + "bank may debit up to R$ 40,00 from it until ");
        assertThat(atB1.state().myAccounts()).containsExactly(new AccountRef("b1", m1), new AccountRef("b2", m2));
        assertThat(atB1.state().hereAccounts()).containsExactly(new AccountRef("b1", m1));
        assertThat(atB1.state().linkedAccounts()).containsExactly(new AccountRef("b2", m2));
        assertThat(atB1.state().label(new AccountRef("b2", m2))).isEqualTo(m2 + " at Bank 2 · Linked, R$ 40,00 left");
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

        atB1.accounts().refresh();
        assertThat(atB1.state().accounts()).extracting(AccountRow::ref).containsExactly(new AccountRef("b1", m1),
                new AccountRef("b2", m2));
        assertThat(atB1.state().accounts().get(0).balance()).isEqualTo(10_000L);
        // a readable consent's balance is asked of b2 bank-to-bank; not asserted while that peer route cannot tell
        // which bank calls it (PeerBankRoutes' requester header is not sent by PeerBankClient on this branch)
        assertThat(atB1.state().accounts().get(1)).satisfies(r -> {
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
        assertThat(atB1.state().accounts().get(1).remainingText()).isEqualTo("R$ 20,00");
        atB3.refreshAll();
        assertThat(atB3.state().accounts()).singleElement().satisfies(r -> assertThat(r.balance()).isEqualTo(5_000L));
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
        assertThat(atB1.state().accounts()).extracting(AccountRow::balance).first().isEqualTo(7_000L);
        atB2.accounts().refresh();
        assertThat(atB2.state().accounts()).extracting(AccountRow::balance).containsExactly(3_000L);
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
        assertThat(atB1.state().accounts()).isEmpty();
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
        assertThat(atB1.state().myAccounts()).containsExactly(new AccountRef("b1", n1));

        l.passwordProperty().set("nina-pass-2");
        l.link();
        assertThat(l.errorProperty().get()).isEmpty();
        assertThat(atB1.state().accounts()).last().satisfies(r -> {
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
        assertThat(atB1.state().accounts()).extracting(AccountRow::remainingText).containsExactly("", "R$ 45,00");
        assertThat(atB1.state().accounts().get(0).balance()).isEqualTo(1_500L);

        // revoked at b2: gone from b1's list, and a leg from it is refused before the order
        atB2.consents().revoke(atB2.consents().consents().get(0));
        assertThat(atB2.consents().messageProperty().get()).isEqualTo("Bank 1 may no longer debit account " + n2 + ".");
        assertThat(atB2.consents().consents()).singleElement().satisfies(c -> assertThat(c.status())
                .isEqualTo("REVOKED"));
        // b1 learns of the revocation when it delivers it, in the total order
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            atB1.accounts().refresh();
            return atB1.state().myAccounts().equals(List.of(new AccountRef("b1", n1)));
        });
        leg.fromProperty().set(new AccountRef("b2", n2));
        atB1.transfer().submit();
        assertThat(atB1.transfer().statusProperty().get()).isEmpty();
        assertThat(atB1.transfer().statusTextProperty().get()).startsWith("Leg 1: account " + n2
                + " of bank b2 is not linked here with a live consent");

        // linked again with a new consent, then unlinked here: the consent itself stays at b2 until revoked there
        link(atB1, "b2", "nina2", "nina-pass-2", "5", true);
        assertThat(atB1.state().linkedAccounts()).containsExactly(new AccountRef("b2", n2));
        assertThat(atB1.state().accounts().get(1).remainingText()).isEqualTo("R$ 5,00");
        l.unlink(new AccountRef("b2", n2));
        assertThat(l.messageProperty().get()).isEqualTo("Account " + n2 + " at Bank 2 is no longer linked here.");
        assertThat(atB1.state().linkedAccounts()).isEmpty();
        atB2.consents().refresh();
        assertThat(atB2.consents().consents()).extracting(c -> c.status()).containsExactlyInAnyOrder("REVOKED",
                "ACTIVE");
        customers.closeAll();
    }
}
