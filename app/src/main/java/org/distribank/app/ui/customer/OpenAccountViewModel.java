package org.distribank.app.ui.customer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
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
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.HolderForm;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.UiTasks;

/**
 * Opening an account at the window's bank: PERSONAL (one holder), JOINT (two or more holders, each with a
 * login of their own, distinct CPFs) or BUSINESS (a company name and CNPJ, and its admin). Valid only when
 * every field is; the bank checks everything again.
 */
public final class OpenAccountViewModel {

    /** The kinds of account, as the API names them. */
    public enum Kind {
        PERSONAL("Personal"), JOINT("Joint"), BUSINESS("Business");

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
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(Kind.PERSONAL);
    private final ObservableList<HolderFormViewModel> holders = FXCollections.observableArrayList();
    private final StringProperty companyName = new SimpleStringProperty("");
    private final StringProperty cnpj = new SimpleStringProperty("");
    private final StringBinding companyNameError;
    private final StringBinding cnpjError;
    private final ReadOnlyStringWrapper formError = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<AccountView> opened = new ReadOnlyObjectWrapper<>();
    private final InvalidationListener recompute = o -> recompute();

    public OpenAccountViewModel(CustomerSession session, CustomerState state, UiTasks tasks) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        companyNameError = Bindings.createStringBinding(() -> kind.get() == Kind.BUSINESS
                ? Validation.companyName(companyName.get()) : null, kind, companyName);
        cnpjError = Bindings.createStringBinding(() -> kind.get() == Kind.BUSINESS
                ? Validation.cnpj(cnpj.get()) : null, kind, cnpj);
        holders.addListener((ListChangeListener<HolderFormViewModel>) c -> {
            while (c.next()) {
                c.getRemoved().forEach(this::unwatch);
                c.getAddedSubList().forEach(this::watch);
            }
            recompute();
        });
        kind.addListener((o, a, k) -> fitHolders());
        companyNameError.addListener(recompute);
        cnpjError.addListener(recompute);
        holders.add(new HolderFormViewModel());
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    /** The people on the form: one for PERSONAL and BUSINESS (its admin), two or more for JOINT. */
    public ObservableList<HolderFormViewModel> holders() {
        return holders;
    }

    public StringProperty companyNameProperty() {
        return companyName;
    }

    public StringProperty cnpjProperty() {
        return cnpj;
    }

    public StringBinding companyNameError() {
        return companyNameError;
    }

    public StringBinding cnpjError() {
        return cnpjError;
    }

    /** A problem across holders (two with one CPF or one username); null when none. */
    public ReadOnlyStringProperty formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the bank refused the last opening. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** What the last opening gave. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<AccountView> openedProperty() {
        return opened.getReadOnlyProperty();
    }

    /** Another holder on a joint account. */
    public void addHolder() {
        if (kind.get() == Kind.JOINT) {
            holders.add(new HolderFormViewModel());
        }
    }

    /** Takes a holder off a joint account's form (two stay). */
    public void removeHolder(HolderFormViewModel h) {
        if (kind.get() == Kind.JOINT && holders.size() > 2) {
            holders.remove(h);
        }
    }

    public boolean canRemoveHolders() {
        return kind.get() == Kind.JOINT && holders.size() > 2;
    }

    public void submit() {
        if (busy.get() || !valid.get()) {
            return;
        }
        Kind k = kind.get();
        List<HolderForm> forms = holders.stream().map(HolderFormViewModel::toForm).toList();
        String company = companyName.get().strip();
        String number = cnpj.get().strip();
        busy.set(true);
        error.set("");
        message.set("");
        tasks.run(() -> switch (k) {
            case PERSONAL -> session.client().openPersonal(forms.get(0));
            case JOINT -> session.client().openJoint(forms);
            case BUSINESS -> session.client().openBusiness(company, number, forms.get(0));
        }, a -> {
            busy.set(false);
            opened.set(a);
            message.set(AccountRow.typeText(a.type()) + " account " + a.account() + " opened at "
                    + session.bankName(a.bank()) + " for " + String.join(", ", forms.stream().map(HolderForm::name)
                    .toList()) + ".");
            clear();
            opened(a, forms.get(0).username());
        }, e -> {
            busy.set(false);
            holders.forEach(HolderFormViewModel::clearPassword);
            error.set(org.distribank.app.ui.common.Errors.describe(e));
        });
    }

    /** Says so in the status bar; a person signed out is offered to sign in as its first holder. */
    private void opened(AccountView a, String username) {
        state.notice(AccountRow.typeText(a.type()) + " account " + a.account() + " opened at "
                + session.bankName(a.bank()) + ".");
        if (state.isSignedIn()) {
            state.readAccounts();
        } else {
            state.offerSignIn(username);
        }
    }

    public String bankName() {
        return session.bank().name();
    }

    /** An empty form of the same kind. */
    public void clear() {
        holders.forEach(HolderFormViewModel::clear);
        companyName.set("");
        cnpj.set("");
    }

    private void fitHolders() {
        int want = kind.get() == Kind.JOINT ? 2 : 1;
        while (holders.size() < want) {
            holders.add(new HolderFormViewModel());
        }
        if (kind.get() != Kind.JOINT && holders.size() > 1) {
            holders.remove(1, holders.size());
        }
        recompute();
    }

    private void watch(HolderFormViewModel h) {
        h.validProperty().addListener(recompute);
        h.cpfProperty().addListener(recompute);
        h.usernameProperty().addListener(recompute);
    }

    private void unwatch(HolderFormViewModel h) {
        h.validProperty().removeListener(recompute);
        h.cpfProperty().removeListener(recompute);
        h.usernameProperty().removeListener(recompute);
    }

    private void recompute() {
        String cross = null;
        if (kind.get() == Kind.JOINT) {
            Set<String> cpfs = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (HolderFormViewModel h : holders) {
                if (!h.cpfDigits().isEmpty() && !cpfs.add(h.cpfDigits())) {
                    cross = "Each holder of a joint account has their own CPF.";
                }
                String u = h.usernameProperty().get().strip();
                if (!u.isEmpty() && !names.add(u)) {
                    cross = "Each holder needs a username of their own.";
                }
            }
        }
        formError.set(cross);
        boolean ok = cross == null && holders.size() >= (kind.get() == Kind.JOINT ? 2 : 1)
                && holders.stream().allMatch(HolderFormViewModel::isValid)
                && companyNameError.get() == null && cnpjError.get() == null;
        valid.set(ok);
    }
}
