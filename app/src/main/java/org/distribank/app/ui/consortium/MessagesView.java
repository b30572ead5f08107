package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The live space-time diagram with pause and step, the transaction follower and the ShiViz export. */
public final class MessagesView extends BorderPane {

    public MessagesView(MessagesViewModel vm) {
        setId("messages-page");
        VBox header = ConsortiumViewKit.header("Messages", Feather.SHARE_2, "A space-time diagram of the protocol: "
                + "a line per bank, time to the right, a dot per event and an arrow per message (operations blue, "
                + "votes orange, ACKs grey); a dashed line labelled with its epoch where the banks installed a new "
                + "view, and the lanes of banks out of the view faint. Pause to read it while events keep being "
                + "collected; step through them one by one. Follow a transaction to see its path: submission, ACKs, deliveries, votes, outcome.");

        ToggleButton pause = new ToggleButton("_Pause", new FontIcon(Feather.PAUSE));
        pause.setId("pause-button");
        pause.selectedProperty().bindBidirectional(vm.pausedProperty());
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("_Resume").otherwise("_Pause"));
        vm.pausedProperty().addListener((o, a, b) -> ((FontIcon) pause.getGraphic())
                .setIconCode(b ? Feather.PLAY : Feather.PAUSE));
        Button step = new Button("S_tep", new FontIcon(Feather.SKIP_FORWARD));
        step.setId("step-button");
        step.disableProperty().bind(vm.pausedProperty().not().or(vm.waitingCountProperty().isEqualTo(0)));
        step.setOnAction(e -> vm.step());
        step.setTooltip(new Tooltip("Show the next collected event"));

