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
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

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

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final PendingFollower follower;
    private final Outcomes outcomes;
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

    public CashViewModel(CustomerSession session, CustomerState state, UiTasks tasks, PendingFollower follower) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        this.follower = follower;
        this.outcomes = new Outcomes(session::bankName);
        CustomerState.keepChoice(account, state.hereAccounts());
        state.whenSignedOut(this::clearOutcome);
    }

    /** The accounts cash may go into or out of: the person's accounts at this window's bank. */
    public ObservableList<AccountRef> accounts() {
        return state.hereAccounts();
    }

    /** How the choice box shows an account. */
    public String label(AccountRef ref) {
        return state.label(ref);
    }

    public String bankName() {
        return session.bank().name();
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
        if (busy.get() || !valid.get() || !state.isSignedIn()) {
            return;
        }
        AccountRef a = account.get();
        long cents = Money.parse(amount.get());
        String id = CustomerApi.newId();
        List<TransferLeg> legs = List.of(deposit ? new TransferLeg(null, a, null, cents)
                : new TransferLeg(a, null, null, cents));
        CustomerApi c = session.client();
        busy.set(true);
        status.set("");
        order.set("");
        message.set((deposit ? "Depositing " : "Withdrawing ") + Money.format(cents) + "...");
        tasks.run(() -> deposit ? c.deposit(id, a.account(), cents) : c.withdraw(id, a.account(), cents),
                r -> follower.follow(c, id, r, x -> show(x, deposit, a, cents, legs), this::failed), this::failed);
    }

    private void show(TransactionResult r, boolean deposit, AccountRef a, long cents, List<TransferLeg> legs) {
        status.set(r.status());
        order.set(outcomes.order(r));
        String what = (deposit ? "Deposit of " : "Withdrawal of ") + Money.format(cents)
                + (deposit ? " into " : " from ") + outcomes.account(a);
        if (r.pending()) {
            message.set(what + ": pending, the consortium is deciding...");
            return;
        }
        busy.set(false);
        state.succeeded();
        if (r.committed()) {
            message.set(what + ": committed.");
            amount.set("");
        } else {
            message.set(what + ": aborted, nothing was moved. " + outcomes.reason(r.reason(), r.failedLeg(),
                    legs));
        }
        state.readEverything();
    }

    private void failed(Throwable e) {
        busy.set(false);
        status.set("");
        state.failed(e, message::set);
    }
}
