package org.distribank.app.ui.customer;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.Me;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

/**
 * The person's accounts and balances: here, and at other banks linked here. Reads them again whenever {@link
 * CustomerState} asks (after a movement, a link, a new co-holder) and puts them in the state for every part.
 */
public final class AccountsViewModel {

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ReadOnlyBooleanWrapper refreshing = new ReadOnlyBooleanWrapper(false);

    public AccountsViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        state.accountReadsProperty().addListener((o, a, b) -> refresh());
    }

    public ObservableList<AccountRow> accounts() {
        return state.accounts();
    }

    public ReadOnlyBooleanProperty refreshingProperty() {
        return refreshing.getReadOnlyProperty();
    }

    /** {@code Total R$ 150,00} over the balances known, or empty without accounts. */
    public String totalText() {
        long sum = 0;
        boolean unknown = false;
        for (AccountRow r : state.accounts()) {
            if (r.balance() == null) {
                unknown = true;
            } else {
                sum += r.balance();
            }
        }
        return state.accounts().isEmpty() ? "" : "Total " + Money.format(sum)
                + (unknown ? " (without the balances not shown)" : "");
    }

    /** Reads the person's accounts (here and linked) and their balances again. */
    public void refresh() {
        if (!state.isSignedIn()) {
            return;
        }
        refreshing.set(true);
        tasks.run(this::load, list -> {
            refreshing.set(false);
            state.succeeded();
            state.showAccounts(list);
        }, e -> {
            refreshing.set(false);
            state.failed(e, state::error);
        });
    }

    /** Reads everything a movement changes again: balances, statement, PIX keys, consents. */
    public void refreshAll() {
        state.readEverything();
    }

    /** The label a choice box shows for {@code ref}. */
    public String label(AccountRef ref) {
        return state.label(ref);
    }

    private List<AccountRow> load() {
        Me me = session.client().me();
        List<AccountRow> all = new ArrayList<>(AccountRow.here(me.accounts(), session::bankName));
        // the owning bank answers the balance only where the consent allows reading; otherwise it stays unknown
        me.linked().forEach(l -> all.add(AccountRow.linked(l, session.bankName(l.bank()))));
        return all;
    }
}