        ComboBox<Integer> window = new ComboBox<>();
        window.getItems().setAll(MessagesViewModel.WINDOWS);
        window.setValue(vm.windowProperty().get());
        window.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.windowProperty().set(b);
            }
        });
        window.setTooltip(new Tooltip("How many of the latest events the diagram shows"));
        Label windowLabel = new Label("Last");
        Label eventsLabel = new Label("events");
        CheckBox acks = new CheckBox("ACKs");
        acks.setId("show-acks");
        acks.selectedProperty().bindBidirectional(vm.showAcksProperty());

        ComboBox<String> follow = new ComboBox<>(vm.transactions());
        follow.setId("follow-selector");
        follow.setEditable(true);
        follow.setPromptText("transaction id");
        follow.setPrefWidth(300);
        follow.valueProperty().addListener((o, a, b) -> vm.followProperty().set(b == null ? "" : b));
        vm.followProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(follow.getValue())) {
                follow.setValue(b);
            }
        });
        Label followLabel = new Label("_Follow");
        followLabel.setMnemonicParsing(true);
        followLabel.setLabelFor(follow);
        Button clear = new Button(null, new FontIcon(Feather.X_CIRCLE));
        clear.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        clear.setTooltip(new Tooltip("Stop following"));
        clear.setOnAction(e -> vm.followProperty().set(""));

        Button export = new Button("_Export for ShiViz...", new FontIcon(Feather.DOWNLOAD));
        export.setId("export-shiviz");
        export.disableProperty().bind(vm.exportingProperty());
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export the protocol events for ShiViz");
            fc.setInitialFileName("distribank-shiviz.log");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("ShiViz log", "*.log", "*.txt"));
            File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.exportShiViz(f.toPath());
            }
        });

        FlowPane toolbar = new FlowPane(8, 8, pause, step, new Separator(javafx.geometry.Orientation.VERTICAL),
                windowLabel, window, eventsLabel, acks, new Separator(javafx.geometry.Orientation.VERTICAL),
                followLabel, follow, clear, new Separator(javafx.geometry.Orientation.VERTICAL), export);
        toolbar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        Label status = ConsortiumViewKit.muted(vm.statusTextProperty());
        status.setId("messages-status");
        Label view = new Label();
        view.setId("view-status");
        view.textProperty().bind(vm.viewTextProperty());
        view.visibleProperty().bind(vm.viewTextProperty().isNotEmpty());
        view.managedProperty().bind(view.visibleProperty());
        view.setTextFill(SpaceTimeDiagramView.VIEW_COLOR);

        SpaceTimeDiagramView diagram = new SpaceTimeDiagramView();
        diagram.setId("space-time");
        diagram.setDiagram(vm.diagram());
        vm.diagramProperty().addListener((o, a, b) -> {
            diagram.setDiagram(b);
            SpaceTime.Dot sel = vm.selectedProperty().get();
            diagram.select(sel == null ? -1 : b.dots().indexOf(sel));
        });
        vm.selectedProperty().addListener((o, a, b) -> diagram.select(b == null ? -1
                : vm.diagram().dots().indexOf(b)));
        vm.followProperty().addListener((o, a, b) -> diagram.showFirstHighlighted());
        diagram.setOnPick(vm::select);

        // the right side: selected event and the followed transaction
        Label selected = new Label();
        selected.setId("selected-event");
        selected.setWrapText(true);
        selected.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        selected.getStyleClass().add("mono");
        selected.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedProperty().get() == null
                ? "Click a dot to see its event." : vm.selectedProperty().get().detail(), vm.selectedProperty()));
        Button followSelected = new Button("Follow its transaction", new FontIcon(Feather.CROSSHAIR));
        followSelected.disableProperty().bind(Bindings.createBooleanBinding(() -> vm.selectedProperty().get() == null
                || vm.selectedProperty().get().opId() == null, vm.selectedProperty()));
        followSelected.setOnAction(e -> vm.followSelected());
        Label summary = new Label();
        summary.setId("follow-summary");
        summary.setWrapText(true);
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        summary.textProperty().bind(vm.followSummaryProperty());
        ListView<String> steps = new ListView<>(vm.followSteps());
        steps.setId("follow-steps");
        steps.getStyleClass().addAll(Styles.DENSE, "mono");
        steps.setPlaceholder(new Label("No transaction followed."));
        VBox side = new VBox(8, ConsortiumViewKit.card("Selected event", selected, followSelected),
                ConsortiumViewKit.card("Followed transaction", summary), steps);
        VBox.setVgrow(steps, Priority.ALWAYS);
        side.setMinWidth(260);

        SplitPane split = new SplitPane(diagram, side);
        split.setDividerPositions(0.7);

        // export result and the regex to paste
        Label exportMessage = ConsortiumViewKit.muted(vm.exportMessageProperty());
        exportMessage.setId("export-message");
        TextField regex = new TextField(MessagesViewModel.shiVizRegex());
        regex.setEditable(false);
        regex.getStyleClass().add("mono");
        regex.setPrefColumnCount(40);
        regex.setTooltip(new Tooltip("ShiViz parser regex: paste it into ShiViz's \"log parsing regular expression\""));
        HBox regexRow = ConsortiumViewKit.row(new Label("ShiViz regex"), regex);
        HBox.setHgrow(regex, Priority.ALWAYS);
        Label exportError = ConsortiumViewKit.errorLine(vm.exportErrorProperty());

        VBox top = new VBox(8, header, toolbar, status, view);
        VBox bottom = new VBox(6, legend(), exportMessage, exportError, regexRow);
        bottom.setPadding(new Insets(8, 0, 0, 0));
        top.setPadding(new Insets(0, 0, 8, 0));
        setTop(top);
        setCenter(split);
        setBottom(bottom);
    }

    private static FlowPane legend() {
        FlowPane p = new FlowPane(12, 4);
        for (String t : new String[] {"SEND", "ACK", "RECEIVE", "DELIVER", "VOTE", "COMMIT", "ABORT", "PEER_DOWN", "VIEW"}) {
            Circle c = new Circle(5, SpaceTimeDiagramView.dotColor(t));
            Label l = new Label(t.toLowerCase(java.util.Locale.ROOT).replace('_', ' '), c);
            l.getStyleClass().add(Styles.TEXT_SMALL);
            p.getChildren().add(l);
        }
        Circle hi = new Circle(5, Color.TRANSPARENT);
        hi.setStroke(Color.web("#d946ef"));
        hi.setStrokeWidth(2);
        Label l = new Label("followed transaction", hi);
        l.getStyleClass().add(Styles.TEXT_SMALL);
        p.getChildren().add(l);
        Label mark = new Label("- - view change (epoch), faint lane: out of the view");
        mark.setTextFill(SpaceTimeDiagramView.VIEW_COLOR);
        mark.getStyleClass().add(Styles.TEXT_SMALL);
        p.getChildren().add(mark);
        return p;
    }
}
