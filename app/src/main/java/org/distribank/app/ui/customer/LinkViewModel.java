package org.distribank.app.ui.customer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsentGrant;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.LinkedAccount;
import org.distribank.app.client.SignedIn;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

/**
 * "Link an account at another bank" (API.md v1.1): the person signed in at this window's bank (A) names another
 * bank (B) and their login there. The app signs in at B with its own client (the password goes to B only, never to
 * A), creates there a consent for A (a limit, an expiry of at most 90 days, and whether A may show the balance),
 * hands the token to A's {@code /api/v1/linked-accounts}, and signs out at B. From then on the account is listed
 * here and a transfer leg may pay from it, within the consent. Also unlinking.
 */
public final class LinkViewModel {

    public static final int MAX_DAYS = 90;

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ObservableList<BankRef> otherBanks;
    private final ObjectProperty<BankRef> otherBank = new SimpleObjectProperty<>();
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty account = new SimpleStringProperty("");
    private final StringProperty limit = new SimpleStringProperty("");
    private final StringProperty days = new SimpleStringProperty("30");
    private final BooleanProperty read = new SimpleBooleanProperty(true);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    private final StringBinding bankError = Bindings.createStringBinding(() -> otherBank.get() == null
            ? "Choose the bank where the account is." : null, otherBank);
    private final StringBinding usernameError = Bindings.createStringBinding(() -> Validation.blank(username.get())
            ? "Your username at that bank." : null, username);
    private final StringBinding passwordError = Bindings.createStringBinding(() -> password.get() == null
            || password.get().isEmpty() ? "Your password at that bank." : null, password);
    private final StringBinding accountError = Bindings.createStringBinding(() -> Validation.blank(account.get())
            ? null : Validation.accountNumber(account.get()), account);
    private final StringBinding limitError = Bindings.createStringBinding(() -> Validation.amount(limit.get()), limit);
    private final StringBinding daysError = Bindings.createStringBinding(() -> daysProblem(days.get()), days);
    private final BooleanBinding valid = Bindings.createBooleanBinding(() -> bankError.get() == null
            && usernameError.get() == null && passwordError.get() == null && accountError.get() == null
            && limitError.get() == null && daysError.get() == null,
            bankError, usernameError, passwordError, accountError, limitError, daysError);

