package org.distribank.app.ui.customer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.StatementEntry;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

/**
 * The statement of one of the person's accounts at this bank, newest last as the bank gives it. A linked account
 * at another bank has its statement at that bank (a consent lets this bank debit it, not read its history).
 */
public final class StatementViewModel {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** An entry as the table shows it: amounts signed and in reais, the kind and time in words. */
    public record Row(String transaction, String kind, String amount, String balanceAfter, String when,
                      String counterparty) {
    }

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ObjectProperty<AccountRef> account = new SimpleObjectProperty<>();
    private final ObservableList<StatementEntry> entries = FXCollections.observableArrayList();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private long generation;

    public StatementViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        account.addListener((o, a, b) -> refresh());
        entries.addListener((InvalidationListener) o -> rows.setAll(entries.stream().map(e -> new Row(
                e.transaction(), kind(e.kind()), Money.signed(e.amount()), Money.format(e.balanceAfter()), when(e.at()),
                e.counterparty() == null ? "" : e.counterparty())).toList()));
        CustomerState.keepChoice(account, state.hereAccounts());
        state.whenEverythingIsRead(this::refresh);
        state.whenSignedOut(this::clear);
    }

    /** The accounts with a statement here: the person's accounts at this window's bank. */
    public ObservableList<AccountRef> accounts() {
        return state.hereAccounts();
    }

    public String label(AccountRef ref) {
        return state.label(ref);
    }

    public ObjectProperty<AccountRef> accountProperty() {
        return account;
    }

    public ObservableList<StatementEntry> entries() {
        return entries;
    }

    /** The entries as the table shows them. */
    public ObservableList<Row> rows() {
        return rows;
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
        if (a == null || !state.isSignedIn()) {
            entries.clear();
            message.set("");
            return;
        }
        Optional<CustomerApi> c = session.clientAt(a.bank());
        if (c.isEmpty()) {
            entries.clear();
            message.set("Account " + a.account() + " is at " + session.bankName(a.bank()) + ". To see its statement, "
                    + "open a customer window at " + session.bankName(a.bank()) + ".");
            return;
        }
        long mine = ++generation;
        busy.set(true);
        tasks.run(() -> c.get().statement(a.account()), (List<StatementEntry> list) -> {
            if (mine != generation) {
                return; // another account was chosen meanwhile
            }
            busy.set(false);
            state.succeeded();
            entries.setAll(list);
            message.set(list.isEmpty() ? "Nothing has happened on this account yet." : "");
        }, e -> {
            if (mine != generation) {
                return;
            }
            busy.set(false);
            entries.clear();
            state.failed(e, message::set);
        });
    }

    void clear() {
        generation++;
        account.set(null);
        entries.clear();
        message.set("");
        busy.set(false);
    }

    static String kind(String k) {
        if (k == null) {
            return "";
        }
        return switch (k) {
            case "DEPOSIT" -> "Deposit";
            case "WITHDRAWAL" -> "Withdrawal";
            case "TRANSFER_IN" -> "Transfer in";
            case "TRANSFER_OUT" -> "Transfer out";
            default -> k;
        };
    }

    /** The bank gives epoch milliseconds (or an ISO instant): local date and time. */
    static String when(String at) {
        if (at == null || at.isBlank()) {
            return "";
        }
        try {
            return WHEN.format(at.matches("[0-9]+") ? Instant.ofEpochMilli(Long.parseLong(at)) : Instant.parse(at));
        } catch (DateTimeParseException | NumberFormatException e) {
            return at;
        }
    }
}
