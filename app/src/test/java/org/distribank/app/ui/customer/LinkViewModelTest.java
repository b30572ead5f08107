package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.AccountRef;
import org.distribank.app.client.ConsentView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linking Maria's account at Bank 2 to her window at Bank 1 through Bank 2's consent, against fake banks, and
 * unlinking it.
 */
class LinkViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final LinkViewModel link = new LinkViewModel(f.session, f.state, f.tasks);
    private FakeCustomerApi b2;

    @BeforeEach
    void mariaAtBank2() {
        b2 = f.at("b2");
        b2.logins.put("maria.b2", "b2-password");
        b2.accounts.add(FakeCustomerApi.account("b2", "2001", "PERSONAL", 5_000));
        f.signIn();
        assertThat(link.otherBanks()).extracting(b -> b.id()).containsExactly("b2", "b3");
        link.otherBankProperty().set(CustomerFixture.BANKS.get(1));
        link.usernameProperty().set("maria.b2");
        link.passwordProperty().set("b2-password");
        link.limitProperty().set("40,00");
        link.daysProperty().set("30");
    }

    @Test
    void linkingAsksTheOtherBankForAConsentAndLinksItHere() {
        link.readProperty().set(true);
        assertThat(link.validProperty().get()).isTrue();
        link.link();

        assertThat(link.errorProperty().get()).isEmpty();
        assertThat(b2.consents).singleElement().satisfies(c -> {
            assertThat(c.account()).isEqualTo("2001");
            assertThat(c.grantee()).isEqualTo("b1");
            assertThat(c.limit()).isEqualTo(4_000);
            assertThat(c.read()).isTrue();
        });
        assertThat(b2.count("signOut")).isEqualTo(1); // the session there ends at once
        assertThat(f.here.count("signIn")).isEqualTo(1); // the password there never went here
        assertThat(link.passwordProperty().get()).isEmpty();
        assertThat(link.messageProperty().get()).startsWith("Account 2001 at Bank 2 is linked: this bank may debit up "
                + "to R$ 40,00 from it until ");
        assertThat(f.state.noticeProperty().get()).isEqualTo(link.messageProperty().get());
        assertThat(f.state.linkedAccounts()).containsExactly(new AccountRef("b2", "2001"));
        assertThat(f.state.label(new AccountRef("b2", "2001"))).isEqualTo("2001 at Bank 2 · Linked, R$ 40,00 left");

        link.unlink(f.state.accounts().get(1));
        assertThat(link.messageProperty().get()).isEqualTo("Account 2001 at Bank 2 is no longer linked here.");
        assertThat(f.state.linkedAccounts()).isEmpty();
    }

    @Test
    void aWrongPasswordThereIsSaidAboutThatBankAndKeepsTheSessionHere() {
        link.passwordProperty().set("wrong");
        link.link();
        assertThat(link.errorProperty().get()).isEqualTo("Wrong username or password at Bank 2.");
        assertThat(link.passwordProperty().get()).isEmpty();
        assertThat(f.state.isSignedIn()).isTrue();
        assertThat(b2.consents).isEmpty();
    }

    @Test
    void severalAccountsThereMustBeNamedAndAConsentNotTakenHereIsRevoked() {
        b2.accounts.add(FakeCustomerApi.account("b2", "2002", "PERSONAL", 0));
        link.link();
        assertThat(link.errorProperty().get()).isEqualTo("You hold several accounts at Bank 2 (2001, 2002): type "
                + "which one.");
        assertThat(b2.count("signOut")).isEqualTo(1);

        link.passwordProperty().set("b2-password");
        link.accountProperty().set("2002");
        f.here.failNext.put("linkAccount", FakeCustomerApi.refused(409, "ALREADY_LINKED", "That account is linked."));
        link.link();
        assertThat(link.errorProperty().get()).isEqualTo("That account is linked.");
        assertThat(b2.consents).extracting(ConsentView::account, ConsentView::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2002", "REVOKED"));
    }

    @Test
    void aConsentLastsOneToNinetyDays() {
        link.daysProperty().set("91");
        assertThat(link.daysError().get()).isEqualTo("A consent lasts 1 to 90 days.");
        assertThat(link.validProperty().get()).isFalse();
        link.daysProperty().set("90");
        assertThat(link.validProperty().get()).isTrue();
        link.link();
        assertThat(b2.consents.get(0).expiresAt()).isEqualTo("2031-03-01T00:00:00Z"); // left to the bank's longest
    }
}
