package org.distribank.app.ui.customer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.SignedIn;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * Signing in at the window's bank. A wrong password and an unknown username get the same sentence (the
 * bank answers both with the same 401); five failures for a username lock it for a minute (429). The password
 * goes to this bank only: accounts at other banks come in through consents (the "Linked" tab), not shared logins.
 */
public final class SignInViewModel {

    public static final String BAD_CREDENTIALS = "Wrong username or password.";
    public static final String TOO_MANY = "Too many failed sign-ins for this username. Wait a minute, then try again.";

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final BooleanBinding valid = Bindings.createBooleanBinding(
            () -> !Validation.blank(username.get()) && password.get() != null && !password.get().isEmpty(),
            username, password);

    public SignInViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        // an account was just opened: its first holder signs in next
        state.offeredUsernameProperty().addListener((o, a, u) -> {
            if (!u.isEmpty()) {
                username.set(u);
            }
        });
    }

    /** The bank this form signs in at. */
    public String bankName() {
        return session.bank().name();
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public void signIn() {
        if (busy.get() || !valid.get() || state.isSignedIn()) {
            return;
        }
        String u = username.get().strip();
        String p = password.get();
        busy.set(true);
        error.set("");
        tasks.run(() -> session.signIn(u, p), s -> {
            busy.set(false);
            password.set("");
            opened(s);
        }, e -> {
            busy.set(false);
            password.set("");
            error.set(message(e, session.bank().name()));
        });
    }

    private void opened(SignedIn s) {
        state.signedIn(s.name(), s.cpf(), AccountRow.here(s.accounts(), session::bankName));
        state.notice("Welcome, " + s.name() + ".");
        state.show(CustomerState.Section.ACCOUNTS);
        state.readEverything();
    }

    /** The sentence for a failed sign-in. */
    static String message(Throwable e, String bankName) {
        if (e instanceof BankApiException b) {
            if (b.status() == 401) {
                return BAD_CREDENTIALS;
            }
            if (b.status() == 429) {
                return TOO_MANY;
            }
            if (b.unreachable()) {
                return bankName + " is not answering. Try again when it is back.";
            }
        }
        return Errors.describe(e);
    }
}
