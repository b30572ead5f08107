package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import java.io.File;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
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

/**
 * The space-time diagram, live with pause and step, or at any moment of the history with a scrubber and play; the
 * banks' state at that moment; the transaction follower; recorded runs saved and opened; the ShiViz export.
 */
public final class MessagesView extends BorderPane {

    /** Asks for a file to open or to save to; the native dialog unless a test puts another. */
    public interface FilePicker {
        File pick(FileChooser chooser, javafx.stage.Window owner, boolean save);
    }

    /** Set while the slider follows the view model's cursor, so that move is not taken for a drag. */
    private boolean followingCursor;
    private FilePicker picker = (fc, owner, save) -> save ? fc.showSaveDialog(owner) : fc.showOpenDialog(owner);

    /** Replaces the file dialogs of Save run and Open run (tests pick a file without a native dialog). */
    public void setFilePicker(FilePicker p) {
        picker = p;
    }

    public MessagesView(MessagesViewModel vm) {
        setId("messages-page");
        VBox header = ConsortiumViewKit.header("Messages", Feather.SHARE_2, "A space-time diagram of the protocol: "
                + "a line per bank, time to the right, a dot per event and an arrow per message (operations blue, "
                + "votes orange, ACKs grey); a dashed line labelled with its epoch where the banks installed a new "
                + "view, and the lanes of banks out of the view faint. Pause to read it while events keep being "
                + "collected; step through them one by one. Follow a transaction to see its path: submission, ACKs, deliveries, votes, outcome. "
                + "Drag the timeline back to any moment of the history, or play it forward, to see the banks as they were then.");

        ToggleButton pause = new ToggleButton("_Pause", new FontIcon(Feather.PAUSE));
        pause.setId("pause-button");
        pause.selectedProperty().bindBidirectional(vm.pausedProperty());
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("_Resume").otherwise("_Pause"));
        pause.disableProperty().bind(vm.liveProperty().not()); // in the history the cursor stands still by itself
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

        ToggleButton timeAxis = new ToggleButton("Time axis", new FontIcon(Feather.CLOCK));
        timeAxis.setId("time-axis");
        timeAxis.selectedProperty().bindBidirectional(vm.timeAxisProperty());
        timeAxis.setTooltip(new Tooltip("On: events placed by their banks' time; off: one column per event (logical order)"));
        Button save = new Button("Save run...", new FontIcon(Feather.SAVE));
        save.setId("save-run");
        save.disableProperty().bind(vm.exportingProperty());
        save.setOnAction(e -> {
            FileChooser fc = runChooser("Save the protocol events as a recorded run");
            fc.setInitialFileName("distribank-run.jsonl");
            File f = picker.pick(fc, getScene() == null ? null : getScene().getWindow(), true);
            if (f != null) {
                vm.saveRecording(f.toPath());
            }
        });
        Button open = new Button("Open run...", new FontIcon(Feather.FOLDER));
        open.setId("open-run");
        open.disableProperty().bind(vm.exportingProperty());
        open.setOnAction(e -> {
            FileChooser fc = runChooser("Open a recorded run or a ShiViz log");
            File f = picker.pick(fc, getScene() == null ? null : getScene().getWindow(), false);
            if (f != null) {
                vm.openRecording(f.toPath());
            }
        });

        FlowPane toolbar = new FlowPane(8, 8, pause, step, new Separator(javafx.geometry.Orientation.VERTICAL),
                windowLabel, window, eventsLabel, acks, timeAxis, new Separator(javafx.geometry.Orientation.VERTICAL),
                followLabel, follow, clear, new Separator(javafx.geometry.Orientation.VERTICAL), export, save, open);
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
        VBox stateGrid = new VBox(6);
        stateGrid.setId("state-at-cursor");
        showStates(stateGrid, vm);
        vm.states().addListener((javafx.collections.ListChangeListener<Recording.BankState>) c -> showStates(stateGrid, vm));
        Label stateTitle = ConsortiumViewKit.muted(vm.cursorTextProperty());
        VBox side = new VBox(8, ConsortiumViewKit.card("Banks at the cursor", stateTitle, stateGrid),
                ConsortiumViewKit.card("Selected event", selected, followSelected),
                ConsortiumViewKit.card("Followed transaction", summary), steps);
        VBox.setVgrow(steps, Priority.ALWAYS);
        side.setMinWidth(260);

        VBox diagramAndTimeline = new VBox(6, diagram, timeline(vm));
        VBox.setVgrow(diagram, Priority.ALWAYS);
        SplitPane split = new SplitPane(diagramAndTimeline, side);
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

