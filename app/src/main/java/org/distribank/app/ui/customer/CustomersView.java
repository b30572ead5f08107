package org.distribank.app.ui.customer;

import atlantafx.base.theme.Styles;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Customers page of the main window: pick a bank, open a customer window there, see the windows open. Each
 * customer window is a Stage of its own (several people act at once), titled with the person and the bank.
 */
public final class CustomersView extends VBox {

    /** The app's stylesheet on its class path (assets/styles/distribank.css). */
    public static final String STYLESHEET = "/org/distribank/assets/styles/distribank.css";

    private final CustomersViewModel vm;
    private final Map<CustomerViewModel, Stage> stages = new HashMap<>();
    private boolean watching;

    public CustomersView(CustomersViewModel vm) {
        this.vm = vm;
        getStyleClass().add("customers-page");
        Label title = new Label("Customers");
        title.getStyleClass().add("page-title");
        Label intro = new Label("A customer window is one person at one bank, with a session of its own. Open several "
                + "to act as several people at once: their transfers meet in the consortium's total order.");
        intro.setWrapText(true);
        intro.getStyleClass().add(Styles.TEXT_MUTED);

        var bank = Form.choice("customers-bank", vm.banks(), vm.bankProperty(), vm::bankLabel, "a bank");
        bank.setMaxWidth(280);
        Button open = Form.button("customers-open-window", "Open a _customer window", Feather.LOG_IN);
        open.getStyleClass().add(Styles.ACCENT);
        open.disableProperty().bind(vm.canOpenProperty().not());
        open.setOnAction(e -> vm.openWindow());
        Button account = Form.button("customers-open-account", "Open an _account", Feather.USER_PLUS);
        account.disableProperty().bind(vm.canOpenProperty().not());
        account.setOnAction(e -> vm.openAccount());
        Label error = Form.message("customers-error", vm.errorProperty(), Styles.DANGER);
        VBox start = Form.card("Start", Feather.HOME, "Sign in as a customer of a bank, or open a new account there "
                + "(personal, joint or business).", Form.bar(Form.label("_Bank", bank), bank), new VBox(8, open, account),
                error);
        open.setMinWidth(Button.USE_PREF_SIZE);
        account.setMinWidth(Button.USE_PREF_SIZE);

        ListView<CustomerViewModel> list = new ListView<>(vm.windows());
        list.setId("customers-windows");
        list.setPlaceholder(new Label("No customer window is open."));
        list.setPrefHeight(220);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(CustomerViewModel w, boolean empty) {
                super.updateItem(w, empty);
                textProperty().unbind();
                if (empty || w == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    textProperty().bind(w.titleProperty());
                    setGraphic(new FontIcon(Feather.USER));
                }
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                front(list.getSelectionModel().getSelectedItem());
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                front(list.getSelectionModel().getSelectedItem());
            }
        });
        Button show = Form.button("customers-show", "_Show", Feather.MAXIMIZE_2);
        show.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        show.setOnAction(e -> front(list.getSelectionModel().getSelectedItem()));
        Button close = Form.button("customers-close", "C_lose", Feather.X);
        close.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        close.setOnAction(e -> vm.closed(list.getSelectionModel().getSelectedItem()));
        VBox windows = Form.card("Customer windows", Feather.USERS, "Double-click to bring one to the front.", list,
                Form.bar(show, close));
        VBox.setVgrow(list, Priority.ALWAYS);

        HBox cards = new HBox(16, start, windows);
        HBox.setHgrow(start, Priority.ALWAYS);
        HBox.setHgrow(windows, Priority.ALWAYS);
        start.setPrefWidth(420);
        windows.setPrefWidth(420);
        getChildren().addAll(title, intro, cards);
        setSpacing(12);
        setPadding(new Insets(8));

        vm.windows().addListener((ListChangeListener<CustomerViewModel>) c -> {
            while (c.next()) {
                c.getRemoved().forEach(this::dispose);
                c.getAddedSubList().forEach(this::window);
            }
        });
        vm.windows().forEach(this::window);
        // the main window closing (the app ends) closes the customer windows and signs them out
        sceneProperty().flatMap(Scene::windowProperty).addListener((o, a, win) -> {
            if (win != null && !watching) {
                watching = true; // once: the page leaves the scene while another page is shown
                win.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> vm.closeAll());
            }
        });
    }

    public CustomersViewModel viewModel() {
        return vm;
    }

    /** The window of {@code w}, while it is open. */
    public Stage stageOf(CustomerViewModel w) {
        return stages.get(w);
    }

    private void window(CustomerViewModel w) {
        Stage s = new Stage();
        Scene scene = new Scene(new CustomerView(w), 1040, 720);
        URL css = CustomersView.class.getResource(STYLESHEET);
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        s.setScene(scene);
        s.titleProperty().bind(w.titleProperty().map(t -> t + " · DistriBank"));
        s.setMinWidth(760);
        s.setMinHeight(520);
        s.setOnHidden(e -> vm.closed(w)); // the person closed it (or the app is closing)
        stages.put(w, s);
        s.show();
        s.toFront();
    }

    private void dispose(CustomerViewModel w) {
        Stage s = stages.remove(w);
        if (s != null && s.isShowing()) {
            s.hide();
        }
    }

    private void front(CustomerViewModel w) {
        Stage s = w == null ? null : stages.get(w);
        if (s != null) {
            s.show();
            s.toFront();
            s.requestFocus();
        }
    }
}
