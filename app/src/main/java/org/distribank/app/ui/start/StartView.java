package org.distribank.app.ui.start;

import atlantafx.base.theme.Styles;
import java.io.File;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The start screen: launch here, connect to running banks, or pick a recent consortium. */
public final class StartView extends BorderPane {

    public StartView(StartViewModel vm) {
        getStyleClass().add("start-view");
        Label title = new Label("DistriBank", new FontIcon(Feather.LAYERS));
        title.getStyleClass().add(Styles.TITLE_1);
        Label tagline = new Label("A consortium of banks with no central bank. Every transfer is ordered by a "
                + "vector-clock totally ordered multicast and decided by the banks' votes.");
        tagline.getStyleClass().add(Styles.TEXT_MUTED);
        tagline.setWrapText(true);
        VBox header = new VBox(4, title, tagline);
        header.setPadding(new Insets(24, 24, 8, 24));
        setTop(header);

        HBox cards = new HBox(16, launchCard(vm), connectCard(vm), recentCard(vm));
        cards.setPadding(new Insets(8, 24, 8, 24));
        cards.getChildren().forEach(c -> HBox.setHgrow(c, Priority.ALWAYS));
        setCenter(cards);

        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(20, 20);
        spinner.visibleProperty().bind(vm.busyProperty());
        spinner.managedProperty().bind(vm.busyProperty());
        Label status = new Label();
        status.setId("start-status");
        status.textProperty().bind(vm.statusProperty());
        Label error = new Label();
        error.setId("start-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        HBox footer = new HBox(8, spinner, status, error);
        footer.setAlignment(Pos.CENTER_LEFT);
        footer.setPadding(new Insets(8, 24, 24, 24));
        setBottom(footer);
    }

    private static VBox card(String heading, Feather icon, String text) {
        Label h = new Label(heading, new FontIcon(icon));
        h.getStyleClass().add(Styles.TITLE_3);
        Label t = new Label(text);
        t.setWrapText(true);
        t.getStyleClass().add(Styles.TEXT_MUTED);
        VBox box = new VBox(12, h, t);
        box.setPadding(new Insets(16));
        box.getStyleClass().add("card");
        box.setPrefWidth(340);
        return box;
    }

    private VBox launchCard(StartViewModel vm) {
        VBox box = card("Launch on this computer", Feather.PLAY_CIRCLE,
                "Starts a data server and the banks on 127.0.0.1. The same data directory resumes the same "
                        + "consortium with its accounts and money.");
        Spinner<Integer> banks = new Spinner<>(StartViewModel.MIN_BANKS, StartViewModel.MAX_BANKS,
                vm.banksProperty().get());
        banks.setId("launch-banks");
        banks.setEditable(true);
        banks.valueProperty().addListener((o, a, b) -> vm.banksProperty().set(b));
        vm.banksProperty().addListener((o, a, b) -> banks.getValueFactory().setValue(b.intValue()));
        TextField dir = new TextField();
        dir.setId("launch-dir");
        dir.textProperty().bindBidirectional(vm.dataDirProperty());
        Button browse = new Button(null, new FontIcon(Feather.FOLDER));
        browse.setTooltip(new Tooltip("Choose the data directory"));
        browse.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Data directory of the consortium");
            File f = ch.showDialog(getScene().getWindow());
            if (f != null) {
                vm.dataDirProperty().set(f.getPath());
            }
        });
        HBox dirRow = new HBox(4, dir, browse);
        HBox.setHgrow(dir, Priority.ALWAYS);
        CheckBox separate = new CheckBox("A data server for each bank");
        separate.setId("launch-separate");
        separate.selectedProperty().bindBidirectional(vm.separateDataServersProperty());
        CheckBox processes = new CheckBox("Each bank its own process (kill -9 from the fault controls)");
        processes.setId("launch-processes");
        processes.setWrapText(true);
        processes.selectedProperty().bindBidirectional(vm.processesProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Banks"), banks);
        form.addRow(1, new Label("Data"), dirRow);
        GridPane.setHgrow(dirRow, Priority.ALWAYS);
        Button launch = new Button("Launch", new FontIcon(Feather.PLAY));
        launch.setId("launch-button");
        launch.setDefaultButton(true);
        launch.getStyleClass().add(Styles.ACCENT);
        launch.disableProperty().bind(vm.launchValidProperty().not().or(vm.busyProperty()));
        launch.setOnAction(e -> vm.launch());
        box.getChildren().addAll(form, separate, processes, launch);
        return box;
    }

    private VBox connectCard(StartViewModel vm) {
        VBox box = card("Connect to running banks", Feather.LINK,
                "Bank URLs, one per line. With the operator token one URL is enough, and the consortium pages "
                        + "(queues, clocks, messages) are shown. Each bank has its own token: paste one, "
                        + "b1=TOKEN b2=TOKEN, or the launcher's JSON line.");
        TextArea urls = new TextArea();
        urls.setId("connect-urls");
        urls.setPromptText("http://127.0.0.1:7001");
        urls.setPrefRowCount(4);
        urls.textProperty().bindBidirectional(vm.urlsProperty());
        PasswordField token = new PasswordField();
        token.setId("connect-token");
        token.setPromptText("Operator token (optional)");
        token.textProperty().bindBidirectional(vm.operatorTokenProperty());
        token.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                vm.connect();
            }
        });
        Button connect = new Button("Connect", new FontIcon(Feather.LOG_IN));
        connect.setId("connect-button");
        connect.disableProperty().bind(vm.connectValidProperty().not().or(vm.busyProperty()));
        connect.setOnAction(e -> vm.connect());
        box.getChildren().addAll(urls, token, connect);
        return box;
    }

    private VBox recentCard(StartViewModel vm) {
        VBox box = card("Recent", Feather.CLOCK, "Double-click to fill the form again.");
        ListView<String> list = new ListView<>(vm.recentLabels());
        list.setId("recent-list");
        list.setPlaceholder(new Label("Nothing yet."));
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                vm.use(list.getSelectionModel().getSelectedIndex());
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                vm.use(list.getSelectionModel().getSelectedIndex());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        box.getChildren().addAll(new Separator(), list);
        return box;
    }
}
