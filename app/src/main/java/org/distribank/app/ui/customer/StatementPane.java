package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.StatementEntry;
import org.distribank.app.ui.common.Money;
import org.kordamp.ikonli.feather.Feather;

/** The statement of one of the person's accounts: every movement with its signed amount and the balance after. */
final class StatementPane extends VBox {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    StatementPane(CustomerViewModel w) {
        StatementViewModel vm = w.statement();
        ComboBox<AccountRef> account = Form.choice("statement-account", w.hereAccounts(), vm.accountProperty(), w::label,
                "one of your accounts");
        account.setPrefWidth(340);
        Button refresh = Form.button("statement-refresh", "_Refresh", Feather.REFRESH_CW);
        refresh.disableProperty().bind(vm.busyProperty());
        refresh.setOnAction(e -> vm.refresh());

        TableView<StatementEntry> table = new TableView<>(vm.entries());
        table.setId("statement-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No movements."));
        TableColumn<StatementEntry, String> tx = AccountsPane.column("Transaction", StatementEntry::transaction);
        tx.getStyleClass().add("mono");
        table.getColumns().add(tx);
        table.getColumns().add(AccountsPane.column("Kind", e -> kind(e.kind())));
        TableColumn<StatementEntry, String> amount = AccountsPane.column("Amount", e -> Money.signed(e.amount()));
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
        TableColumn<StatementEntry, String> after = AccountsPane.column("Balance after",
                e -> Money.format(e.balanceAfter()));
        after.getStyleClass().addAll(Tweaks.ALIGN_RIGHT, "mono");
        table.getColumns().add(after);
        table.getColumns().add(AccountsPane.column("When", e -> when(e.at())));
        table.getColumns().add(AccountsPane.column("Counterparty", e -> e.counterparty() == null ? ""
                : e.counterparty()));
        VBox.setVgrow(table, Priority.ALWAYS);

        Label message = Form.message("statement-message", vm.messageProperty(), Styles.TEXT_MUTED);
        VBox card = Form.card("Statement", Feather.LIST, null, Form.bar(Form.label("_Account", account), account,
                refresh), message, table);
        VBox.setVgrow(card, Priority.ALWAYS);
        getChildren().add(card);
        setPadding(new Insets(16));
    }

    static String kind(String k) {
        if (k == null) {
            return "";
        }
        return switch (k) {
            case "DEPOSIT" -> "Deposit";
            case "WITHDRAWAL" -> "Withdrawal";
            case "TRANSFER_IN" -> "Transfer in";
            case "TRANSFER_OUT" -> "Transfer out";
            default -> k;
        };
    }

    /** The bank gives epoch milliseconds (or an ISO instant): local date and time. */
    static String when(String at) {
        if (at == null || at.isBlank()) {
            return "";
        }
        try {
            return WHEN.format(at.matches("[0-9]+") ? Instant.ofEpochMilli(Long.parseLong(at)) : Instant.parse(at));
        } catch (DateTimeParseException | NumberFormatException e) {
            return at;
        }
    }
}
