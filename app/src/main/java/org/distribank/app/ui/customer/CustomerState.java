package org.distribank.app.ui.customer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.BankApiException;
import org.distribank.app.ui.common.Errors;

/**
 * What the parts of one customer window share, observable (like JabRef's StateManager): who is signed in, their
 * accounts, the status bar, the part of the window to show, and requests to read balances and lists again. One
 * instance per window, injected into each of its view models; they read and write it instead of each other.
 */
public final class CustomerState {

    /** Parts of the window a view model may ask the view to show. */
    public enum Section { SIGN_IN, OPEN_ACCOUNT, ACCOUNTS, CASH, TRANSFER, STATEMENT, PIX, LINKS }

    private final Function<String, String> bankName;
    private final ReadOnlyBooleanWrapper signedIn = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper holderName = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper holderCpf = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper noticeIsError = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<Section> section = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper offeredUsername = new ReadOnlyStringWrapper("");
    private final ReadOnlyLongWrapper accountReads = new ReadOnlyLongWrapper(0);
    private final ReadOnlyLongWrapper fullReads = new ReadOnlyLongWrapper(0);
    private final ObservableList<AccountRow> accounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> myAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> hereAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> sharedAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> linkedAccounts = FXCollections.observableArrayList();
    private final Map<AccountRef, AccountRow> rows = new ConcurrentHashMap<>();

    /** {@code bankName}: a bank id to the name people know it by. */
    public CustomerState(Function<String, String> bankName) {
        this.bankName = bankName;
    }

    // ---- the session

    public ReadOnlyBooleanProperty signedInProperty() {
        return signedIn.getReadOnlyProperty();
    }

    public boolean isSignedIn() {
        return signedIn.get();
    }

    public ReadOnlyStringProperty holderNameProperty() {
        return holderName.getReadOnlyProperty();
    }

    /** The signed-in person's CPF, formatted. */
    public ReadOnlyStringProperty holderCpfProperty() {
        return holderCpf.getReadOnlyProperty();
    }

    /** {@code name} signed in: the holder shows, and every part may read its own lists. */
    void signedIn(String name, String cpf, List<AccountRow> accounts) {
        holderName.set(name);
        holderCpf.set(Validation.formatCpf(cpf));
        signedIn.set(true);
        showAccounts(accounts);
    }

    /** The session is over: every part forgets what it showed of it (they listen to {@link #signedInProperty}). */
    void signedOut() {
        signedIn.set(false);
        holderName.set("");
        holderCpf.set("");
        rows.clear();
        accounts.clear();
        myAccounts.clear();
        hereAccounts.clear();
        sharedAccounts.clear();
        linkedAccounts.clear();
    }

    /** Runs {@code forget} whenever the session ends (signed out here, or lost at the bank). */
    void whenSignedOut(Runnable forget) {
        signedIn.addListener((o, was, is) -> {
            if (!is) {
                forget.run();
            }
        });
    }

    /** The username to offer on the sign-in form (an account was just opened for it). */
    public ReadOnlyStringProperty offeredUsernameProperty() {
        return offeredUsername.getReadOnlyProperty();
    }

    void offerSignIn(String username) {
        offeredUsername.set("");
        offeredUsername.set(username);
        show(Section.SIGN_IN);
    }

    // ---- the status bar

    /** The window's last piece of news (signed in, account opened, signed out...) or its last error. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** True while the notice is an error; the next success clears it. */
    public ReadOnlyBooleanProperty noticeIsErrorProperty() {
        return noticeIsError.getReadOnlyProperty();
    }

    void notice(String s) {
        notice.set(s);
        noticeIsError.set(false);
    }

    void error(String s) {
        notice.set(s);
        noticeIsError.set(true);
    }

    /** Something asked of the bank went well: an error still in the status bar is stale now. */
    void succeeded() {
        if (noticeIsError.get()) {
            notice("");
        }
    }

    /**
     * Says what went wrong through {@code say}; a lost session (401 on a signed-in call) signs the window out and
     * says so in the status bar instead.
     */
    void failed(Throwable e, Consumer<String> say) {
        if (e instanceof BankApiException b && b.status() == 401 && signedIn.get()) {
            signedOut();
            error("Your session ended (" + b.getMessage() + ") Sign in again.");
            show(Section.SIGN_IN);
            say.accept("Your session ended: sign in again.");
            return;
        }
        say.accept(Errors.describe(e));
    }

