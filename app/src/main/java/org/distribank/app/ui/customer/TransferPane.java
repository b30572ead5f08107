package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The transfer builder: a row per leg (from one of my accounts at any bank, to an account or a PIX key, an
 * amount), the total, and the transfer's live status with its place in the total order. The leg the banks
 * refused is highlighted.
 */
final class TransferPane extends ScrollPane {

    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final Button submit;
    private final VBox rows = new VBox(8);
    private final BooleanProperty attempted = new SimpleBooleanProperty(false);

    TransferPane(CustomerViewModel w) {
        TransferViewModel vm = w.transfer();
        rows.setId("transfer-legs");
        vm.legs().addListener((ListChangeListener<LegViewModel>) c -> rebuild(w));
        rebuild(w);

        Button add = Form.button("transfer-add-leg", "Add _leg", Feather.PLUS);
        add.disableProperty().bind(vm.busyProperty());
        add.setOnAction(e -> {
            vm.addLeg();
            rows.getChildren().get(rows.getChildren().size() - 1).lookup(".leg-from").requestFocus();
        });
        Label total = new Label();
        total.setId("transfer-total");
        total.getStyleClass().addAll(Styles.TITLE_4, "mono");
        total.textProperty().bind(Bindings.concat("Total ", vm.totalTextProperty()));
        HBox spacer = new HBox();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        submit = Form.submit("transfer-submit", "_Send transfer", Feather.SEND, vm.validProperty(), vm.busyProperty());
        submit.setOnAction(e -> vm.submit());
        Button fresh = Form.button("transfer-new", "_New transfer", Feather.FILE_PLUS);
        fresh.disableProperty().bind(vm.busyProperty());
        fresh.setOnAction(e -> {
            attempted.set(false);
            vm.newTransfer();
        });
        Label problem = Form.message("transfer-problem", vm.problemProperty().orElse(""), Styles.TEXT_MUTED);
        HBox actions = Form.bar(add, spacer, total, submit, fresh);

        VBox builder = Form.card("Transfer", Feather.REPEAT,
                "Pay from any of your accounts here, or from an account at another bank linked here (within its "
                        + "consent), to any account or PIX key of the consortium. All legs happen together or none does.", rows, actions, problem);
        builder.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && !(e.getTarget() instanceof javafx.scene.control.ButtonBase)) {
                attempted.set(true);
                vm.submit();
                e.consume();
            }
        });

        VBox content = new VBox(16, builder, status(vm));
        content.setPadding(new Insets(16));
        setContent(content);
        setFitToWidth(true);
    }

    Button defaultButton() {
        return submit;
    }

    private static VBox status(TransferViewModel vm) {
        Label status = new Label();
        status.setId("transfer-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add(Styles.TITLE_4);
        vm.statusProperty().addListener((o, a, s) -> status.getStyleClass().setAll("label", Styles.TITLE_4,
                Outcomes.styleClass(s)));
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.busyProperty());
        spin.managedProperty().bind(vm.busyProperty());
        Label text = Form.message("transfer-status-text", vm.statusTextProperty());
        Label order = Form.message("transfer-order", vm.orderProperty(), Styles.TEXT_MUTED, "mono");
        Label id = Form.message("transfer-id", Bindings.createStringBinding(() -> vm.transactionIdProperty().get()
                .isEmpty() ? "" : "Transaction " + vm.transactionIdProperty().get(), vm.transactionIdProperty()),
                Styles.TEXT_MUTED, Styles.TEXT_SMALL, "mono");
        VBox box = Form.card("Status", Feather.ACTIVITY, null, Form.bar(spin, status), text, order, id);
        box.visibleProperty().bind(Bindings.createBooleanBinding(() -> !vm.statusTextProperty().get().isEmpty(),
                vm.statusTextProperty()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private void rebuild(CustomerViewModel w) {
        List<LegViewModel> legs = w.transfer().legs();
        rows.getChildren().clear();
        for (int i = 0; i < legs.size(); i++) {
            rows.getChildren().add(row(w, legs.get(i), i));
        }
    }

    private VBox row(CustomerViewModel w, LegViewModel leg, int i) {
        TransferViewModel vm = w.transfer();
        String p = "leg-" + i + "-";
        BooleanProperty touched = new SimpleBooleanProperty(false);

        Label number = new Label("Leg " + (i + 1));
        number.getStyleClass().addAll(Styles.TEXT_BOLD, "leg-number");
        number.setMinWidth(48);
        var from = Form.choice(p + "from", vm.fromAccounts(), leg.fromProperty(), vm::label, "from");
        from.getStyleClass().add("leg-from");
        from.setPrefWidth(260);
        ComboBox<LegViewModel.Target> target = Form.choice(p + "target",
                FXCollections.observableArrayList(LegViewModel.Target.values()), leg.targetProperty(),
                LegViewModel.Target::toString, "to");
        target.setPrefWidth(110);
        var bank = Form.choice(p + "bank", FXCollections.observableArrayList(vm.banks()), leg.toBankProperty(),
                vm::bankName, "bank");
        bank.setPrefWidth(110);
        TextField account = Form.text(p + "account", leg.toAccountProperty(), "account");
        account.setPrefColumnCount(6);
        TextField pix = Form.text(p + "pix", leg.pixKeyProperty(), "PIX key: CPF, e-mail, +55..., random");
        pix.setPrefColumnCount(18);
        TextField amount = Form.text(p + "amount", leg.amountProperty(), "R$ 0,00");
        amount.setPrefColumnCount(8);
        Button remove = new Button(null, new FontIcon(Feather.TRASH_2));
        remove.setId(p + "remove");
        remove.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.DANGER);
        remove.setTooltip(new javafx.scene.control.Tooltip("Remove this leg"));
        remove.disableProperty().bind(Bindings.size(vm.legs()).lessThan(2).or(vm.busyProperty()));
        remove.setOnAction(e -> vm.removeLeg(leg));

        for (Control c : List.of(bank, account)) {
            c.visibleProperty().bind(leg.targetProperty().isEqualTo(LegViewModel.Target.ACCOUNT));
            c.managedProperty().bind(c.visibleProperty());
        }
        pix.visibleProperty().bind(leg.targetProperty().isEqualTo(LegViewModel.Target.PIX_KEY));
        pix.managedProperty().bind(pix.visibleProperty());

        mark(from, leg.fromError(), touched);
        mark(bank, leg.toBankError(), touched);
        mark(account, Bindings.createStringBinding(() -> leg.toAccountError().get() != null ? leg.toAccountError().get()
                : leg.sameAccountError().get(), leg.toAccountError(), leg.sameAccountError()), touched);
        mark(pix, leg.pixKeyError(), touched);
        mark(amount, leg.amountError(), touched);
        for (Control c : List.of(from, target, bank, account, pix, amount)) {
            c.focusedProperty().addListener((o, a, f) -> {
                if (!f) {
                    touched.set(true);
                }
            });
        }

        HBox line = new HBox(8, number, from, new Label(null, new FontIcon(Feather.ARROW_RIGHT)), target, bank, account,
                pix, amount, remove);
        line.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(pix, Priority.ALWAYS);
        HBox.setHgrow(from, Priority.SOMETIMES);

        Label problem = new Label();
        problem.setId(p + "problem");
        problem.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
        problem.setWrapText(true);
        var show = Bindings.createBooleanBinding(() -> (touched.get() || attempted.get())
                && leg.problemProperty().get() != null, touched, attempted, leg.problemProperty());
        problem.textProperty().bind(Bindings.createStringBinding(() -> show.get() ? leg.problemProperty().get() : "",
                show, leg.problemProperty()));
        problem.visibleProperty().bind(show);
        problem.managedProperty().bind(show);

        Label failed = new Label("The banks refused this leg: see the status below.", new FontIcon(Feather.ALERT_TRIANGLE));
        failed.setId(p + "failed");
        failed.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
        failed.visibleProperty().bind(leg.failedProperty());
        failed.managedProperty().bind(failed.visibleProperty());

        VBox box = new VBox(4, line, problem, failed);
        box.setId(p + "row");
        box.getStyleClass().add("leg-row");
        box.setPadding(new Insets(8));
        box.pseudoClassStateChanged(FAILED, leg.failedProperty().get());
        leg.failedProperty().addListener((o, a, f) -> box.pseudoClassStateChanged(FAILED, f));
        box.disableProperty().bind(vm.busyProperty());
        return box;
    }

    /** Marks {@code field} in danger while its error stands and the leg was touched (or sending was tried). */
    private void mark(Control field, ObservableStringValue error, BooleanProperty touched) {
        var bad = Bindings.createBooleanBinding(() -> (touched.get() || attempted.get()) && error.get() != null,
                touched, attempted, error);
        field.pseudoClassStateChanged(Styles.STATE_DANGER, bad.get());
        bad.addListener((o, a, b) -> field.pseudoClassStateChanged(Styles.STATE_DANGER, b));
        field.getProperties().put("danger-binding", bad); // kept alive with the field
    }
}
