package org.distribank.app.ui.consortium;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.service.BankLifecycle;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * The faults page's bank controls: kill and restart a bank (when this app launched the banks) and retire one, each
 * bank's state as the monitor last saw it, and every action told in the page's {@link FaultLog}.
 */
public final class BankLifecycleViewModel implements LiveFeed.Sink {

    /** One bank's controls. */
    public static final class BankControl {
        private final String id;
        private final String name;
        private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(true);
        private final ReadOnlyBooleanWrapper reachable = new ReadOnlyBooleanWrapper(false);
        private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
        private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper("waiting for its first answer");

        BankControl(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public ReadOnlyBooleanProperty runningProperty() {
            return running.getReadOnlyProperty();
        }

        public boolean running() {
            return running.get();
        }

        public ReadOnlyBooleanProperty reachableProperty() {
            return reachable.getReadOnlyProperty();
        }

        /** True while a kill or a restart of this bank is on its way. */
        public ReadOnlyBooleanProperty busyProperty() {
            return busy.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty stateTextProperty() {
            return stateText.getReadOnlyProperty();
        }
    }

    private final BankLifecycle lifecycle;
    private final FaultLog log;
    private final UiTasks tasks;
    private final boolean controls;
    private final ObservableList<BankControl> banks = FXCollections.observableArrayList();
    private final Map<String, BankControl> byId = new LinkedHashMap<>();

    public BankLifecycleViewModel(List<BankRef> refs, BankLifecycle lifecycle, FaultLog log, UiTasks tasks) {
        this.lifecycle = lifecycle;
        this.log = log;
        this.tasks = tasks;
        this.controls = lifecycle.controlsBanks();
        for (BankRef b : refs) {
            BankControl c = new BankControl(b.id(), b.name());
            byId.put(b.id(), c);
            banks.add(c);
        }
    }

    /** True when this app launched the banks and can stop and start them. */
    public boolean controlsBanks() {
        return controls;
    }

    /** Why the kill and restart buttons are off (empty when they work). */
    public String controlsExplanation() {
        return controls ? "" : "These banks run elsewhere (this app connected to them by URL), so it cannot stop or "
                + "start them. Stop a bank where it runs; the cards here show what the others make of it. "
                + "The link controls below still work: they ask each bank over its operator API.";
    }

    public ObservableList<BankControl> banks() {
        return banks;
    }

    public BankControl bank(String id) {
        return byId.get(id);
    }

    /** Where the actions are told. */
    public FaultLog log() {
        return log;
    }

    @Override
    public void statuses(Map<String, BankStatus> changed) {
        changed.forEach((id, s) -> {
            BankControl c = byId.get(id);
            if (c == null) {
                return;
            }
            boolean stopped = s.stopped();
            if (!c.busy.get()) {
                c.running.set(!stopped);
            }
            c.reachable.set(s.reachable());
            c.stateText.set(stopped ? "stopped" : s.reachable() ? "running, answering" : "not answering");
        });
    }

    /** Stops bank {@code id} abruptly. */
    public void kill(String id) {
        act(id, true, "stopping...", () -> lifecycle.killBank(id), false, "stopped", "Stopped " + id + " abruptly. "
                + "The other banks mark it offline within a few seconds, vote it out of the view and go on among "
                + "themselves; transfers that need it are refused while it is out (503, naming it), and what it "
                + "already acknowledged waits for it.", "Could not stop " + id);
    }

    /** Starts bank {@code id} again from its data. */
    public void restart(String id) {
        act(id, true, "starting...", () -> lifecycle.restartBank(id), true, "running, answering", "Started " + id
                + " again. It recovers from its log and its data server, catches up on what the others ordered, and "
                + "is voted back into the view; transfers that need it are accepted again then.",
                "Could not start " + id + " again");
    }

    /**
     * Retires bank {@code id} from the consortium (views on): refused while one of its accounts holds money; once
     * retired, the others go on without it and a consortium launched here leaves it out of later starts.
     */
    public void retire(String id) {
        act(id, false, "retiring...", () -> lifecycle.retireBank(id), false, "retired", "Retired " + id + ": the "
                + "others install a view without it and go on; it holds no accounts, and transfers to it are refused "
                + "(BANK_RETIRED).", "Could not retire " + id);
    }

    /** An action that needs no answer. */
    private interface BankAction {
        void run() throws Exception;
    }

    /**
     * Runs {@code action} on bank {@code id} off the UI thread (one at a time per bank; {@code needsControls}: only
     * when this app launched the banks), showing {@code doing} meanwhile; then the bank is {@code runningAfter} with
     * {@code doneState}, or the failure is told and its state is what it was.
     */
    private void act(String id, boolean needsControls, String doing, BankAction action, boolean runningAfter,
                     String doneState, String doneMessage, String failure) {
        BankControl c = byId.get(id);
        if (c == null || needsControls && !controls || c.busy.get()) {
            return;
        }
        String before = c.stateText.get();
        c.busy.set(true);
        c.stateText.set(doing);
        tasks.run(() -> {
            action.run();
            return null;
        }, v -> {
            c.busy.set(false);
            c.running.set(runningAfter);
            if (!runningAfter) {
                c.reachable.set(false);
            }
            c.stateText.set(doneState);
            log.say(doneMessage);
        }, e -> {
            c.busy.set(false);
            c.stateText.set(before);
            log.fail(failure + ": " + Errors.describe(e));
        });
    }
}
