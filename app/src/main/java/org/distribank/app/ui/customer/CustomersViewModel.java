package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * The Customers page: pick a bank, open a customer window there (to sign in, or to open an account), and
 * keep track of the customer windows open. Each window has its own client and session, so several people
 * act at once. The view turns each ViewModel added to {@link #windows()} into a window.
 */
public final class CustomersViewModel {

    private final ConsortiumConnection connection;
    private final UiTasks tasks;
    private final ObservableList<BankRef> banks = FXCollections.observableArrayList();
    private final ObjectProperty<BankRef> bank = new SimpleObjectProperty<>();
    private final ObservableList<CustomerViewModel> windows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final BooleanBinding canOpen = Bindings.isNotNull(bank);

    public CustomersViewModel(ConsortiumConnection connection, UiTasks tasks) {
        this.connection = connection;
        this.tasks = tasks;
    }

    /** Reads the consortium's banks (in the background: a remote connection may ask the network). */
    public void load() {
        tasks.run(connection::banks, (List<BankRef> list) -> {
            banks.setAll(list);
            if (bank.get() == null && !list.isEmpty()) {
                bank.set(list.get(0));
            }
        }, e -> error.set(Errors.describe(e)));
    }

    public ObservableList<BankRef> banks() {
        return banks;
    }

    /** How the bank choice shows {@code b}: {@code Bank 1 (b1)}. */
    public String bankLabel(BankRef b) {
        return b == null ? "" : b.name() + " (" + b.id() + ")";
    }

    public ObjectProperty<BankRef> bankProperty() {
        return bank;
    }

    public BooleanBinding canOpenProperty() {
        return canOpen;
    }

    public ObservableList<CustomerViewModel> windows() {
        return windows;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A customer window at the chosen bank, showing the sign-in form. */
    public CustomerViewModel openWindow() {
        return open(CustomerViewModel.Start.SIGN_IN);
    }

    /** A customer window at the chosen bank, showing the account-opening form. */
    public CustomerViewModel openAccount() {
        return open(CustomerViewModel.Start.OPEN_ACCOUNT);
    }

    /** The person closed window {@code w}: sign it out. */
    public void closed(CustomerViewModel w) {
        if (windows.remove(w)) {
            w.close();
        }
    }

    /** Closes every customer window (the app is closing). */
    public void closeAll() {
        List.copyOf(windows).forEach(this::closed);
    }

    private CustomerViewModel open(CustomerViewModel.Start start) {
        BankRef b = bank.get();
        if (b == null) {
            return null;
        }
        CustomerViewModel w = new CustomerViewModel(b, List.copyOf(banks), connection::customer, tasks, start);
        windows.add(w);
        return w;
    }
}
