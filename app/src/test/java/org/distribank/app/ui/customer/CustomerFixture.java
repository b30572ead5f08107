package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.app.client.ConsentView;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.UiTasks;

/**
 * A customer window's parts on fake banks: the session at Bank 1, its state, and work run on the calling thread
 * ({@link UiTasks#direct()}), so every action has finished when its method returns. Maria holds account 1001 at
 * Bank 1 with R$ 100,00; view models under test are made before {@link #signIn()}, as the window makes them.
 */
final class CustomerFixture {

    static final List<BankRef> BANKS = CustomerFormsTest.BANKS;

    final Map<String, ConsentView> issued = new HashMap<>();
    final Map<String, FakeCustomerApi> fakes = new HashMap<>();
    final FakeCustomerApi here;
    final UiTasks tasks = UiTasks.direct();
    final CustomerSession session;
    final CustomerState state;
    final PendingFollower follower;
    final AccountsViewModel accounts;

    CustomerFixture() {
        this(Duration.ofSeconds(60));
    }

    /** {@code bound}: how long a PENDING transaction is followed (polled without pauses). */
    CustomerFixture(Duration bound) {
        BANKS.forEach(b -> fakes.put(b.id(), new FakeCustomerApi(b.id(), issued)));
        here = fakes.get("b1");
        here.logins.put("maria", "s3cret-pass");
        here.accounts.add(FakeCustomerApi.account("b1", "1001", "PERSONAL", 10_000));
        session = new CustomerSession(BANKS.get(0), BANKS, fakes::get);
        state = new CustomerState(session::bankName);
        follower = new PendingFollower(tasks, bound, Duration.ZERO);
        accounts = new AccountsViewModel(session, state, tasks);
    }

    FakeCustomerApi at(String bank) {
        return fakes.get(bank);
    }

    SignInViewModel signInForm() {
        return new SignInViewModel(session, state, tasks);
    }

    /** Maria signs in at Bank 1. */
    void signIn() {
        SignInViewModel s = signInForm();
        s.usernameProperty().set("maria");
        s.passwordProperty().set("s3cret-pass");
        s.signIn();
        assertThat(s.errorProperty().get()).isEmpty();
        assertThat(state.isSignedIn()).isTrue();
    }
}
