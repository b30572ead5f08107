package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.ConsentView;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

/**
 * The consents the signed-in person gave at this window's bank (API.md v1.1, {@code GET /api/v1/consents}): which
 * account, which bank may debit it, the limit and what is left, the expiry, the status; and revoking one, which
 * authorises nothing ordered after it.
 */
public final class ConsentsViewModel {

    /** A consent as the table shows it. */
    public record Row(ConsentView consent, String account, String grantee, String limit, String left, String expires,
                      String balance, String status) {
        public boolean active() {
            return consent.active();
        }
    }

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final ObservableList<ConsentView> consents = FXCollections.observableArrayList();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public ConsentsViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        state.whenEverythingIsRead(this::refresh);
        consents.addListener((InvalidationListener) o -> rows.setAll(consents.stream().map(c -> new Row(c,
                c.account(), session.bankName(c.grantee()), Money.format(c.limit()), Money.format(c.remaining()),
                AccountRow.day(c.expiresAt()), c.read() ? "shown" : "hidden", AccountRow.typeText(c.status())))
                .toList()));
        state.whenSignedOut(this::clear);
    }

    public String bankName(String id) {
        return session.bankName(id);
    }

    public ObservableList<ConsentView> consents() {
        return consents;
    }

    /** The consents as the table shows them. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** Revokes the consent of {@code row}. */
    public void revoke(Row row) {
        revoke(row == null ? null : row.consent());
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void refresh() {
        if (!state.isSignedIn()) {
            return;
        }
        tasks.run(() -> session.client().myConsents(), (List<ConsentView> list) -> {
            if (state.isSignedIn()) {
                state.succeeded();
                consents.setAll(list);
            }
        }, e -> state.failed(e, message::set));
    }

    public void revoke(ConsentView c) {
        if (c == null || busy.get() || !state.isSignedIn() || !c.active()) {
            return;
        }
        busy.set(true);
        message.set("Revoking the consent for " + session.bankName(c.grantee()) + "...");
        tasks.run(() -> {
            session.client().revokeConsent(c.id());
            return c;
        }, x -> {
            busy.set(false);
            state.succeeded();
            message.set(session.bankName(x.grantee()) + " may no longer debit account " + x.account() + ".");
            refresh();
        }, e -> {
            busy.set(false);
            state.failed(e, message::set);
        });
    }

    void clear() {
        consents.clear();
        message.set("");
        busy.set(false);
    }
}
