package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.ConsentView;
import org.junit.jupiter.api.Test;

/** The consents Maria gave at Bank 1, against a fake bank, and revoking one. */
class ConsentsViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final ConsentsViewModel consents = new ConsentsViewModel(f.session, f.state, f.tasks);

    @Test
    void theConsentsGivenAreListedAndOneIsRevoked() {
        f.here.consents.add(new ConsentView("c7", "b1", "1001", "b2", 5_000, 2_000, "2031-01-01T12:00:00Z", false,
                "ACTIVE"));
        f.signIn();
        assertThat(consents.rows()).singleElement().satisfies(r -> {
            assertThat(r.account()).isEqualTo("1001");
            assertThat(r.grantee()).isEqualTo("Bank 2");
            assertThat(r.limit()).isEqualTo("R$ 50,00");
            assertThat(r.left()).isEqualTo("R$ 20,00");
            assertThat(r.balance()).isEqualTo("hidden");
            assertThat(r.status()).isEqualTo("Active");
            assertThat(r.active()).isTrue();
        });

        consents.revoke(consents.rows().get(0));
        assertThat(consents.messageProperty().get()).isEqualTo("Bank 2 may no longer debit account 1001.");
        assertThat(consents.rows().get(0).status()).isEqualTo("Revoked");
        consents.revoke(consents.rows().get(0)); // nothing left to revoke
        assertThat(f.here.count("revokeConsent")).isEqualTo(1);
    }

    @Test
    void aRefusedRevocationIsSaidAndSigningOutForgetsTheList() {
        f.here.consents.add(new ConsentView("c7", "b1", "1001", "b2", 5_000, 5_000, "2031-01-01T12:00:00Z", true,
                "ACTIVE"));
        f.signIn();
        f.here.failNext.put("revokeConsent", FakeCustomerApi.unreachable());
        consents.revoke(consents.rows().get(0));
        assertThat(consents.messageProperty().get()).isEqualTo("Bank 1 did not answer (connection refused).");
        assertThat(consents.busyProperty().get()).isFalse();

        f.state.signedOut();
        assertThat(consents.rows()).isEmpty();
        assertThat(consents.messageProperty().get()).isEmpty();
    }
}
