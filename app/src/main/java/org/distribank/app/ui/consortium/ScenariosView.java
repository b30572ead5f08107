package org.distribank.app.ui.consortium;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Scenarios page: the list of built-in scenarios; the chosen one's description, steps, Step/Run/Reset and the
 * current step's explanation; and its own space-time diagram (read-only), frozen at each pause.
 */
public final class ScenariosView extends BorderPane {

    public ScenariosView(ScenariosViewModel vm) {
        setId("scenarios-page");
        VBox header = ConsortiumViewKit.header("Scenarios", Feather.BOOK_OPEN, "Teaching scenarios played on this "
                + "consortium: each sets up its own customers, acts (transfers, cut links, a bank killed), waits for "
                + "the protocol, and pauses with one line on the rule that decided. Step through it, or Run it.");

        ListView<String> list = new ListView<>(vm.titles());
        list.setId("scenario-list");
        list.setPrefWidth(260);
        list.setMinWidth(220); // the description card beside it would squeeze it to nothing
        list.setPrefHeight(180);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(String title, boolean empty) {
                super.updateItem(title, empty);
                setText(empty ? null : title);
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        list.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> vm.selectedProperty()
                .set(b.intValue()));

        Label description = ConsortiumViewKit.muted(vm.descriptionProperty());
        description.setId("scenario-description");
        VBox steps = new VBox(2);
        steps.setId("scenario-steps");
        Runnable drawSteps = () -> {
            steps.getChildren().clear();
            for (int i = 0; i < vm.steps().size(); i++) {
                boolean done = i < vm.doneProperty().get();
                Label l = new Label((i + 1) + ". " + vm.steps().get(i),
                        new FontIcon(done ? Feather.CHECK_CIRCLE : Feather.CIRCLE));
                l.getStyleClass().add(done ? Styles.SUCCESS : Styles.TEXT_MUTED);
                steps.getChildren().add(l);
            }
        };
        vm.steps().addListener((javafx.collections.ListChangeListener<String>) c -> drawSteps.run());
        vm.doneProperty().addListener((o, a, b) -> drawSteps.run());

        Button step = new Button("_Step", new FontIcon(Feather.SKIP_FORWARD));
        step.setId("scenario-step");
        step.getStyleClass().add(Styles.ACCENT);
        step.disableProperty().bind(vm.canStepProperty().not());
        step.setOnAction(e -> vm.step());
        Button run = new Button("_Run", new FontIcon(Feather.PLAY));
        run.setId("scenario-run");
        run.disableProperty().bind(vm.canStepProperty().not());
        run.setOnAction(e -> vm.run());
        Button reset = new Button("R_eset", new FontIcon(Feather.ROTATE_CCW));
        reset.setId("scenario-reset");
        reset.disableProperty().bind(vm.selectedProperty().lessThan(0));
        reset.setOnAction(e -> vm.reset());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        spinner.visibleProperty().bind(vm.busyProperty());

        Label progress = new Label();
        progress.setId("scenario-progress");
        progress.textProperty().bind(vm.progressProperty());
        progress.getStyleClass().add(Styles.TEXT_BOLD);
        Label explanation = new Label();
        explanation.setId("scenario-explanation");
        explanation.textProperty().bind(vm.explanationProperty());
        explanation.setWrapText(true);
        explanation.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        explanation.getStyleClass().addAll(Styles.TITLE_4, Styles.ACCENT);
        Label error = ConsortiumViewKit.errorLine(vm.errorProperty());
        error.setId("scenario-error");

        SpaceTimeDiagramView diagram = new SpaceTimeDiagramView();
        diagram.setId("scenario-diagram");
        diagram.setDiagram(vm.diagram());
        vm.diagramProperty().addListener((o, a, b) -> diagram.setDiagram(b));
        Label picked = new Label("Click a dot to see its event.");
        picked.setId("scenario-picked");
        picked.getStyleClass().addAll(Styles.TEXT_MUTED, "mono");
        diagram.setOnPick(i -> {
            diagram.select(i);
            var dots = vm.diagram().dots();
            picked.setText(i >= 0 && i < dots.size() ? dots.get(i).detail() : "Click a dot to see its event.");
        });
        VBox.setVgrow(diagram, Priority.ALWAYS);
        Label frozen = ConsortiumViewKit.muted(vm.frozenProperty());
        frozen.setId("scenario-frozen");

        VBox side = new VBox(10,
                ConsortiumViewKit.card(null, description, steps,
                        ConsortiumViewKit.row(step, run, reset, spinner), progress, explanation, error));
        HBox.setHgrow(side, Priority.ALWAYS);
        HBox top = new HBox(12, list, side);
        top.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox body = new VBox(10, top, ConsortiumViewKit.card("Space-time diagram of this scenario", frozen, diagram,
                picked));
        VBox.setVgrow(body.getChildren().get(1), Priority.ALWAYS);
        Label hint = new Label();
        hint.textProperty().bind(Bindings.when(vm.selectedProperty().lessThan(0))
                .then("Choose a scenario on the left.").otherwise(""));
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        setTop(new VBox(header, hint));
        setCenter(body);
        setPadding(new Insets(4, 8, 8, 4));
    }
}
