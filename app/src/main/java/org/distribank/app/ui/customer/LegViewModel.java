package org.distribank.app.ui.customer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.BankRef;
import org.distribank.app.ui.common.Money;

/**
 * One leg of a transfer being built: from one of the person's accounts (at any bank) to an account (bank
 * and number) or to a PIX key, an amount. Complete when every part is; each part has its own error.
 */
public final class LegViewModel {

    /** Where a leg pays to. */
    public enum Target {
        ACCOUNT("Account"), PIX_KEY("PIX key");

        private final String label;

        Target(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final ObjectProperty<AccountRef> from = new SimpleObjectProperty<>();
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(Target.ACCOUNT);
    private final ObjectProperty<BankRef> toBank = new SimpleObjectProperty<>();
    private final StringProperty toAccount = new SimpleStringProperty("");
    private final StringProperty pixKey = new SimpleStringProperty("");
    private final StringProperty amount = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper failed = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyIntegerWrapper number = new ReadOnlyIntegerWrapper(1);

    private final StringBinding fromError = Bindings.createStringBinding(() -> from.get() == null
            ? "Choose one of your accounts to pay from." : null, from);
    private final StringBinding toBankError = Bindings.createStringBinding(() -> target.get() == Target.ACCOUNT
            && toBank.get() == null ? "Choose the bank of the account." : null, target, toBank);
    private final StringBinding toAccountError = Bindings.createStringBinding(() -> target.get() == Target.ACCOUNT
            ? Validation.accountNumber(toAccount.get()) : null, target, toAccount);
    private final StringBinding pixKeyError = Bindings.createStringBinding(() -> target.get() == Target.PIX_KEY
            ? Validation.pixKey(pixKey.get()) : null, target, pixKey);
    private final StringBinding amountError = Bindings.createStringBinding(() -> Validation.amount(amount.get()),
            amount);
    private final StringBinding sameAccountError = Bindings.createStringBinding(() -> target.get() == Target.ACCOUNT
            && from.get() != null && toBank.get() != null && from.get().bank().equals(toBank.get().id())
            && from.get().account().equals(toAccount.get().strip())
            ? "A leg cannot pay an account into itself." : null, from, target, toBank, toAccount);
    /** The first thing to fix in this leg, or null when it is complete. */
    private final StringBinding problem = Bindings.createStringBinding(() -> first(fromError.get(),
            toBankError.get(), toAccountError.get(), pixKeyError.get(), amountError.get(), sameAccountError.get()),
            fromError, toBankError, toAccountError, pixKeyError, amountError, sameAccountError);
    private final BooleanBinding complete = Bindings.createBooleanBinding(() -> problem.get() == null, problem);

    public LegViewModel(Runnable onEdit) {
        Runnable edited = () -> {
            failed.set(false);
            onEdit.run();
        };
        from.addListener((o, a, b) -> edited.run());
        target.addListener((o, a, b) -> edited.run());
        toBank.addListener((o, a, b) -> edited.run());
        toAccount.addListener((o, a, b) -> edited.run());
        pixKey.addListener((o, a, b) -> edited.run());
        amount.addListener((o, a, b) -> edited.run());
    }

    public ObjectProperty<AccountRef> fromProperty() {
        return from;
    }

    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    public ObjectProperty<BankRef> toBankProperty() {
        return toBank;
    }

    public StringProperty toAccountProperty() {
        return toAccount;
    }

    public StringProperty pixKeyProperty() {
        return pixKey;
    }

    public StringProperty amountProperty() {
        return amount;
    }

    public StringBinding fromError() {
        return fromError;
    }

    public StringBinding toBankError() {
        return toBankError;
    }

    public StringBinding toAccountError() {
        return toAccountError;
    }

    public StringBinding pixKeyError() {
        return pixKeyError;
    }

    public StringBinding amountError() {
        return amountError;
    }

    public StringBinding sameAccountError() {
        return sameAccountError;
    }

    public StringBinding problemProperty() {
        return problem;
    }

    public BooleanBinding completeProperty() {
        return complete;
    }

    public boolean isComplete() {
        return complete.get();
    }

    /** True when the banks said this leg is why the transfer was aborted. */
    public ReadOnlyBooleanProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** 1-based, as people count legs. */
    public ReadOnlyIntegerProperty numberProperty() {
        return number.getReadOnlyProperty();
    }

    /** The amount in cents, or 0 while it is not a valid amount. */
    public long cents() {
        return amountError.get() == null ? Money.parse(amount.get()) : 0;
    }

    /** The leg to send; only when complete. */
    public TransferLeg toLeg() {
        if (!isComplete()) {
            throw new IllegalStateException("leg " + number.get() + " is not complete: " + problem.get());
        }
        return target.get() == Target.PIX_KEY ? TransferLeg.toPixKey(from.get(), pixKey.get().strip(), cents())
                : TransferLeg.toAccount(from.get(), new AccountRef(toBank.get().id(), toAccount.get().strip()), cents());
    }

    void setFailed(boolean f) {
        failed.set(f);
    }

    void setNumber(int n) {
        number.set(n);
    }

    private static String first(String... s) {
        for (String x : s) {
            if (x != null) {
                return x;
            }
        }
        return null;
    }
}
