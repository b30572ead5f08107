package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The load generator: a validated form, Start and Stop, progress, counters and latency. */
public final class LoadView extends ScrollPane {

    public LoadView(LoadViewModel vm) {
        setId("load-page");
        setFitToWidth(true);
        VBox header = ConsortiumViewKit.header("Load", Feather.TRENDING_UP, "Synthetic customers, each with an "
                + "account at every bank, transfer small amounts to each other across banks: one or two legs, at the "
                + "rate you choose (0 = as fast as the banks answer). Watch the Messages, Queues and Charts pages "
                + "meanwhile; the audit's total must not move.");

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(6);
        TextField clients = field(form, 0, "_Clients", "1 to 64", vm.clientsProperty(), vm.clientsErrorProperty(),
                "load-clients");
        field(form, 1, "_Rate per second", "0 = no limit, up to 10000", vm.rateProperty(), vm.rateErrorProperty(),
                "load-rate");
        field(form, 2, "_Duration (s)", "1 to 3600", vm.durationProperty(), vm.durationErrorProperty(),
                "load-duration");

        Button start = new Button("_Start", new FontIcon(Feather.PLAY));
        start.setId("load-start");
        start.setDefaultButton(true);
        start.getStyleClass().add(Styles.ACCENT);
        start.disableProperty().bind(vm.canStartProperty().not());
        start.setOnAction(e -> vm.start());
        Button stop = new Button("S_top", new FontIcon(Feather.SQUARE));
        stop.setId("load-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());

        ProgressBar bar = new ProgressBar();
        bar.setId("load-progress");
        bar.progressProperty().bind(vm.fractionProperty());
        bar.setPrefWidth(420);
        Label phase = new Label();
        phase.setId("load-phase");
        phase.textProperty().bind(vm.phaseProperty());

        FlowPane counters = new FlowPane(12, 12,
                counter("Committed", vm.committedProperty().asString(), "load-committed", Styles.SUCCESS),
                counter("Aborted", vm.abortedProperty().asString(), "load-aborted", Styles.WARNING),
                counter("Failed", vm.failedProperty().asString(), "load-failed", Styles.DANGER),
                counter("p50 latency", vm.p50Property(), "load-p50", null),
                counter("p99 latency", vm.p99Property(), "load-p99", null));
        Label summary = ConsortiumViewKit.muted(vm.summaryProperty());
        summary.setId("load-summary");
        Label error = ConsortiumViewKit.errorLine(vm.errorProperty());
        error.setId("load-error");
        Label failedNote = new Label("Failed: refused (a bank offline, 503) or not decided in time; aborted: decided "
                + "NO by a bank (e.g. not enough funds).");
        failedNote.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        failedNote.setWrapText(true);

        VBox root = new VBox(12, header,
                ConsortiumViewKit.card("Settings", form, ConsortiumViewKit.row(start, stop)),
                ConsortiumViewKit.card("Progress", ConsortiumViewKit.row(bar, phase), counters, failedNote, summary,
                        error));
        root.setPadding(new Insets(4, 8, 8, 4));
        setContent(root);
        clients.sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                clients.requestFocus();
            }
        });
    }

    private static TextField field(GridPane form, int row, String label, String hint, StringProperty value,
                                   StringBinding error, String id) {
        TextField f = new TextField();
        f.setId(id);
        f.setPrefColumnCount(8);
        f.textProperty().bindBidirectional(value);
        f.setPromptText(hint);
        Label l = new Label(label);
        l.setMnemonicParsing(true);
        l.setLabelFor(f);
        Label h = new Label(hint);
        h.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Label err = ConsortiumViewKit.errorLine(error);
        err.setId(id + "-error");
        error.addListener((o, a, b) -> f.pseudoClassStateChanged(ConsortiumViewKit.DANGER, !b.isEmpty()));
        f.pseudoClassStateChanged(ConsortiumViewKit.DANGER, !error.get().isEmpty());
        form.addRow(row, l, f, h, err);
        return f;
    }

    private static VBox counter(String title, ObservableValue<String> value, String id, String style) {
        Label t = new Label(title);
        t.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Label v = new Label();
        v.setId(id);
        v.textProperty().bind(value);
        v.getStyleClass().add(Styles.TITLE_3);
        if (style != null) {
            // coloured once there is something to count
            v.textProperty().addListener((o, a, b) -> {
                v.getStyleClass().remove(style);
                if (!"0".equals(b)) {
                    v.getStyleClass().add(style);
                }
            });
        }
        VBox b = new VBox(2, t, v);
        b.getStyleClass().add("card");
        b.setPadding(new Insets(8, 14, 8, 14));
        b.setMinWidth(120);
        return b;
    }
}
