package org.distribank.app.ui.customer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.HolderForm;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.UiTasks;

/**
 * Adds a person to one of the signed-in person's accounts here: a co-holder to a JOINT account (any holder
 * may) or an employee to a BUSINESS account (its admin only; the bank says so to anyone else).
 */
public final class AddHolderViewModel {

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ObjectProperty<AccountRef> account = new SimpleObjectProperty<>();
    private final HolderFormViewModel person = new HolderFormViewModel();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final StringBinding accountError = Bindings.createStringBinding(() -> account.get() == null
            ? "Choose a joint or business account." : null, account);
    private final StringBinding role;
    private final BooleanBinding valid;

    public AddHolderViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        CustomerState.keepChoice(account, state.sharedAccounts());
        role = Bindings.createStringBinding(() -> state.row(account.get())
                .map(r -> "BUSINESS".equals(r.type()) ? "employee" : "co-holder").orElse("co-holder"), account);
        valid = Bindings.createBooleanBinding(() -> account.get() != null && person.isValid(), account,
                person.validProperty());
    }

    /** Where people may be added: the JOINT and BUSINESS accounts here. */
    public ObservableList<AccountRef> accounts() {
        return state.sharedAccounts();
    }

    public String label(AccountRef ref) {
        return state.label(ref);
    }

    public ObjectProperty<AccountRef> accountProperty() {
        return account;
    }

    public HolderFormViewModel person() {
        return person;
    }

    public StringBinding accountError() {
        return accountError;
    }

    /** "co-holder" (JOINT) or "employee" (BUSINESS). */
    public StringBinding roleProperty() {
        return role;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void submit() {
        if (busy.get() || !valid.get() || !state.isSignedIn()) {
            return;
        }
        AccountRef a = account.get();
        HolderForm h = person.toForm();
        String as = role.get();
        busy.set(true);
        error.set("");
        message.set("");
        tasks.run(() -> session.client().addHolder(a.account(), h), v -> {
            busy.set(false);
            state.succeeded();
            message.set(h.name() + " is now " + ("employee".equals(as) ? "an employee" : "a co-holder") + " of account "
                    + a.account() + " and signs in as " + h.username() + ".");
            person.clear();
            state.readAccounts();
        }, e -> {
            busy.set(false);
            person.clearPassword();
            state.failed(e, error::set);
        });
    }
}
