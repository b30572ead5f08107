package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/**
 * The person's accounts here and the linked ones at other banks (balance where readable, consent limit left, expiry,
 * status), unlinking, and adding co-holders and employees.
 */
final class AccountsPane extends ScrollPane {

    private final Button submit;

    AccountsPane(CustomerViewModel w) {
        AccountsViewModel accountsVm = w.accounts();
        TableView<AccountRow> table = new TableView<>(accountsVm.accounts());
        table.setId("accounts-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No accounts yet."));
        table.getColumns().add(column("Account", AccountRow::number));
        table.getColumns().add(column("Bank", r -> r.bankName() + (r.here() ? " (here)" : "")));
        table.getColumns().add(column("Type", AccountRow::typeText));
        TableColumn<AccountRow, String> balance = column("Balance", AccountRow::balanceText);
        balance.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(balance);
        TableColumn<AccountRow, String> left = column("Limit left", AccountRow::remainingText);
        left.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(left);
        table.getColumns().add(column("Expires", AccountRow::expiryText));
        table.getColumns().add(column("Consent", AccountRow::statusText));
        table.setPrefHeight(220);
        table.setFixedCellSize(32);
        table.setTooltip(new Tooltip("A linked account at another bank shows its balance only where its consent lets "
                + "this bank read it (else —), and how much this bank may still debit from it."));

        Button refresh = Form.button("accounts-refresh", "_Refresh", Feather.REFRESH_CW);
        refresh.disableProperty().bind(accountsVm.refreshingProperty());
        refresh.setOnAction(e -> accountsVm.refreshAll());
        Button link = Form.button("accounts-link", "_Link an account at another bank", Feather.LINK);
        link.setOnAction(e -> w.show(CustomerState.Section.LINKS));
        LinkViewModel links = w.link();
        Button unlink = Form.button("accounts-unlink", "_Unlink", Feather.SLASH);
        unlink.getStyleClass().add(Styles.DANGER);
        unlink.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            AccountRow r = table.getSelectionModel().getSelectedItem();
            return r == null || !r.linked() || links.busyProperty().get();
        }, table.getSelectionModel().selectedItemProperty(), links.busyProperty()));
        unlink.setOnAction(e -> links.unlink(table.getSelectionModel().getSelectedItem()));
        Label linkMessage = Form.message("accounts-link-message", links.messageProperty(), Styles.TEXT_MUTED);
        Label linkError = Form.message("accounts-link-error", links.errorProperty(), Styles.DANGER);
        Label total = new Label();
        total.setId("accounts-total");
        total.getStyleClass().add(Styles.TEXT_MUTED);
        accountsVm.accounts().addListener((ListChangeListener<AccountRow>) c -> total.setText(accountsVm.totalText()));

        VBox accounts = Form.card("My accounts", Feather.CREDIT_CARD,
                "Your accounts here, and accounts at other banks that you linked here with that bank's consent. A "
                        + "transfer may pay from any of them: a linked one up to what its consent has left.", table,
                Form.bar(refresh, link, unlink, total), linkMessage, linkError);

        AddHolderViewModel vm = w.addHolder();
        Form form = new Form();
        form.row("_Account", Form.choice("add-holder-account", vm.accounts(), vm.accountProperty(), vm::label,
                "a joint or business account"), vm.accountError(), "add-holder-account-error");
        OpenAccountPane.holderRows(form, vm.person(), "add-holder-");
        submit = Form.submit("add-holder-submit", "Add _person", Feather.USER_PLUS, vm.validProperty(),
                vm.busyProperty());
        submit.textProperty().bind(Bindings.concat("Add as _", vm.roleProperty()));
        submit.setOnAction(e -> vm.submit());
        form.span(submit);
        form.span(Form.message("add-holder-error", vm.errorProperty(), Styles.DANGER));
        form.span(Form.message("add-holder-message", vm.messageProperty(), Styles.SUCCESS));
        form.submitOnEnter(form.grid(), vm::submit);
        VBox add = Form.card("Add a co-holder or an employee", Feather.USER_PLUS,
                "Any holder of a joint account adds a co-holder; the admin of a business account adds employees. "
                        + "Each signs in with their own username and password.", form.grid());
        add.visibleProperty().bind(Bindings.isNotEmpty(vm.accounts()));
        add.managedProperty().bind(add.visibleProperty());

        VBox content = new VBox(16, accounts, add);
        content.setPadding(new Insets(16));
        setContent(content);
        setFitToWidth(true);
    }

    Button defaultButton() {
        return submit;
    }

    static <T> TableColumn<T, String> column(String title, Function<T, String> text) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(text.apply(d.getValue())));
        c.setSortable(false);
        return c;
    }
}
