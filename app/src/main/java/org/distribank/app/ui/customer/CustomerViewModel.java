package org.distribank.app.ui.customer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.Me;
import org.distribank.app.client.SignedIn;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.service.BankRef;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * One customer window: one person at one bank, with their own {@link CustomerClient} and session. Holds
 * what every part of the window shares (who is signed in, their accounts here and the accounts at other banks
 * they linked here with a consent) and the ViewModels of its parts. Only ViewModels call the bank, always
 * through {@link UiTasks}.
 *
 * <p>The window has one session, at its own bank: an account at another bank is seen and paid from only once
 * linked here (API.md v1.1), never by signing in elsewhere with this bank's password.
 */
public final class CustomerViewModel {

    /** What the window shows first. */
    public enum Start { SIGN_IN, OPEN_ACCOUNT }

    /** Tabs the ViewModel may ask the view to show. */
    public enum Section { SIGN_IN, OPEN_ACCOUNT, ACCOUNTS, CASH, TRANSFER, STATEMENT, PIX, LINKS }

    /** Bound on following a PENDING transaction (the bank itself waits a few seconds per call). */
    static final Duration FOLLOW_BOUND = Duration.ofSeconds(60);
    /** Pause between two looks at a PENDING transaction. */
    static final long FOLLOW_PAUSE_MS = 250;

    private final BankRef bank;
    private final List<BankRef> banks;
    private final Function<String, CustomerClient> clients;
    private final UiTasks tasks;
    private final CustomerClient client;
    private final Outcomes outcomes;
    private final Start start;

    private final ReadOnlyBooleanWrapper signedIn = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper holderName = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper holderCpf = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper refreshing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<Section> section = new ReadOnlyObjectWrapper<>();
    private final ObservableList<AccountRow> accounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> myAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> hereAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> sharedAccounts = FXCollections.observableArrayList();
    private final ObservableList<AccountRef> linkedAccounts = FXCollections.observableArrayList();
    private final Map<AccountRef, AccountRow> rows = new ConcurrentHashMap<>();
    private final StringBinding title;

    private final SignInViewModel signIn;
    private final OpenAccountViewModel openAccount;
    private final AddHolderViewModel addHolder;
    private final CashViewModel cash;
    private final TransferViewModel transfer;
    private final StatementViewModel statement;
    private final PixViewModel pix;
    private final LinkViewModel link;
    private final ConsentsViewModel consents;

    /**
     * @param bank    the bank of this window
     * @param banks   every bank of the consortium (transfer destinations, names)
     * @param clients a fresh client of a bank by id (one per window and bank: sessions are not shared; the link
     *                flow signs in at another bank with its own client)
     */
    public CustomerViewModel(BankRef bank, List<BankRef> banks, Function<String, CustomerClient> clients,
                             UiTasks tasks, Start start) {
        this.bank = bank;
        this.banks = List.copyOf(banks);
        this.clients = clients;
        this.tasks = tasks;
        this.client = clients.apply(bank.id());
        this.start = start;
        this.outcomes = new Outcomes(this::bankName);
        this.title = Bindings.createStringBinding(() -> signedIn.get()
                ? holderName.get() + " at " + bank.name() : "Customer at " + bank.name() + " (signed out)",
                signedIn, holderName);
        this.signIn = new SignInViewModel(this);
        this.openAccount = new OpenAccountViewModel(this);
        this.addHolder = new AddHolderViewModel(this);
        this.cash = new CashViewModel(this);
        this.transfer = new TransferViewModel(this);
        this.statement = new StatementViewModel(this);
        this.pix = new PixViewModel(this);
        this.link = new LinkViewModel(this);
        this.consents = new ConsentsViewModel(this);
        section.set(start == Start.OPEN_ACCOUNT ? Section.OPEN_ACCOUNT : Section.SIGN_IN);
    }

    // ---- what the view reads

    public BankRef bank() {
        return bank;
    }

    public List<BankRef> banks() {
        return banks;
    }

    public Start start() {
        return start;
    }

    public StringBinding titleProperty() {
        return title;
    }

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

    /** The window's last piece of news (signed in, account opened, signed out...). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty refreshingProperty() {
        return refreshing.getReadOnlyProperty();
    }

    /** The part of the window to show; changes when something happened that the person should see next. */
    public ReadOnlyObjectProperty<Section> sectionProperty() {
        return section.getReadOnlyProperty();
    }

