package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.InvalidationListener;
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
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.bank.pix.PixKeyType;

/**
 * PIX keys: the person's keys at this bank, adding one of each kind (CPF, CNPJ of a business account,
 * e-mail, phone, random), removing one, and resolving any key of the consortium to its bank, account and
 * masked owner name. Keys are unique consortium-wide, so adding and removing go through the order.
 */
public final class PixViewModel {

    /** A key as the table shows it. */
    public record Row(PixKeyView key, String keyText, String kind, String account) {
    }

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ObservableList<PixKeyView> keys = FXCollections.observableArrayList();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<PixKeyType> types = FXCollections.observableArrayList(PixKeyType.values());
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

    public PixViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        CustomerState.keepChoice(account, state.hereAccounts());
        state.whenEverythingIsRead(this::refresh);
        keys.addListener((InvalidationListener) o -> rows.setAll(keys.stream().map(k -> new Row(k, k.key(),
                label(k.type()), k.account() + " at " + session.bankName(k.bank()))).toList()));
        state.whenSignedOut(this::clear);
    }

    /** The accounts a key may name: the person's accounts at this window's bank. */
    public ObservableList<AccountRef> accounts() {
        return state.hereAccounts();
    }

    public String label(AccountRef ref) {
        return state.label(ref);
    }

    public String bankName(String id) {
        return session.bankName(id);
    }

    public ObservableList<PixKeyView> keys() {
        return keys;
    }

    /** The person's keys as the table shows them. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** The kinds of key one may add. */
    public ObservableList<PixKeyType> types() {
        return types;
    }

    /** How the kind choice shows {@code t}. */
    public String typeLabel(PixKeyType t) {
        return t == null ? "" : label(t.name());
    }

    /** Removes the key of {@code row}. */
    public void remove(Row row) {
        remove(row == null ? null : row.key());
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
        if (!state.isSignedIn()) {
            return;
        }
        tasks.run(() -> session.client().myPixKeys(), (List<PixKeyView> list) -> {
            state.succeeded();
            keys.setAll(list);
        }, e -> state.failed(e, message::set));
    }

    public void add() {
        if (busy.get() || !valid.get() || !state.isSignedIn()) {
            return;
        }
        AccountRef a = account.get();
        PixKeyType t = type.get();
        String v = valueNeeded.get() ? value.get().strip() : null;
        busy.set(true);
        message.set("Registering the key with every bank...");
        tasks.run(() -> session.client().addPixKey(a.account(), t.name(), v), k -> {
            busy.set(false);
            state.succeeded();
            value.set("");
            message.set("Key " + k.key() + " (" + label(k.type()) + ") now names account " + k.account() + ".");
            refresh();
        }, e -> {
            busy.set(false);
            state.failed(e, message::set);
        });
    }

    public void remove(PixKeyView k) {
        if (k == null || busy.get() || !state.isSignedIn()) {
            return;
        }
        busy.set(true);
        message.set("Removing key " + k.key() + "...");
        tasks.run(() -> {
            session.client().removePixKey(k.key());
            return k;
        }, x -> {
            busy.set(false);
            state.succeeded();
            message.set("Key " + x.key() + " removed.");
            refresh();
        }, e -> {
            busy.set(false);
            state.failed(e, message::set);
        });
    }

    public void resolve() {
        if (resolving.get() || resolveKeyError.get() != null || !state.isSignedIn()) {
            return;
        }
        String key = resolveKey.get().strip();
        resolving.set(true);
        resolved.set(null);
        resolveMessage.set("");
        tasks.run(() -> session.client().resolvePixKey(key), k -> {
            resolving.set(false);
            state.succeeded();
            resolved.set(k);
            resolveMessage.set(k.name() + " · account " + k.account() + " at " + session.bankName(k.bank()));
        }, e -> {
            resolving.set(false);
            state.failed(e, resolveMessage::set);
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
