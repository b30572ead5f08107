package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Kill and restart banks; cut, slow and restore the links between them; what happened, in words. */
public final class FaultsView extends ScrollPane {

    /** How often the page reads the links while it is shown. */
    static final Duration LINK_REFRESH = Duration.seconds(3);

    private final BankLifecycleViewModel lifecycle;
    private final LinkFaultsViewModel linkVm;

    /** {@code log}: where both ViewModels tell what they did. */
    public FaultsView(FaultLog log, BankLifecycleViewModel lifecycle, LinkFaultsViewModel links) {
        this.lifecycle = lifecycle;
        this.linkVm = links;
        setId("faults-page");
        setFitToWidth(true);
        VBox header = ConsortiumViewKit.header("Faults", Feather.ZAP, "Break the consortium on purpose and watch it "
                + "cope: a bank killed is voted out of the view and the others go on, refusing only what needs it "
                + "until it is back; a link cut or slowed holds messages back. Every bank recovers what it missed; the overview's "
                + "hashes and the audit's total tell whether anything was lost.");

        Label last = ConsortiumViewKit.muted(log.lastMessageProperty());
        last.setId("faults-message");
        last.getStyleClass().remove(Styles.TEXT_MUTED);
        last.getStyleClass().add(Styles.SUCCESS);
        Label error = ConsortiumViewKit.errorLine(log.lastErrorProperty());
        error.setId("faults-error");

        ListView<String> history = new ListView<>(log.messages());
        history.setId("faults-log");
        history.getStyleClass().add(Styles.DENSE);
        history.setPrefHeight(150);
        history.setPlaceholder(new Label("Nothing done yet."));

        VBox root = new VBox(12, header, banks(), links(), ConsortiumViewKit.card("What happened", last, error, history));
        root.setPadding(new Insets(4, 8, 8, 4));
        setContent(root);
        ConsortiumViewKit.whileShown(this, LINK_REFRESH, () -> {
            if (linkVm.linkSupportProperty().get() != LinkFaultsViewModel.LinkSupport.UNSUPPORTED) {
                linkVm.refreshLinks();
            }
        });
    }

    private VBox banks() {
        VBox box = ConsortiumViewKit.card("Banks");
        if (!lifecycle.controlsBanks()) {
            Label why = new Label(lifecycle.controlsExplanation(), new FontIcon(Feather.INFO));
            why.setId("controls-explanation");
            why.setWrapText(true);
            why.getStyleClass().add(Styles.WARNING);
            box.getChildren().add(why);
        }
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        int row = 0;
        for (BankLifecycleViewModel.BankControl c : lifecycle.banks()) {
            Label name = new Label(c.name() + " (" + c.id() + ")");
            name.getStyleClass().add(Styles.TEXT_BOLD);
            Label state = new Label();
            state.setId("bank-state-" + c.id());
            state.textProperty().bind(c.stateTextProperty());
            c.runningProperty().addListener((o, a, b) -> runningStyle(state, b));
            runningStyle(state, c.running());
            Button kill = new Button("Kill", new FontIcon(Feather.POWER));
            kill.setId("kill-" + c.id());
            kill.getStyleClass().add(Styles.DANGER);
            kill.disableProperty().bind(Bindings.createBooleanBinding(() -> !lifecycle.controlsBanks() || !c.running()
                    || c.busyProperty().get(), c.runningProperty(), c.busyProperty()));
            kill.setOnAction(e -> {
                if (confirmKill(c.id())) {
                    lifecycle.kill(c.id());
                }
            });
            Button restart = new Button("Restart", new FontIcon(Feather.ROTATE_CW));
            restart.setId("restart-" + c.id());
            restart.getStyleClass().add(Styles.SUCCESS);
            restart.disableProperty().bind(Bindings.createBooleanBinding(() -> !lifecycle.controlsBanks() || c.running()
                    || c.busyProperty().get(), c.runningProperty(), c.busyProperty()));
            restart.setOnAction(e -> lifecycle.restart(c.id()));
            Button retire = new Button("Retire", new FontIcon(Feather.LOG_OUT));
            retire.setId("retire-" + c.id());
            retire.disableProperty().bind(Bindings.createBooleanBinding(() -> !c.running()
                    || c.busyProperty().get(), c.runningProperty(), c.busyProperty()));
            retire.setTooltip(new javafx.scene.control.Tooltip("Take " + c.id() + " out of the consortium for good: "
                    + "only when every account there is empty"));
            retire.setOnAction(e -> {
                if (confirm("retire", "Retire " + c.id(), "Retire bank " + c.id() + "?", "Bank " + c.id()
                        + " leaves the consortium for good, only if every account there is empty (else it is "
                        + "refused and nothing changes). The others go on without it.")) {
                    lifecycle.retire(c.id());
                }
            });
            g.addRow(row++, name, state, kill, restart, retire);
        }
        box.getChildren().add(g);
        return box;
    }

    private static void runningStyle(Label l, boolean running) {
        l.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        l.getStyleClass().add(running ? Styles.SUCCESS : Styles.DANGER);
    }

    /** Asks before killing: the bank stops at once, whatever it is doing. */
    private boolean confirmKill(String id) {
        return confirm("kill", "Kill " + id, "Kill bank " + id + "?", "Bank " + id + " stops at once, in the middle "
                + "of whatever it is doing. The others vote it out and go on; transfers that need it are refused until "
                + "you restart it; nothing it acknowledged is lost.");
    }

