package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

/** Deposits and withdrawals at the window's bank, and how the last one ended. */
final class CashPane extends VBox {

    private final Button submit;
    private final ComboBox<?> account;

    CashPane(CustomerViewModel w) {
        CashViewModel vm = w.cash();
        ToggleGroup g = new ToggleGroup();
        ToggleButton deposit = Form.toggle("cash-kind-deposit", "_Deposit", CashViewModel.Kind.DEPOSIT, g, Styles.LEFT_PILL);
        ToggleButton withdraw = Form.toggle("cash-kind-withdraw", "_Withdraw", CashViewModel.Kind.WITHDRAWAL, g,
                Styles.RIGHT_PILL);
        g.selectToggle(vm.kindProperty().get() == CashViewModel.Kind.WITHDRAWAL ? withdraw : deposit);
        g.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                g.selectToggle(a);
            } else {
                vm.kindProperty().set((CashViewModel.Kind) t.getUserData());
            }
        });
        vm.kindProperty().addListener((o, a, k) -> g.selectToggle(k == CashViewModel.Kind.WITHDRAWAL ? withdraw
                : deposit));

        Form form = new Form();
        form.span(OpenAccountPane.pills(deposit, withdraw));
        account = form.row("_Account", Form.choice("cash-account", vm.accounts(), vm.accountProperty(), vm::label,
                "one of your accounts here"), vm.accountError(), "cash-account-error");
        form.row("A_mount", Form.text("cash-amount", vm.amountProperty(), "R$ 0,00"), vm.amountError(),
                "cash-amount-error");
        submit = Form.submit("cash-submit", "Deposit", Feather.ARROW_DOWN_CIRCLE, vm.validProperty(), vm.busyProperty());
        submit.textProperty().bind(Bindings.createStringBinding(() -> vm.kindProperty().get()
                == CashViewModel.Kind.WITHDRAWAL ? "Withdraw" : "Deposit", vm.kindProperty()));
        submit.setOnAction(e -> vm.submit());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.busyProperty());
        form.span(Form.bar(submit, spin));
        form.submitOnEnter(form.grid(), vm::submit);

        VBox card = Form.card("Deposit or withdraw", Feather.DOLLAR_SIGN,
                "Money in or out of an account at " + vm.bankName() + ". Like every movement, it is ordered by the "
                        + "whole consortium before it counts.", form.grid(), outcome(vm));
        card.setMaxWidth(560);
        getChildren().add(card);
        setPadding(new Insets(16));
    }

    Button defaultButton() {
        return submit;
    }

    ComboBox<?> firstField() {
        return account;
    }

    private static VBox outcome(CashViewModel vm) {
        Label status = new Label();
        status.setId("cash-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add(Styles.TEXT_BOLD);
        vm.statusProperty().addListener((o, a, s) -> status.getStyleClass().setAll("label", Styles.TEXT_BOLD,
                Outcomes.styleClass(s)));
        Label message = Form.message("cash-message", vm.messageProperty());
        Label order = Form.message("cash-order", vm.orderProperty(), Styles.TEXT_MUTED, Styles.TEXT_SMALL, "mono");
        return new VBox(4, status, message, order);
    }
}
