package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** PIX keys: mine (add, remove) and resolving any key of the consortium. */
final class PixPane extends ScrollPane {

    private final Button submit;

    PixPane(CustomerViewModel w) {
        PixViewModel vm = w.pix();
        TableView<PixViewModel.Row> table = new TableView<>(vm.rows());
        table.setId("pix-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No PIX keys yet."));
        TableColumn<PixViewModel.Row, String> key = AccountsPane.column("Key", PixViewModel.Row::keyText);
        key.getStyleClass().add("mono");
        table.getColumns().add(key);
        table.getColumns().add(AccountsPane.column("Kind", PixViewModel.Row::kind));
        table.getColumns().add(AccountsPane.column("Account", PixViewModel.Row::account));
        table.setPrefHeight(180);
        Button remove = Form.button("pix-remove", "Re_move key", Feather.TRASH_2);
        remove.getStyleClass().add(Styles.DANGER);
        remove.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(vm.busyProperty()));
        remove.setOnAction(e -> vm.remove(table.getSelectionModel().getSelectedItem()));

        Form form = new Form();
        form.row("_Account", Form.choice("pix-account", vm.accounts(), vm.accountProperty(), vm::label,
                "one of your accounts here"), null, null);
        form.row("_Kind", Form.choice("pix-type", vm.types(), vm.typeProperty(), vm::typeLabel,
                "kind"), null, null);
        Label hint = new Label();
        hint.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        hint.textProperty().bind(vm.typeHintProperty());
        form.span(hint);
        TextField value = Form.text("pix-value", vm.valueProperty(), "maria@example.com or +5511987654321");
        value.disableProperty().bind(vm.valueNeededProperty().not());
        form.row("_Value", value, vm.valueError(), "pix-value-error");
        submit = Form.submit("pix-add", "A_dd key", Feather.PLUS, vm.validProperty(), vm.busyProperty());
        submit.setOnAction(e -> vm.add());
        form.span(submit);
        form.submitOnEnter(form.grid(), vm::add);
        Label message = Form.message("pix-message", vm.messageProperty());

        VBox mine = Form.card("My PIX keys", Feather.KEY, "A key names one account in the whole consortium: anyone "
                + "can pay it without knowing the bank or the number.", table, Form.bar(remove), form.grid(), message);

        Form resolveForm = new Form();
        resolveForm.row("Any _key", Form.text("pix-resolve-key", vm.resolveKeyProperty(),
                "a CPF, CNPJ, e-mail, phone or random key"), vm.resolveKeyError(), "pix-resolve-key-error");
        Button resolve = Form.submit("pix-resolve", "_Look up", Feather.SEARCH,
                vm.resolveKeyError().isNull(), vm.resolvingProperty());
        resolve.setOnAction(e -> vm.resolve());
        resolveForm.span(resolve);
        resolveForm.submitOnEnter(resolveForm.grid(), vm::resolve);
        Label result = Form.message("pix-resolve-result", vm.resolveMessageProperty(), Styles.TEXT_BOLD);
        VBox lookup = Form.card("Who is this key?", Feather.SEARCH, "Shows the bank, the account and the owner's "
                + "name, masked, before you pay a key.", resolveForm.grid(), result);

        VBox content = new VBox(16, mine, lookup);
        content.setPadding(new Insets(16));
        setContent(content);
        setFitToWidth(true);
    }

    Button defaultButton() {
        return submit;
    }
}
