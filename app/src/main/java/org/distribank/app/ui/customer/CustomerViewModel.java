package org.distribank.app.ui.customer;

import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * One customer window: one person at one bank. Makes the window's {@link CustomerSession} (the bank, its client,
 * who signed in) and its {@link CustomerState} (what every part shows of it), and hands both to the view models of
 * its parts, which share them rather than each other. Also what the window's frame shows: the title, the status
 * bar, the tab to select, signing out.
 */
public final class CustomerViewModel {

    /** What the window shows first. */
    public enum Start { SIGN_IN, OPEN_ACCOUNT }

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final Start start;
    private final StringBinding title;
    private final StringBinding subtitle;

    private final SignInViewModel signIn;
    private final OpenAccountViewModel openAccount;
    private final AccountsViewModel accounts;
    private final AddHolderViewModel addHolder;
    private final CashViewModel cash;
    private final TransferViewModel transfer;
    private final StatementViewModel statement;
    private final PixViewModel pix;
    private final LinkViewModel link;
    private final ConsentsViewModel consents;

    /**
     * @param bank    the bank of this window
     * @param banks   every bank of the consortium (transfer destinations, names)
     * @param clients a fresh client of a bank by id (one per window and bank: sessions are not shared; the link
     *                flow signs in at another bank with its own client)
     */
    public CustomerViewModel(BankRef bank, List<BankRef> banks, Function<String, ? extends CustomerApi> clients,
                             UiTasks tasks, Start start) {
        this(new CustomerSession(bank, banks, clients), tasks, new PendingFollower(tasks), start);
    }

    CustomerViewModel(CustomerSession session, UiTasks tasks, PendingFollower follower, Start start) {
        this.session = session;
        this.tasks = tasks;
        this.start = start;
        this.state = new CustomerState(session::bankName);
        BankRef bank = session.bank();
        this.title = Bindings.createStringBinding(() -> state.isSignedIn()
                ? state.holderNameProperty().get() + " at " + bank.name() : "Customer at " + bank.name()
                + " (signed out)", state.signedInProperty(), state.holderNameProperty());
        String where = bank.name() + " (" + bank.id() + ") · " + bank.url();
        this.subtitle = Bindings.createStringBinding(() -> state.isSignedIn()
                ? "CPF " + state.holderCpfProperty().get() + " · " + where : where,
                state.signedInProperty(), state.holderCpfProperty());
        // the bank ended the session (a 401): it is over here too
        state.whenSignedOut(session::forget);
        this.signIn = new SignInViewModel(session, state, tasks);
        this.openAccount = new OpenAccountViewModel(session, state, tasks);
        this.accounts = new AccountsViewModel(session, state, tasks);
        this.addHolder = new AddHolderViewModel(session, state, tasks);
        this.cash = new CashViewModel(session, state, tasks, follower);
        this.transfer = new TransferViewModel(session, state, tasks, follower);
        this.statement = new StatementViewModel(session, state, tasks);
        this.pix = new PixViewModel(session, state, tasks);
        this.link = new LinkViewModel(session, state, tasks);
        this.consents = new ConsentsViewModel(session, state, tasks);
        state.show(start == Start.OPEN_ACCOUNT ? CustomerState.Section.OPEN_ACCOUNT : CustomerState.Section.SIGN_IN);
    }

    // ---- what the frame shows

    public Start start() {
        return start;
    }

    /** What every part shares: the signed-in person, their accounts, the status bar. */
    public CustomerState state() {
        return state;
    }

    public StringBinding titleProperty() {
        return title;
    }

    /** The CPF of who is signed in, and where the bank is. */
    public StringBinding subtitleProperty() {
        return subtitle;
    }

    public ReadOnlyBooleanProperty signedInProperty() {
        return state.signedInProperty();
    }

    public boolean isSignedIn() {
        return state.isSignedIn();
    }

    /** The status bar: the window's last piece of news, or its last error until something succeeds. */
    public ReadOnlyStringProperty noticeProperty() {
        return state.noticeProperty();
    }

    public ReadOnlyBooleanProperty noticeIsErrorProperty() {
        return state.noticeIsErrorProperty();
    }

    /** The part of the window to show; changes when something happened that the person should see next. */
    public ReadOnlyObjectProperty<CustomerState.Section> sectionProperty() {
        return state.sectionProperty();
    }

    /** Shows {@code s} next (the view selects that tab). */
    public void show(CustomerState.Section s) {
        state.show(s);
    }

    // ---- the parts

    public SignInViewModel signIn() {
        return signIn;
    }

    public OpenAccountViewModel openAccount() {
        return openAccount;
    }

    public AccountsViewModel accounts() {
        return accounts;
    }

    public AddHolderViewModel addHolder() {
        return addHolder;
    }

    public CashViewModel cash() {
        return cash;
    }

    public TransferViewModel transfer() {
        return transfer;
    }

    public StatementViewModel statement() {
        return statement;
    }

    public PixViewModel pix() {
        return pix;
    }

    /** Linking an account at another bank, and unlinking one. */
    public LinkViewModel link() {
        return link;
    }

    /** The consents the person gave at this bank, to revoke. */
    public ConsentsViewModel consents() {
        return consents;
    }

    // ---- actions

    /** Reads everything a movement changes again: balances, statement, PIX keys, consents. */
    public void refreshAll() {
        state.readEverything();
    }

    /** Ends the session. */
    public void signOut() {
        if (!state.isSignedIn()) {
            return;
        }
        String who = state.holderNameProperty().get();
        state.signedOut();
        state.show(CustomerState.Section.SIGN_IN);
        tasks.run(() -> {
            session.signOut(); // the token is forgotten here even if the bank does not confirm
            return null;
        }, ok -> state.notice(who + " signed out."), e -> state.error(who + " signed out here; the bank did not "
                + "confirm it (" + Errors.describe(e) + ")."));
    }

    /** The window is closing: sign out in the background, nothing more to show. */
    public void close() {
        if (!state.isSignedIn()) {
            return;
        }
        state.signedOut();
        tasks.background().execute(() -> {
            try {
                session.signOut();
            } catch (RuntimeException ignored) {
                // closing: nobody to tell
            }
        });
    }
}
