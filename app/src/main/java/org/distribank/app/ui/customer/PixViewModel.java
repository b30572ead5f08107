package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.PixKeyView;
import org.distribank.bank.pix.PixKeyType;

/**
 * PIX keys: the person's keys at this bank, adding one of each kind (CPF, CNPJ of a business account,
 * e-mail, phone, random), removing one, and resolving any key of the consortium to its bank, account and
 * masked owner name. Keys are unique consortium-wide, so adding and removing go through the order.
 */
public final class PixViewModel {

    private final CustomerViewModel parent;
    private final ObservableList<PixKeyView> keys = FXCollections.observableArrayList();
    private final ObjectProperty<AccountRef> account = new SimpleObjectProperty<>();
    private final ObjectProperty<PixKeyType> type = new SimpleObjectProperty<>(PixKeyType.EMAIL);
    private final StringProperty value = new SimpleStringProperty("");
    private final StringBinding valueError = Bindings.createStringBinding(() -> Validation.pixValue(type.get(),
            value.get()), type, value);
    private final BooleanBinding valueNeeded = Bindings.createBooleanBinding(() -> type.get() == PixKeyType.EMAIL
            || type.get() == PixKeyType.PHONE, type);
    private final StringBinding typeHint = Bindings.createStringBinding(() -> hint(type.get()), type);
    private final BooleanBinding valid = Bindings.createBooleanBinding(() -> account.get() != null
            && valueError.get() == null, account, valueError);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    private final StringProperty resolveKey = new SimpleStringProperty("");
    private final StringBinding resolveKeyError = Bindings.createStringBinding(() -> Validation.pixKey(resolveKey.get()),
            resolveKey);
    private final ReadOnlyObjectWrapper<PixKeyView> resolved = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper resolveMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper resolving = new ReadOnlyBooleanWrapper(false);

    PixViewModel(CustomerViewModel parent) {
        this.parent = parent;
    }

    public ObservableList<PixKeyView> keys() {
        return keys;
    }

    public ObjectProperty<AccountRef> accountProperty() {
        return account;
    }

    public ObjectProperty<PixKeyType> typeProperty() {
        return type;
    }

    public StringProperty valueProperty() {
        return value;
    }

    public StringBinding valueError() {
        return valueError;
    }

    /** E-mail and phone keys need a value; the others come from the holder, the company or the bank. */
    public BooleanBinding valueNeededProperty() {
        return valueNeeded;
    }

    public StringBinding typeHintProperty() {
        return typeHint;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public StringProperty resolveKeyProperty() {
        return resolveKey;
    }

    public StringBinding resolveKeyError() {
        return resolveKeyError;
    }

    public ReadOnlyObjectProperty<PixKeyView> resolvedProperty() {
        return resolved.getReadOnlyProperty();
    }

    /** Who a resolved key names, or why none. */
    public ReadOnlyStringProperty resolveMessageProperty() {
        return resolveMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty resolvingProperty() {
        return resolving.getReadOnlyProperty();
    }

    public void refresh() {
        if (!parent.isSignedIn()) {
            return;
        }
        parent.tasks().run(() -> parent.client().myPixKeys(), (List<PixKeyView> list) -> keys.setAll(list),
                e -> parent.failed(e, message::set));
    }

    public void add() {
        if (busy.get() || !valid.get() || !parent.isSignedIn()) {
            return;
        }
        AccountRef a = account.get();
        PixKeyType t = type.get();
        String v = valueNeeded.get() ? value.get().strip() : null;
        busy.set(true);
        message.set("Registering the key with every bank...");
        parent.tasks().run(() -> parent.client().addPixKey(a.account(), t.name(), v), k -> {
            busy.set(false);
            value.set("");
            message.set("Key " + k.key() + " (" + label(k.type()) + ") now names account " + k.account() + ".");
            refresh();
        }, e -> {
            busy.set(false);
            parent.failed(e, message::set);
        });
    }

    public void remove(PixKeyView k) {
        if (k == null || busy.get() || !parent.isSignedIn()) {
            return;
        }
        busy.set(true);
        message.set("Removing key " + k.key() + "...");
        parent.tasks().run(() -> {
            parent.client().removePixKey(k.key());
            return k;
        }, x -> {
            busy.set(false);
            message.set("Key " + x.key() + " removed.");
            refresh();
        }, e -> {
            busy.set(false);
            parent.failed(e, message::set);
        });
    }

    public void resolve() {
        if (resolving.get() || resolveKeyError.get() != null || !parent.isSignedIn()) {
            return;
        }
        String key = resolveKey.get().strip();
        resolving.set(true);
        resolved.set(null);
        resolveMessage.set("");
        parent.tasks().run(() -> parent.client().resolvePixKey(key), k -> {
            resolving.set(false);
            resolved.set(k);
            resolveMessage.set(k.name() + " · account " + k.account() + " at " + parent.bankName(k.bank()));
        }, e -> {
            resolving.set(false);
            parent.failed(e, resolveMessage::set);
        });
    }

    void clear() {
        keys.clear();
        account.set(null);
        message.set("");
        resolved.set(null);
        resolveMessage.set("");
    }

    static String label(String type) {
        return switch (type == null ? "" : type) {
            case "CPF" -> "CPF";
            case "CNPJ" -> "CNPJ";
            case "EMAIL" -> "e-mail";
            case "PHONE" -> "phone";
            case "RANDOM" -> "random";
            default -> type;
        };
    }

    private static String hint(PixKeyType t) {
        if (t == null) {
            return "";
        }
        return switch (t) {
            case CPF -> "Your own CPF becomes the key.";
            case CNPJ -> "The company's CNPJ becomes the key (business accounts).";
            case EMAIL -> "An e-mail address, like maria@example.com.";
            case PHONE -> "A phone number in international form, like +5511987654321.";
            case RANDOM -> "The bank makes up a random key for you.";
        };
    }
}