    public LinkViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        this.otherBanks = FXCollections.observableArrayList(session.otherBanks());
        state.whenSignedOut(this::clear);
        if (otherBanks.size() == 1) {
            otherBank.set(otherBanks.get(0));
        }
    }

    /** Every bank but this window's. */
    public ObservableList<BankRef> otherBanks() {
        return otherBanks;
    }

    /** Accounts at other banks linked here: what may be unlinked. */
    public ObservableList<AccountRef> linkedAccounts() {
        return state.linkedAccounts();
    }

    public String label(AccountRef ref) {
        return state.label(ref);
    }

    /** How the bank choice shows {@code b}: {@code Bank 2 (b2)}. */
    public String bankLabel(BankRef b) {
        return b == null ? "" : b.name() + " (" + b.id() + ")";
    }

    /** The name of this window's bank. */
    public String bankName() {
        return session.bank().name();
    }

    public ObjectProperty<BankRef> otherBankProperty() {
        return otherBank;
    }

    /** The username at the other bank. */
    public StringProperty usernameProperty() {
        return username;
    }

    /** The password at the other bank: sent there only, and forgotten after each attempt. */
    public StringProperty passwordProperty() {
        return password;
    }

    /** The account number at the other bank; empty for "my only account there". */
    public StringProperty accountProperty() {
        return account;
    }

    /** The most this bank may debit from it in all, as typed ({@code 500,00}). */
    public StringProperty limitProperty() {
        return limit;
    }

    /** How many days the consent lasts, 1 to 90. */
    public StringProperty daysProperty() {
        return days;
    }

    /** Whether this bank may show the account's balance. */
    public BooleanProperty readProperty() {
        return read;
    }

    public StringBinding bankError() {
        return bankError;
    }

    public StringBinding usernameError() {
        return usernameError;
    }

    public StringBinding passwordError() {
        return passwordError;
    }

    public StringBinding accountError() {
        return accountError;
    }

    public StringBinding limitError() {
        return limitError;
    }

    public StringBinding daysError() {
        return daysError;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the last link or unlink failed, or empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** What the last link or unlink did, or empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void link() {
        if (busy.get() || !valid.get() || !state.isSignedIn()) {
            return;
        }
        BankRef other = otherBank.get();
        String user = username.get().strip();
        String pass = password.get();
        String wanted = account.get().strip();
        long cents = Money.parse(limit.get());
        int d = Integer.parseInt(days.get().strip());
        boolean readable = read.get();
        CustomerApi here = session.client();
        CustomerApi there = session.newClient(other.id());
        busy.set(true);
        error.set("");
        message.set("Signing in at " + other.name() + " to ask for its consent...");
        tasks.run(() -> linkThrough(here, there, other, user, pass, wanted, cents, d, readable), l -> {
            busy.set(false);
            state.succeeded();
            password.set("");
            account.set("");
            message.set("Account " + l.account() + " at " + other.name() + " is linked: this bank may debit up to "
                    + Money.format(l.remaining()) + " from it until " + AccountRow.day(l.expiresAt()) + ".");
            state.notice(message.get());
            state.readAccounts();
        }, e -> {
            busy.set(false);
            password.set("");
            message.set("");
            if (e instanceof Refused r) {
                error.set(r.getMessage());
            } else {
                state.failed(e, error::set);
            }
        });
    }

    /** Unlinks the account of {@code row} (one linked here). */
    public void unlink(AccountRow row) {
        if (row != null && row.linked()) {
            unlink(row.ref());
        }
    }

    /** Unlinks {@code ref} here; the consent itself stays at its bank until it is revoked there or expires. */
    public void unlink(AccountRef ref) {
        if (ref == null || busy.get() || !state.isSignedIn()) {
            return;
        }
        busy.set(true);
        error.set("");
        message.set("Unlinking account " + ref.account() + " at " + session.bankName(ref.bank()) + "...");
        tasks.run(() -> {
            session.client().unlinkAccount(ref);
            return ref;
        }, r -> {
            busy.set(false);
            state.succeeded();
            message.set("Account " + r.account() + " at " + session.bankName(r.bank()) + " is no longer linked here.");
            state.notice(message.get());
            state.readAccounts();
        }, e -> {
            busy.set(false);
            message.set("");
            state.failed(e, error::set);
        });
    }

    void clear() {
        password.set("");
        error.set("");
        message.set("");
    }

    /**
     * The background part: at B, sign in, consent, then link at A; sign out at B whatever happened. A consent B
     * made that A did not take is revoked at once, so no authority is left lying about.
     */
    private LinkedAccount linkThrough(CustomerApi here, CustomerApi there, BankRef other, String user,
                                      String pass, String wanted, long cents, int d, boolean readable) {
        SignedIn s;
        try {
            s = there.signIn(user, pass);
        } catch (BankApiException e) {
            throw new Refused(e.status() == 401 ? "Wrong username or password at " + other.name() + "."
                    : SignInViewModel.message(e, other.name()), e);
        }
        ConsentGrant grant = null;
        try {
            String acc = pick(s.accounts(), wanted, other);
            // 90 days is the banks' longest: leave it to B's clock rather than race it with ours
            Instant expires = d >= MAX_DAYS ? null : Instant.now().plus(Duration.ofDays(d));
            try {
                grant = there.createConsent(acc, session.bank().id(), cents, expires, readable);
            } catch (BankApiException e) {
                // B's refusal, not this window's session: worded about B so a 401 there does not sign us out here
                throw new Refused(other.name() + " gave no consent: " + Errors.describe(e), e);
            }
            LinkedAccount linked = here.linkAccount(grant.token());
            grant = null;
            return linked;
        } finally {
            if (grant != null) {
                try {
                    there.revokeConsent(grant.consent().id());
                } catch (RuntimeException ignored) {
                    // B is away: the consent is unlinked, so it pays nothing here; it lapses at its expiry
                }
            }
            try {
                there.signOut();
            } catch (RuntimeException ignored) {
                // the session at B ends with its expiry anyway
            }
        }
    }

    /** The account at B to consent for: the one typed, or the person's only one there. */
    private static String pick(List<AccountView> accounts, String wanted, BankRef other) {
        if (!wanted.isEmpty()) {
            if (accounts.stream().noneMatch(a -> a.account().equals(wanted))) {
                throw new Refused("You hold no account " + wanted + " at " + other.name() + ".", null);
            }
            return wanted;
        }
        if (accounts.size() == 1) {
            return accounts.get(0).account();
        }
        if (accounts.isEmpty()) {
            throw new Refused("This login holds no account at " + other.name() + ".", null);
        }
        throw new Refused("You hold several accounts at " + other.name() + " ("
                + String.join(", ", accounts.stream().map(AccountView::account).toList()) + "): type which one.", null);
    }

    private static String daysProblem(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("\\d{1,3}")) {
            return "A number of days, 1 to " + MAX_DAYS + ".";
        }
        int n = Integer.parseInt(t);
        return n >= 1 && n <= MAX_DAYS ? null : "A consent lasts 1 to " + MAX_DAYS + " days.";
    }

    /** A refusal worded here (about the other bank), shown as it is. */
    private static final class Refused extends RuntimeException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
