package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** The statement of one of the person's accounts: every movement with its signed amount and the balance after. */
final class StatementPane extends VBox {


    StatementPane(CustomerViewModel w) {
        StatementViewModel vm = w.statement();
        var account = Form.choice("statement-account", vm.accounts(), vm.accountProperty(), vm::label,
                "one of your accounts");
        account.setPrefWidth(340);
        Button refresh = Form.button("statement-refresh", "_Refresh", Feather.REFRESH_CW);
        refresh.disableProperty().bind(vm.busyProperty());
        refresh.setOnAction(e -> vm.refresh());

        TableView<StatementViewModel.Row> table = new TableView<>(vm.rows());
        table.setId("statement-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No movements."));
        TableColumn<StatementViewModel.Row, String> tx = AccountsPane.column("Transaction",
                StatementViewModel.Row::transaction);
        tx.getStyleClass().add("mono");
        table.getColumns().add(tx);
        table.getColumns().add(AccountsPane.column("Kind", StatementViewModel.Row::kind));
        TableColumn<StatementViewModel.Row, String> amount = AccountsPane.column("Amount",
                StatementViewModel.Row::amount);
        amount.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        amount.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                getStyleClass().removeAll("amount-in", "amount-out");
                if (!empty && s != null) {
                    getStyleClass().add(s.startsWith("-") ? "amount-out" : "amount-in");
                }
            }
        });
        table.getColumns().add(amount);
        TableColumn<StatementViewModel.Row, String> after = AccountsPane.column("Balance after",
                StatementViewModel.Row::balanceAfter);
        after.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(after);
        table.getColumns().add(AccountsPane.column("When", StatementViewModel.Row::when));
        table.getColumns().add(AccountsPane.column("Counterparty", StatementViewModel.Row::counterparty));
        VBox.setVgrow(table, Priority.ALWAYS);

        Label message = Form.message("statement-message", vm.messageProperty(), Styles.TEXT_MUTED);
        VBox card = Form.card("Statement", Feather.LIST, null, Form.bar(Form.label("_Account", account), account,
                refresh), message, table);
        VBox.setVgrow(card, Priority.ALWAYS);
        getChildren().add(card);
        setPadding(new Insets(16));
    }
}
