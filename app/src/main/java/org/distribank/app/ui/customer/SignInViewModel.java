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
import org.distribank.app.ui.common.Errors;

/**
 * Signing in at the window's bank. A wrong password and an unknown username get the same sentence (the
 * bank answers both with the same 401); five failures for a username lock it for a minute (429). The password
 * goes to this bank only: accounts at other banks come in through consents (the "Linked" tab), not shared logins.
 */
public final class SignInViewModel {

    public static final String BAD_CREDENTIALS = "Wrong username or password.";
    public static final String TOO_MANY = "Too many failed sign-ins for this username. Wait a minute, then try again.";

    private final CustomerViewModel parent;
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final BooleanBinding valid = Bindings.createBooleanBinding(
            () -> !Validation.blank(username.get()) && password.get() != null && !password.get().isEmpty(),
            username, password);

    SignInViewModel(CustomerViewModel parent) {
        this.parent = parent;
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
        if (busy.get() || !valid.get() || parent.isSignedIn()) {
            return;
        }
        String u = username.get().strip();
        String p = password.get();
        busy.set(true);
        error.set("");
        parent.tasks().run(() -> parent.openSession(u, p), s -> {
            busy.set(false);
            password.set("");
            parent.sessionOpened(s);
        }, e -> {
            busy.set(false);
            password.set("");
            error.set(message(e, parent.bank().name()));
        });
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
