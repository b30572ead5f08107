package org.distribank.app.ui.customer;

import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.ConsentView;

/**
 * The consents the signed-in person gave at this window's bank (API.md v1.1, {@code GET /api/v1/consents}): which
 * account, which bank may debit it, the limit and what is left, the expiry, the status; and revoking one, which
 * authorises nothing ordered after it.
 */
public final class ConsentsViewModel {

    private final CustomerViewModel parent;
    private final ObservableList<ConsentView> consents = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    ConsentsViewModel(CustomerViewModel parent) {
        this.parent = parent;
    }

    public ObservableList<ConsentView> consents() {
        return consents;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void refresh() {
        if (!parent.isSignedIn()) {
            return;
        }
        parent.tasks().run(() -> parent.client().myConsents(), (List<ConsentView> list) -> {
            if (parent.isSignedIn()) {
                consents.setAll(list);
            }
        }, e -> parent.failed(e, message::set));
    }

    public void revoke(ConsentView c) {
        if (c == null || busy.get() || !parent.isSignedIn() || !c.active()) {
            return;
        }
        busy.set(true);
        message.set("Revoking the consent for " + parent.bankName(c.grantee()) + "...");
        parent.tasks().run(() -> {
            parent.client().revokeConsent(c.id());
            return c;
        }, x -> {
            busy.set(false);
            message.set(parent.bankName(x.grantee()) + " may no longer debit account " + x.account() + ".");
            refresh();
        }, e -> {
            busy.set(false);
            parent.failed(e, message::set);
        });
    }

    void clear() {
        consents.clear();
        message.set("");
        busy.set(false);
    }
}
