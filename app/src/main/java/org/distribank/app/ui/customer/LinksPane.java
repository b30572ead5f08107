package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/**
 * Cross-bank authority (API.md v1.1): linking an account at another bank with that bank's consent, and the consents
 * the person gave at this bank, to revoke.
 */
final class LinksPane extends ScrollPane {

    private final Button submit;
    private final ComboBox<?> bank;

    LinksPane(CustomerViewModel w) {
        LinkViewModel vm = w.link();
        Form form = new Form();
        bank = form.row("_Bank", Form.choice("link-bank", vm.otherBanks(), vm.otherBankProperty(),
                vm::bankLabel, "the bank of the account"), vm.bankError(), "link-bank-error");
        form.row("_Username there", Form.text("link-username", vm.usernameProperty(), "your username at that bank"),
                vm.usernameError(), "link-username-error");
        form.row("_Password there", Form.password("link-password", vm.passwordProperty(), ""),
                vm.passwordError(), "link-password-error");
        form.row("A_ccount there", Form.text("link-account", vm.accountProperty(), "empty: your only account there"),
                vm.accountError(), "link-account-error");
        form.row("_Limit", Form.text("link-limit", vm.limitProperty(), "the most this bank may debit, e.g. 500,00"),
                vm.limitError(), "link-limit-error");
        form.row("_Days", Form.text("link-days", vm.daysProperty(), "1 to " + LinkViewModel.MAX_DAYS),
                vm.daysError(), "link-days-error");
        CheckBox read = new CheckBox("_Show its balance here");
        read.setId("link-read");
        read.setMnemonicParsing(true);
        read.selectedProperty().bindBidirectional(vm.readProperty());
        form.span(read);
        submit = Form.submit("link-submit", "Lin_k account", Feather.LINK, vm.validProperty(), vm.busyProperty());
        submit.setOnAction(e -> vm.link());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.busyProperty());
        form.span(Form.bar(submit, spin));
        form.span(Form.message("link-error", vm.errorProperty(), Styles.DANGER));
        form.span(Form.message("link-message", vm.messageProperty(), Styles.SUCCESS));
        form.submitOnEnter(form.grid(), vm::link);
        VBox link = Form.card("Link an account at another bank", Feather.LINK,
                "To pay from an account at another bank through " + vm.bankName() + ", that bank must consent. "
                        + "This window signs in there with your login for that bank (sent to that bank only), asks it "
                        + "for a consent to " + vm.bankName() + " up to the limit and for the days you choose, "
                        + "links the account here, and signs out there.", form.grid());
        link.setMaxWidth(640);

        ConsentsViewModel cvm = w.consents();
        TableView<ConsentsViewModel.Row> table = new TableView<>(cvm.rows());
        table.setId("consents-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("You gave no consents at this bank."));
        table.getColumns().add(AccountsPane.column("Account", ConsentsViewModel.Row::account));
        table.getColumns().add(AccountsPane.column("For", ConsentsViewModel.Row::grantee));
        TableColumn<ConsentsViewModel.Row, String> limit = AccountsPane.column("Limit", ConsentsViewModel.Row::limit);
        limit.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(limit);
        TableColumn<ConsentsViewModel.Row, String> left = AccountsPane.column("Left", ConsentsViewModel.Row::left);
        left.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(left);
        table.getColumns().add(AccountsPane.column("Expires", ConsentsViewModel.Row::expires));
        table.getColumns().add(AccountsPane.column("Balance", ConsentsViewModel.Row::balance));
        table.getColumns().add(AccountsPane.column("Status", ConsentsViewModel.Row::status));
        table.setPrefHeight(180);
        table.setFixedCellSize(32);
        Button refresh = Form.button("consents-refresh", "_Refresh", Feather.REFRESH_CW);
        refresh.setOnAction(e -> cvm.refresh());
        Button revoke = Form.button("consents-revoke", "Re_voke", Feather.X_CIRCLE);
        revoke.getStyleClass().add(Styles.DANGER);
        revoke.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            ConsentsViewModel.Row c = table.getSelectionModel().getSelectedItem();
            return c == null || !c.active() || cvm.busyProperty().get();
        }, table.getSelectionModel().selectedItemProperty(), cvm.busyProperty()));
        revoke.setOnAction(e -> cvm.revoke(table.getSelectionModel().getSelectedItem()));
        VBox given = Form.card("Consents I gave at " + vm.bankName(), Feather.SHIELD,
                "Other banks you let debit your accounts here. Revoking one stops every debit ordered after it.",
                table, Form.bar(refresh, revoke), Form.message("consents-message", cvm.messageProperty()));

        VBox content = new VBox(16, link, given);
        content.setPadding(new Insets(16));
        setContent(content);
        setFitToWidth(true);
    }

    Button defaultButton() {
        return submit;
    }

    ComboBox<?> firstField() {
        return bank;
    }
}