    /** A confirmation dialog ({@code what}-confirmation) whose OK button says {@code action}. */
    private boolean confirm(String what, String action, String header, String text) {
        ButtonType ok = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ok, ButtonType.CANCEL);
        a.setTitle(action);
        a.setHeaderText(header);
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
            a.getDialogPane().getStylesheets().addAll(getScene().getStylesheets());
        }
        a.getDialogPane().setId(what + "-confirmation");
        Optional<ButtonType> r = a.showAndWait();
        return r.isPresent() && r.get() == ok;
    }

    private VBox links() {
        Label support = new Label();
        support.setId("link-support");
        support.setWrapText(true);
        support.textProperty().bind(linkVm.linkSupportTextProperty());
        linkVm.linkSupportProperty().addListener((o, a, b) -> supportStyle(support, b));
        supportStyle(support, linkVm.linkSupportProperty().get());

        ComboBox<String> from = new ComboBox<>();
        ComboBox<String> to = new ComboBox<>();
        from.setId("link-from");
        to.setId("link-to");
        from.getItems().setAll(linkVm.bankIds());
        to.getItems().setAll(linkVm.bankIds());
        from.valueProperty().bindBidirectional(linkVm.linkFromProperty());
        to.valueProperty().bindBidirectional(linkVm.linkToProperty());
        CheckBox both = new CheckBox("both ways");
        both.setId("link-both-ways");
        both.selectedProperty().bindBidirectional(linkVm.bothWaysProperty());
        TextField delay = new TextField();
        delay.setId("link-delay");
        delay.setPrefColumnCount(6);
        delay.textProperty().bindBidirectional(linkVm.delayMsProperty());
        linkVm.delayValidProperty().addListener((o, a, b) -> delay.pseudoClassStateChanged(ConsortiumViewKit.DANGER, !b));
        Label delayLabel = new Label("_Delay (ms)");
        delayLabel.setMnemonicParsing(true);
        delayLabel.setLabelFor(delay);

        var off = linkVm.linkSupportProperty().isEqualTo(LinkFaultsViewModel.LinkSupport.UNSUPPORTED)
                .or(linkVm.linksBusyProperty()).or(linkVm.pairValidProperty().not());
        Button cut = new Button("_Cut", new FontIcon(Feather.SCISSORS));
        cut.setId("link-cut");
        cut.disableProperty().bind(off);
        cut.setOnAction(e -> linkVm.cutLink());
        Button slow = new Button("_Slow", new FontIcon(Feather.CLOCK));
        slow.setId("link-slow");
        slow.disableProperty().bind(off.or(linkVm.delayValidProperty().not()));
        slow.setOnAction(e -> linkVm.slowLink());
        Button restore = new Button("Rest_ore", new FontIcon(Feather.LINK));
        restore.setId("link-restore");
        restore.disableProperty().bind(off);
        restore.setOnAction(e -> linkVm.restoreLink());
        Button restoreAll = new Button("Restore _all", new FontIcon(Feather.LINK_2));
        restoreAll.disableProperty().bind(linkVm.linkSupportProperty()
                .isEqualTo(LinkFaultsViewModel.LinkSupport.UNSUPPORTED).or(linkVm.linksBusyProperty()));
        restoreAll.setOnAction(e -> linkVm.restoreAllLinks());
        Button refresh = new Button(null, new FontIcon(Feather.REFRESH_CW));
        refresh.getStyleClass().addAll(Styles.BUTTON_ICON);
        refresh.setOnAction(e -> linkVm.refreshLinks());
        refresh.disableProperty().bind(linkVm.linksBusyProperty());

        HBox form = ConsortiumViewKit.row(new Label("From"), from, new Label("to"), to, both, delayLabel, delay);
        HBox actions = ConsortiumViewKit.row(cut, slow, restore, restoreAll, refresh);
        Label pairError = ConsortiumViewKit.errorLine(linkVm.pairErrorProperty());
        Label delayError = ConsortiumViewKit.errorLine(linkVm.delayErrorProperty());

        TableView<LinkFaultsViewModel.LinkRow> table = new TableView<>(linkVm.links());
        table.setId("link-table");
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(180);
        table.getColumns().add(col("Pair", LinkFaultsViewModel.LinkRow::pair));
        table.getColumns().add(col("First \u2192 second", LinkFaultsViewModel.LinkRow::aToB));
        table.getColumns().add(col("Second \u2192 first", LinkFaultsViewModel.LinkRow::bToA));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                linkVm.linkFromProperty().set(b.a());
                linkVm.linkToProperty().set(b.b());
            }
        });
        return ConsortiumViewKit.card("Links", support, form, actions, pairError, delayError, table);
    }

    private static void supportStyle(Label l, LinkFaultsViewModel.LinkSupport s) {
        l.getStyleClass().removeAll(Styles.WARNING, Styles.TEXT_MUTED);
        l.getStyleClass().add(s == LinkFaultsViewModel.LinkSupport.UNSUPPORTED ? Styles.WARNING : Styles.TEXT_MUTED);
    }

    private static TableColumn<LinkFaultsViewModel.LinkRow, String> col(
            String title, Function<LinkFaultsViewModel.LinkRow, String> f) {
        TableColumn<LinkFaultsViewModel.LinkRow, String> c = new TableColumn<>(title);
        c.setSortable(false);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                getStyleClass().removeAll("status-aborted", "status-pending");
                if (!empty && item != null && item.startsWith("CUT")) {
                    getStyleClass().add("status-aborted");
                } else if (!empty && item != null && item.startsWith("SLOW")) {
                    getStyleClass().add("status-pending");
                }
            }
        });
        return c;
    }
}