        Label source = new Label();
        source.setId("source-text");
        source.textProperty().bind(vm.sourceTextProperty());
        source.visibleProperty().bind(vm.sourceTextProperty().isNotEmpty());
        source.managedProperty().bind(source.visibleProperty());
        source.getStyleClass().add(Styles.ACCENT);
        VBox top = new VBox(8, header, toolbar, status, source, view);
        VBox bottom = new VBox(6, legend(), exportMessage, exportError, regexRow);
        bottom.setPadding(new Insets(8, 0, 0, 0));
        top.setPadding(new Insets(0, 0, 8, 0));
        setTop(top);
        setCenter(split);
        setBottom(bottom);
    }

    /** Under the diagram: play at a speed, the scrubber over the whole history with its time, and Live. */
    private HBox timeline(MessagesViewModel vm) {
        ToggleButton play = new ToggleButton(null, new FontIcon(Feather.PLAY));
        play.setId("play-button");
        play.setTooltip(new Tooltip("Play the history forward from the cursor"));
        play.selectedProperty().bindBidirectional(vm.playingProperty());
        play.setOnAction(e -> {
            if (play.isSelected()) {
                vm.play();
            }
        });
        vm.playingProperty().addListener((o, a, b) -> ((FontIcon) play.getGraphic())
                .setIconCode(b ? Feather.PAUSE : Feather.PLAY));
        ComboBox<Double> speed = new ComboBox<>();
        speed.setId("play-speed");
        speed.getItems().setAll(MessagesViewModel.SPEEDS);
        speed.setValue(vm.speedProperty().get());
        speed.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : MessagesViewModel.speedText(d);
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("x", ""));
            }
        });
        speed.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.speedProperty().set(b);
            }
        });
        Slider slider = new Slider();
        slider.setId("history-slider");
        // the range set, not bound: a slider moves its max itself when its min passes it (a new history)
        Runnable range = () -> {
            followingCursor = true;
            double lo = vm.startProperty().get();
            double hi = Math.max(lo, vm.endProperty().get());
            if (lo > slider.getMax()) {
                slider.setMax(hi);
                slider.setMin(lo);
            } else {
                slider.setMin(lo);
                slider.setMax(hi);
            }
            slider.setValue(vm.cursorProperty().get());
            followingCursor = false;
        };
        range.run();
        vm.startProperty().addListener((o, a, b) -> range.run());
        vm.endProperty().addListener((o, a, b) -> range.run());
        vm.cursorProperty().addListener((o, a, b) -> range.run());
        // a drag, a click on the track or an arrow key moves the cursor; the slider following the cursor does not
        boolean[] handled = new boolean[1];
        slider.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> handled[0] = true);
        slider.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> handled[0] = false);
        slider.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> handled[0] = true);
        slider.addEventFilter(javafx.scene.input.KeyEvent.KEY_RELEASED, e -> handled[0] = false);
        slider.valueProperty().addListener((o, a, b) -> {
            if (!followingCursor && (slider.isValueChanging() || handled[0])) {
                vm.scrubTo(b.longValue());
            }
        });
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label time = new Label();
        time.setId("cursor-time");
        time.getStyleClass().add("mono");
        time.textProperty().bind(vm.cursorTextProperty());
        Button live = new Button("Live", new FontIcon(Feather.RADIO));
        live.setId("live-button");
        live.disableProperty().bind(vm.liveProperty());
        live.setOnAction(e -> vm.goLive());
        live.setTooltip(new Tooltip("Back to the present: the live events"));

        AnimationTimer player = new AnimationTimer() {
            private long last = -1;

            @Override
            public void handle(long now) {
                if (last < 0) {
                    last = now;
                    return;
                }
                long ms = (now - last) / 1_000_000;
                if (ms > 0) {
                    vm.advance(ms);
                    last += ms * 1_000_000; // the sub-millisecond rest counts in the next frame
                }
            }

            @Override
            public void stop() {
                super.stop();
                last = -1;
            }
        };
        vm.playingProperty().addListener((o, a, b) -> {
            if (b) {
                player.start();
            } else {
                player.stop();
            }
        });
        for (javafx.scene.layout.Region r : List.of(play, speed, time, live)) {
            r.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        slider.setMinWidth(160);
        HBox row = new HBox(8, play, speed, slider, time, live);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }

    /** Per bank: online or not, its clock, its hold-back queue, at the cursor. */
    private static void showStates(VBox box, MessagesViewModel vm) {
        box.getChildren().clear();
        for (Recording.BankState s : vm.states()) {
            Label bank = new Label(s.bank());
            bank.getStyleClass().add(Styles.TEXT_BOLD);
            bank.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            Label presence = new Label(s.presenceText());
            presence.setId("presence-" + s.bank());
            presence.setWrapText(true);
            presence.getStyleClass().add(switch (s.presence()) {
                case ONLINE -> Styles.SUCCESS;
                case OFFLINE -> Styles.DANGER;
                case UNKNOWN -> Styles.TEXT_MUTED;
            });
            Label clock = new Label(s.clockText());
            clock.setId("clock-" + s.bank());
            clock.getStyleClass().addAll("mono", Styles.TEXT_SMALL);
            clock.setWrapText(true);
            Label queue = new Label("queue " + s.queueText());
            queue.setId("queue-" + s.bank());
            queue.getStyleClass().add(Styles.TEXT_SMALL);
            queue.setWrapText(true);
            box.getChildren().add(new VBox(1, new HBox(8, bank, presence), clock, queue));
        }
    }

    private static FileChooser runChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Recorded run (JSON lines)", "*.jsonl"),
                new FileChooser.ExtensionFilter("ShiViz log", "*.log", "*.txt"),
                new FileChooser.ExtensionFilter("Any file", "*"));
        return fc;
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