    /** Every account of the person, here first, then the ones at other banks linked here. */
    public ObservableList<AccountRow> accounts() {
        return accounts;
    }

    /** The same, as references: where a transfer leg may pay from (a linked one within its consent). */
    public ObservableList<AccountRef> myAccounts() {
        return myAccounts;
    }

    /** Accounts at this window's bank: deposits, withdrawals, PIX keys. */
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

    public SignInViewModel signIn() {
        return signIn;
    }

    public OpenAccountViewModel openAccount() {
        return openAccount;
    }

    public AddHolderViewModel addHolder() {
        return addHolder;
    }

    public CashViewModel cash() {
        return cash;
    }

    public TransferViewModel transfer() {
        return transfer;
    }

    public StatementViewModel statement() {
        return statement;
    }

    public PixViewModel pix() {
        return pix;
    }

    /** Linking an account at another bank, and unlinking one. */
    public LinkViewModel link() {
        return link;
    }

    /** The consents the person gave at this bank, to revoke. */
    public ConsentsViewModel consents() {
        return consents;
    }

    public Outcomes outcomes() {
        return outcomes;
    }

    public String bankName(String id) {
        return banks.stream().filter(b -> b.id().equals(id)).findFirst().map(BankRef::name).orElse(id);
    }

    /** How a choice box shows an account: {@code 1001 at Bank 1 · Personal}. */
    public String label(AccountRef ref) {
        if (ref == null) {
            return "";
        }
        AccountRow r = rows.get(ref);
        return r != null ? r.label() : ref.account() + " at " + bankName(ref.bank());
    }

    public Optional<AccountRow> row(AccountRef ref) {
        return Optional.ofNullable(ref == null ? null : rows.get(ref));
    }

    // ---- actions

    /** Reads the person's accounts (here and linked) and their balances again. */
    public void refreshAccounts() {
        if (!signedIn.get()) {
            return;
        }
        refreshing.set(true);
        tasks.run(this::loadAccounts, this::showAccounts, e -> {
            refreshing.set(false);
            failed(e, notice::set);
        });
    }

    /** Refreshes what a movement changes: balances and the statement shown. */
    public void refreshAll() {
        refreshAccounts();
        statement.refresh();
        pix.refresh();
        consents.refresh();
    }

    /** Ends the session. */
    public void signOut() {
        if (!signedIn.get()) {
            return;
        }
        String who = holderName.get();
        clearSession();
        show(Section.SIGN_IN);
        tasks.run(() -> {
            client.signOut(); // the token is forgotten here even if the bank does not confirm
            return null;
        }, ok -> notice.set(who + " signed out."), e -> notice.set(who + " signed out here; the bank did not confirm it ("
                + Errors.describe(e) + ")."));
    }

    /** The window is closing: sign out in the background, nothing more to show. */
    public void close() {
        if (!signedIn.get()) {
            return;
        }
        clearSession();
        tasks.background().execute(() -> {
            try {
                client.signOut();
            } catch (RuntimeException ignored) {
                // closing: nobody to tell
            }
        });
    }

    /** Shows {@code s} next (the view selects that tab). */
    public void show(Section s) {
        section.set(null);
        section.set(s);
    }

    // ---- for the part ViewModels

    UiTasks tasks() {
        return tasks;
    }

    CustomerClient client() {
        return client;
    }

    /** The session of this window at {@code bankId}: only its own bank's (linked accounts have no statement here). */
    Optional<CustomerClient> clientAt(String bankId) {
        return signedIn.get() && bank.id().equals(bankId) ? Optional.of(client) : Optional.empty();
    }

    /** A fresh client of another bank, signed in by nobody yet (the link flow's own session there). */
    CustomerClient newClient(String bankId) {
        return clients.apply(bankId);
    }

    void setNotice(String s) {
        notice.set(s);
    }

    /** Background part of signing in, at this window's bank only. */
    SignedIn openSession(String username, String password) {
        return client.signIn(username, password);
    }