    // ---- what to show

    /** The part of the window to show; changes when something happened that the person should see next. */
    public ReadOnlyObjectProperty<Section> sectionProperty() {
        return section.getReadOnlyProperty();
    }

    /** Shows {@code s} next (even when it is already the one shown: the view selects it again). */
    void show(Section s) {
        section.set(null);
        section.set(s);
    }

    // ---- reading again

    /** Bumped when the accounts and balances should be read again. */
    public ReadOnlyLongProperty accountReadsProperty() {
        return accountReads.getReadOnlyProperty();
    }

    /** Bumped when money moved: balances, statement, PIX keys and consents should be read again. */
    public ReadOnlyLongProperty fullReadsProperty() {
        return fullReads.getReadOnlyProperty();
    }

    /** Runs {@code read} whenever money moved or the person asked to see everything again. */
    void whenEverythingIsRead(Runnable read) {
        fullReads.addListener((o, a, b) -> read.run());
    }

    void readAccounts() {
        accountReads.set(accountReads.get() + 1);
    }

    void readEverything() {
        readAccounts();
        fullReads.set(fullReads.get() + 1);
    }

    // ---- the accounts

    /** Every account of the person, here first, then the ones at other banks linked here. */
    public ObservableList<AccountRow> accounts() {
        return accounts;
    }

    /** The same, as references: where a transfer leg may pay from (a linked one within its consent). */
    public ObservableList<AccountRef> myAccounts() {
        return myAccounts;
    }

    /** Accounts at this window's bank: deposits, withdrawals, PIX keys, statements. */
    public ObservableList<AccountRef> hereAccounts() {
        return hereAccounts;
    }

    /** Accounts at other banks linked here: what may be unlinked. */
    public ObservableList<AccountRef> linkedAccounts() {
        return linkedAccounts;
    }

    /** JOINT and BUSINESS accounts here: where co-holders and employees are added. */
    public ObservableList<AccountRef> sharedAccounts() {
        return sharedAccounts;
    }

    public Optional<AccountRow> row(AccountRef ref) {
        return Optional.ofNullable(ref == null ? null : rows.get(ref));
    }

    /** How a choice box shows an account: {@code 1001 at Bank 1 · Personal}. */
    public String label(AccountRef ref) {
        if (ref == null) {
            return "";
        }
        AccountRow r = rows.get(ref);
        return r != null ? r.label() : ref.account() + " at " + bankName.apply(ref.bank());
    }

    void showAccounts(List<AccountRow> list) {
        if (!signedIn.get()) {
            return;
        }
        rows.clear();
        list.forEach(r -> rows.put(r.ref(), r));
        accounts.setAll(list);
        // choice boxes show these: replace them only when they change (a choice box drops its value on a replace)
        update(myAccounts, list.stream().map(AccountRow::ref).toList());
        update(hereAccounts, list.stream().filter(AccountRow::here).map(AccountRow::ref).toList());
        update(linkedAccounts, list.stream().filter(AccountRow::linked).map(AccountRow::ref).toList());
        update(sharedAccounts, list.stream().filter(r -> r.here() && !"PERSONAL".equals(r.type()))
                .map(AccountRow::ref).toList());
    }

    /** From now on, keeps {@code choice} among {@code from} as that list changes (see {@link #choose}). */
    static void keepChoice(ObjectProperty<AccountRef> choice, ObservableList<AccountRef> from) {
        from.addListener((InvalidationListener) o -> choose(choice, from));
    }

    /** Keeps {@code choice} while it is still among {@code from}, else takes the first one (or none). */
    static void choose(ObjectProperty<AccountRef> choice, List<AccountRef> from) {
        if (choice.get() == null || !from.contains(choice.get())) {
            choice.set(from.isEmpty() ? null : from.get(0));
        }
    }

    private static <T> void update(ObservableList<T> list, List<T> now) {
        if (!list.equals(now)) {
            list.setAll(now);
        }
    }
}
