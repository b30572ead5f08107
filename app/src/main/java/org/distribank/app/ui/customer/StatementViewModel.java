package org.distribank.app.ui.customer;

import java.util.List;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.StatementEntry;

/**
 * The statement of one of the person's accounts at this bank, newest last as the bank gives it. A linked account
 * at another bank has its statement at that bank (a consent lets this bank debit it, not read its history).
 */
public final class StatementViewModel {

    private final CustomerViewModel parent;
    private final ObjectProperty<AccountRef> account = new SimpleObjectProperty<>();
    private final ObservableList<StatementEntry> entries = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private long generation;

    StatementViewModel(CustomerViewModel parent) {
        this.parent = parent;
        account.addListener((o, a, b) -> refresh());
    }

    public ObjectProperty<AccountRef> accountProperty() {
        return account;
    }

    public ObservableList<StatementEntry> entries() {
        return entries;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Empty, or why there is nothing to show. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Reads the chosen account's statement again. */
    public void refresh() {
        AccountRef a = account.get();
        if (a == null || !parent.isSignedIn()) {
            entries.clear();
            message.set("");
            return;
        }
        Optional<CustomerClient> c = parent.clientAt(a.bank());
        if (c.isEmpty()) {
            entries.clear();
            message.set("Account " + a.account() + " is at " + parent.bankName(a.bank()) + ". To see its statement, "
                    + "open a customer window at " + parent.bankName(a.bank()) + ".");
            return;
        }
        long mine = ++generation;
        busy.set(true);
        parent.tasks().run(() -> c.get().statement(a.account()), (List<StatementEntry> list) -> {
            if (mine != generation) {
                return; // another account was chosen meanwhile
            }
            busy.set(false);
            entries.setAll(list);
            message.set(list.isEmpty() ? "Nothing has happened on this account yet." : "");
        }, e -> {
            if (mine != generation) {
                return;
            }
            busy.set(false);
            entries.clear();
            parent.failed(e, message::set);
        });
    }

    void clear() {
        generation++;
        account.set(null);
        entries.clear();
        message.set("");
        busy.set(false);
    }
}