    /** UI part of signing in. */
    void sessionOpened(SignedIn s) {
        holderName.set(s.name());
        holderCpf.set(Validation.formatCpf(s.cpf()));
        signedIn.set(true);
        notice.set("Welcome, " + s.name() + ".");
        showAccounts(s.accounts().stream().map(a -> new AccountRow(a.ref(), bankName(a.bank()), a.type(),
                a.balance())).toList());
        show(Section.ACCOUNTS);
        refreshAll();
    }

    /** An account was opened from this window. */
    void accountOpened(AccountView a, String username) {
        notice.set(AccountRow.typeText(a.type()) + " account " + a.account() + " opened at " + bankName(a.bank()) + ".");
        if (signedIn.get()) {
            refreshAccounts();
        } else {
            signIn.usernameProperty().set(username);
            show(Section.SIGN_IN);
        }
    }

    /**
     * Says what went wrong through {@code say}; a lost session (401 on a signed-in call) signs the window out
     * and says so instead.
     */
    void failed(Throwable e, Consumer<String> say) {
        Throwable t = e;
        if (t instanceof BankApiException b && b.status() == 401 && signedIn.get()) {
            clearSession();
            notice.set("Your session ended (" + b.getMessage() + ") Sign in again.");
            show(Section.SIGN_IN);
            say.accept("Your session ended: sign in again.");
            return;
        }
        say.accept(Errors.describe(t));
    }

    /**
     * Hands {@code r} to {@code update}; while it is PENDING, asks the bank again (bounded) and hands over every
     * answer, until it is decided. {@code failed} gets a lost bank or the bound.
     */
    void follow(CustomerClient c, String id, TransactionResult r, Consumer<TransactionResult> update,
                Consumer<Throwable> failed) {
        follow(c, id, r, update, failed, System.nanoTime() + FOLLOW_BOUND.toNanos());
    }

    private void follow(CustomerClient c, String id, TransactionResult r, Consumer<TransactionResult> update,
                        Consumer<Throwable> failed, long deadline) {
        update.accept(r);
        if (!r.pending()) {
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            failed.accept(new IllegalStateException("The consortium has not decided after "
                    + FOLLOW_BOUND.toSeconds() + " s. It will: look at the statement again later."));
            return;
        }
        tasks.run(() -> {
            Thread.sleep(FOLLOW_PAUSE_MS); // on a background thread: a pause between two long polls
            return c.transaction(r.id() != null ? r.id() : id);
        }, next -> follow(c, id, next, update, failed, deadline), failed);
    }

    // ---- internals

    private List<AccountRow> loadAccounts() {
        Me me = client.me();
        List<AccountRow> all = new ArrayList<>();
        me.accounts().forEach(a -> all.add(new AccountRow(a.ref(), bankName(a.bank()), a.type(), a.balance())));
        // the owning bank answers the balance only where the consent allows reading; otherwise it stays unknown
        me.linked().forEach(l -> all.add(AccountRow.linked(l, bankName(l.bank()))));
        return all;
    }

    private void showAccounts(List<AccountRow> list) {
        refreshing.set(false);
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
        choose(cash.accountProperty(), hereAccounts);
        choose(pix.accountProperty(), hereAccounts);
        choose(addHolder.accountProperty(), sharedAccounts);
        choose(statement.accountProperty(), hereAccounts);
        for (LegViewModel l : transfer.legs()) {
            if (l.fromProperty().get() != null && !myAccounts.contains(l.fromProperty().get())) {
                l.fromProperty().set(null);
            }
        }
    }

    private static <T> void update(ObservableList<T> list, List<T> now) {
        if (!list.equals(now)) {
            list.setAll(now);
        }
    }

    /** Keeps a choice that is still there, else takes the first one (or none). */
    private static void choose(javafx.beans.property.ObjectProperty<AccountRef> p, List<AccountRef> from) {
        if (p.get() == null || !from.contains(p.get())) {
            p.set(from.isEmpty() ? null : from.get(0));
        }
    }

    private void clearSession() {
        signedIn.set(false);
        holderName.set("");
        holderCpf.set("");
        rows.clear();
        accounts.clear();
        myAccounts.clear();
        hereAccounts.clear();
        sharedAccounts.clear();
        linkedAccounts.clear();
        statement.clear();
        pix.clear();
        link.clear();
        consents.clear();
        transfer.clearOutcome();
        cash.clearOutcome();
    }

}
