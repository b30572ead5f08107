package org.distribank.app.ui.consortium;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.service.scenario.Pause;
import org.distribank.app.service.scenario.ScenarioInfo;
import org.distribank.app.service.scenario.ScenarioService;
import org.distribank.app.ui.common.UiTasks;

/**
 * The Scenarios page: the built-in scenarios, the chosen one's description and steps, the current step's one-line
 * explanation and the scenario's own space-time diagram, frozen at each pause. Step runs the next step; Run plays
 * the rest, holding each pause for {@link #RUN_PAUSE_MS} so it can be read; Reset undoes the scenario's faults and
 * starts it over. Every service call runs in the background.
 */
public final class ScenariosViewModel {

    /** How Run waits between steps; tests pass one that does not wait. */
    @FunctionalInterface
    public interface Pacer {
        void after(long millis, Runnable r);
    }

    /** How long Run holds each pause. */
    public static final long RUN_PAUSE_MS = 2_500;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scenario-pacer");
        t.setDaemon(true);
        return t;
    });

    private final ScenarioService service;
    private final UiTasks tasks;
    private final Pacer pacer;
    private final List<ScenarioInfo> infos;
    private final ObservableList<String> titles = FXCollections.observableArrayList();
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final ObservableList<String> steps = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper done = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper explanation = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper frozen = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper finished = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<SpaceTime.Diagram> diagram =
            new ReadOnlyObjectWrapper<>(SpaceTime.Diagram.EMPTY);
    private final BooleanBinding canStep;
    /** Bumped by every choice and reset: answers of an earlier one are dropped. */
    private long generation;

    public ScenariosViewModel(ScenarioService service, UiTasks tasks) {
        this(service, tasks, (ms, r) -> TIMER.schedule(() -> tasks.onUi(r), ms, TimeUnit.MILLISECONDS));
    }

    public ScenariosViewModel(ScenarioService service, UiTasks tasks, Pacer pacer) {
        this.service = service;
        this.tasks = tasks;
        this.pacer = pacer;
        infos = List.copyOf(service.scenarios());
        titles.setAll(infos.stream().map(ScenarioInfo::title).toList());
        canStep = Bindings.createBooleanBinding(() -> ready.get() && !busy.get() && !running.get()
                && !finished.get(), ready, busy, running, finished);
        selected.addListener((o, was, now) -> begin(chosen()));
    }

    /** The scenarios' titles, in the list's order. */
    public ObservableList<String> titles() {
        return titles;
    }

    /** The index of the scenario chosen (-1: none); choosing one resets the previous one and sets this one up. */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    private ScenarioInfo chosen() {
        int i = selected.get();
        return i >= 0 && i < infos.size() ? infos.get(i) : null;
    }

    /** The chosen scenario's step titles. */
    public ObservableList<String> steps() {
        return steps;
    }

    /** How many of its steps have run. */
    public ReadOnlyIntegerProperty doneProperty() {
        return done.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    /** "Step 2 of 5: Kill b3". */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The one line the current pause shows: what the protocol's rule did. */
    public ReadOnlyStringProperty explanationProperty() {
        return explanation.getReadOnlyProperty();
    }

    /** What the diagram shows: "34 events of this scenario, frozen at step 2." */
    public ReadOnlyStringProperty frozenProperty() {
        return frozen.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A step (or the setup) is running. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Run is playing the steps. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty finishedProperty() {
        return finished.getReadOnlyProperty();
    }

    public BooleanBinding canStepProperty() {
        return canStep;
    }

    /** The scenario's own diagram: its events only, as they were at the last pause. */
    public ReadOnlyObjectProperty<SpaceTime.Diagram> diagramProperty() {
        return diagram.getReadOnlyProperty();
    }

    public SpaceTime.Diagram diagram() {
        return diagram.get();
    }

    /** Runs the next step. */
    public void step() {
        if (canStep.get()) {
            next(false);
        }
    }

    /** Plays the remaining steps, pausing {@link #RUN_PAUSE_MS} on each. */
    public void run() {
        if (canStep.get()) {
            running.set(true);
            next(true);
        }
    }

    /** Stops a run, undoes what the scenario changed and sets it up again from its start. */
    public void reset() {
        begin(chosen());
    }

    private void begin(ScenarioInfo s) {
        long gen = ++generation;
        running.set(false);
        ready.set(false);
        finished.set(false);
        error.set("");
        explanation.set("");
        progress.set("");
        done.set(0);
        diagram.set(SpaceTime.Diagram.EMPTY);
        frozen.set("");
        steps.setAll(s == null ? List.of() : s.steps());
        description.set(s == null ? "" : s.description());
        busy.set(true);
        tasks.run(() -> {
            if (s == null) {
                service.reset();
                return null;
            }
            return shown(service.begin(s.id()));
        }, p -> {
            if (gen == generation) {
                busy.set(false);
                if (p != null) {
                    show(p);
                    ready.set(true);
                }
            }
        }, e -> {
            if (gen == generation) {
                busy.set(false);
                error.set(message(e));
            }
        });
    }

    private void next(boolean playing) {
        long gen = generation;
        busy.set(true);
        error.set("");
        tasks.run(() -> shown(service.step()), p -> {
            if (gen != generation) {
                return;
            }
            busy.set(false);
            show(p);
            if (running.get() && !p.pause().finished()) {
                pacer.after(RUN_PAUSE_MS, () -> {
                    if (gen == generation && running.get()) {
                        next(true);
                    }
                });
            } else {
                running.set(false);
            }
        }, e -> {
            if (gen == generation) {
                busy.set(false);
                running.set(false);
                error.set(message(e));
            }
        });
    }

    /** A pause with its diagram laid out (in the background: it may hold many events). */
    private record Shown(Pause pause, SpaceTime.Diagram diagram) {
    }

    private Shown shown(Pause p) {
        return new Shown(p, SpaceTime.layout(service.banks(), p.events(), p.focus(), true));
    }

    private void show(Shown s) {
        Pause p = s.pause();
        done.set(p.done());
        finished.set(p.finished());
        diagram.set(s.diagram());
        frozen.set(p.done() == 0 ? "" : p.events().size() + " events of this scenario, frozen at step " + p.done()
                + ".");
        if (p.done() == 0) {
            progress.set("Ready: " + p.steps() + " steps. Step runs the first.");
            explanation.set("");
        } else {
            progress.set("Step " + p.done() + " of " + p.steps() + ": " + p.title()
                    + (p.finished() ? " (done)" : ""));
            explanation.set(p.explanation());
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
