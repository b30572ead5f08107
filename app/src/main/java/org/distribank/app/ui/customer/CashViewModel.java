package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.ui.common.Money;

/**
 * Deposits and withdrawals on an account at the window's bank, the amount typed as money. Each goes
 * through the consortium's order like a transfer: PENDING, then COMMITTED or ABORTED.
 */
public final class CashViewModel {

    /** What the form does. */
    public enum Kind {
        DEPOSIT("Deposit"), WITHDRAWAL("Withdraw");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final CustomerViewModel parent;
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(Kind.DEPOSIT);
    private final ObjectProperty<AccountRef> account = new SimpleObjectProperty<>();
    private final StringProperty amount = new SimpleStringProperty("");
    private final StringBinding amountError = Bindings.createStringBinding(() -> Validation.amount(amount.get()),
            amount);
    private final StringBinding accountError = Bindings.createStringBinding(() -> account.get() == null
            ? "Choose an account." : null, account);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper order = new ReadOnlyStringWrapper("");
    private final BooleanBinding valid = Bindings.createBooleanBinding(() -> account.get() != null
            && amountError.get() == null, account, amountError);

    CashViewModel(CustomerViewModel parent) {
        this.parent = parent;
    }

    /** Deposit or withdraw: what {@link #submit()} does. */
    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public ObjectProperty<AccountRef> accountProperty() {
        return account;
    }

    public StringProperty amountProperty() {
        return amount;
    }

    public StringBinding amountError() {
        return amountError;
    }

    public StringBinding accountError() {
        return accountError;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** PENDING, COMMITTED, ABORTED of the last one, or empty (not sent, or refused before the order). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty orderProperty() {
        return order.getReadOnlyProperty();
    }

    public void submit() {
        run(kind.get() != Kind.WITHDRAWAL);
    }

    public void deposit() {
        run(true);
    }

    public void withdraw() {
        run(false);
    }

    void clearOutcome() {
        status.set("");
        message.set("");
        order.set("");
    }

    private void run(boolean deposit) {
        if (busy.get() || !valid.get() || !parent.isSignedIn()) {
            return;
        }
        AccountRef a = account.get();
        long cents = Money.parse(amount.get());
        String id = CustomerClient.newId();
        List<TransferLeg> legs = List.of(deposit ? new TransferLeg(null, a, null, cents)
                : new TransferLeg(a, null, null, cents));
        CustomerClient c = parent.client();
        busy.set(true);
        status.set("");
        order.set("");
        message.set((deposit ? "Depositing " : "Withdrawing ") + Money.format(cents) + "...");
        parent.tasks().run(() -> deposit ? c.deposit(id, a.account(), cents) : c.withdraw(id, a.account(), cents),
                r -> parent.follow(c, id, r, x -> show(x, deposit, a, cents, legs), this::failed), this::failed);
    }

    private void show(TransactionResult r, boolean deposit, AccountRef a, long cents, List<TransferLeg> legs) {
        status.set(r.status());
        order.set(parent.outcomes().order(r));
        String what = (deposit ? "Deposit of " : "Withdrawal of ") + Money.format(cents)
                + (deposit ? " into " : " from ") + parent.outcomes().account(a);
        if (r.pending()) {
            message.set(what + ": pending, the consortium is deciding...");
            return;
        }
        busy.set(false);
        if (r.committed()) {
            message.set(what + ": committed.");
            amount.set("");
        } else {
            message.set(what + ": aborted, nothing was moved. " + parent.outcomes().reason(r.reason(), r.failedLeg(),
                    legs));
        }
        parent.refreshAll();
    }

    private void failed(Throwable e) {
        busy.set(false);
        status.set("");
        parent.failed(e, message::set);
    }
}
