package org.distribank.app.ui.consortium;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.LinkState;
import org.distribank.app.client.OperatorClient;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;

/**
 * Fault injection: kill and restart a bank (when this app launched the banks), and cut, slow or
 * restore the link between two banks through each bank's operator endpoint
 * {@code PUT /api/v1/admin/links/{peer}} (a bank's outbound link; both ways means both banks).
 * Every action reports what it did, or why it failed, in words.
 */
public final class FaultsViewModel implements LiveFeed.Sink {

    public static final long MIN_DELAY_MS = 1;
    public static final long MAX_DELAY_MS = 60_000;
    public static final int MAX_MESSAGES = 50;

    /** Whether the banks have the link endpoint: not known yet, yes, or no (an older bank answers 404). */
    public enum LinkSupport { UNKNOWN, SUPPORTED, UNSUPPORTED }

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

    /** The two directions of the link between {@code a} and {@code b}, as each bank reports its outbound side. */
    public record LinkRow(String a, String b, String aToB, String bToA) {
        public String pair() {
            return a + " \u2194 " + b;
        }

        /** A direction is cut or slowed. */
        public boolean faulty() {
            return bad(aToB) || bad(bToA);
        }

        private static boolean bad(String s) {
            return s.startsWith("CUT") || s.startsWith("SLOW");
        }
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConsortiumConnection connection;
    private final UiTasks tasks;
    private final List<BankRef> refs;
    private final boolean controls;
    private final ObservableList<BankControl> banks = FXCollections.observableArrayList();
    private final Map<String, BankControl> byId = new LinkedHashMap<>();
    private final ObservableList<String> messages = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper lastMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper("");

    private final StringProperty linkFrom = new SimpleStringProperty();
    private final StringProperty linkTo = new SimpleStringProperty();
    private final BooleanProperty bothWays = new SimpleBooleanProperty(true);
    private final StringProperty delayMs = new SimpleStringProperty("300");
    private final BooleanBinding pairValid;
    private final BooleanBinding delayValid;
    private final ReadOnlyStringWrapper pairError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper delayError = new ReadOnlyStringWrapper("");
    private final ObservableList<LinkRow> links = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<LinkSupport> linkSupport = new ReadOnlyObjectWrapper<>(LinkSupport.UNKNOWN);
    private final ReadOnlyStringWrapper linkSupportText = new ReadOnlyStringWrapper("Checking the banks' link controls...");
    private final ReadOnlyBooleanWrapper linksBusy = new ReadOnlyBooleanWrapper(false);

    public FaultsViewModel(ConsortiumConnection connection, UiTasks tasks) {
        this.connection = connection;
        this.tasks = tasks;
        this.refs = connection.banks();
        this.controls = connection.controlsBanks();
        for (BankRef b : refs) {
            BankControl c = new BankControl(b.id(), b.name());
            byId.put(b.id(), c);
            banks.add(c);
        }
        if (refs.size() >= 2) {
            linkFrom.set(refs.get(0).id());
            linkTo.set(refs.get(1).id());
        }
        pairValid = Bindings.createBooleanBinding(() -> linkFrom.get() != null && linkTo.get() != null
                && byId.containsKey(linkFrom.get()) && byId.containsKey(linkTo.get())
                && !linkFrom.get().equals(linkTo.get()), linkFrom, linkTo);
        delayValid = Bindings.createBooleanBinding(() -> parseDelay(delayMs.get()) != null, delayMs);
        pairError.bind(Bindings.when(pairValid).then("").otherwise("Pick two different banks."));
        delayError.bind(Bindings.when(delayValid).then("").otherwise("A delay is a whole number of milliseconds, "
                + MIN_DELAY_MS + " to " + MAX_DELAY_MS + "."));
        links.setAll(rows(Map.of()));
    }

    // ------------------------------------------------------------------ banks

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

    /** What happened, newest first. */
    public ObservableList<String> messages() {
        return messages;
    }

    public ReadOnlyStringProperty lastMessageProperty() {
        return lastMessage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    @Override
    public void statuses(Map<String, BankStatus> changed) {
        changed.forEach((id, s) -> {
            BankControl c = byId.get(id);
            if (c == null) {
                return;
            }
            boolean stopped = !s.reachable() && OverviewViewModel.STOPPED.equals(s.error());
            if (!c.busy.get()) {
                c.running.set(!stopped);
            }
            c.reachable.set(s.reachable());
            c.stateText.set(stopped ? "stopped" : s.reachable() ? "running, answering" : "not answering");
        });
    }

    /** Stops bank {@code id} abruptly. */
    public void kill(String id) {
        act(id, true, "stopping...", () -> connection.killBank(id), false, "stopped", "Stopped " + id + " abruptly. "
                + "The other banks mark it offline within a few seconds, vote it out of the view and go on among "
                + "themselves; transfers that need it are refused while it is out (503, naming it), and what it "
                + "already acknowledged waits for it.", "Could not stop " + id);
    }

    /** Starts bank {@code id} again from its data. */
    public void restart(String id) {
        act(id, true, "starting...", () -> connection.restartBank(id), true, "running, answering", "Started " + id
                + " again. It recovers from its log and its data server, catches up on what the others ordered, and "
                + "is voted back into the view; transfers that need it are accepted again then.",
                "Could not start " + id + " again");
    }

    /**
     * Retires bank {@code id} from the consortium (views on): refused while one of its accounts holds money; once
     * retired, the others go on without it and a consortium launched here leaves it out of later starts.
     */
    public void retire(String id) {
        act(id, false, "retiring...", () -> connection.retireBank(id), false, "retired", "Retired " + id + ": the "
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
            say(doneMessage);
        }, e -> {
            c.busy.set(false);
            c.stateText.set(before);
            fail(failure + ": " + Errors.describe(e));
        });
    }

    private void say(String text) {
        lastError.set("");
        lastMessage.set(text);
        log(text);
    }

    private void fail(String text) {
        lastError.set(text);
        log(text);
    }

    private void log(String text) {
        messages.add(0, LocalTime.now().format(CLOCK) + "  " + text);
        if (messages.size() > MAX_MESSAGES) {
            messages.remove(messages.size() - 1);
        }
    }

    // ------------------------------------------------------------------ links

    public StringProperty linkFromProperty() {
        return linkFrom;
    }

    public StringProperty linkToProperty() {
        return linkTo;
    }

    /** True: the action applies to both directions (both banks); false: only {@code from}'s link to {@code to}. */
    public BooleanProperty bothWaysProperty() {
        return bothWays;
    }

    /** The delay of a slowed link, in milliseconds, as typed. */
    public StringProperty delayMsProperty() {
        return delayMs;
    }

    public BooleanBinding pairValidProperty() {
        return pairValid;
    }

    public BooleanBinding delayValidProperty() {
        return delayValid;
    }

    public ReadOnlyStringProperty pairErrorProperty() {
        return pairError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty delayErrorProperty() {
        return delayError.getReadOnlyProperty();
    }

    /** Every pair of banks with the state of both directions. */
    public ObservableList<LinkRow> links() {
        return links;
    }

    public ReadOnlyObjectProperty<LinkSupport> linkSupportProperty() {
        return linkSupport.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty linkSupportTextProperty() {
        return linkSupportText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty linksBusyProperty() {
        return linksBusy.getReadOnlyProperty();
    }

    static Long parseDelay(String text) {
        if (text == null || !text.strip().matches("\\d{1,9}")) {
            return null;
        }
        long v = Long.parseLong(text.strip());
        return v < MIN_DELAY_MS || v > MAX_DELAY_MS ? null : v;
    }

    private record LinkScan(Map<String, Map<String, LinkState>> states, int unsupported, int answered,
                            List<String> errors) {
    }

    private record LinkChange(List<String> failures, LinkScan after) {
    }

    /** Asks every running bank for its links (background), then shows them. */
    public void refreshLinks() {
        if (linksBusy.get()) {
            return;
        }
        linksBusy.set(true);
        tasks.run(this::scan, s -> {
            linksBusy.set(false);
            show(s);
        }, e -> {
            linksBusy.set(false);
            linkSupportText.set("Could not read the links: " + Errors.describe(e));
        });
    }

    private LinkScan scan() {
        Map<String, Map<String, LinkState>> states = new LinkedHashMap<>();
        int unsupported = 0;
        int answered = 0;
        List<String> errors = new ArrayList<>();
        for (BankRef b : refs) {
            Optional<OperatorClient> op = connection.operator(b.id());
            if (op.isEmpty() || !connection.bankRunning(b.id())) {
                continue;
            }
            try {
                Map<String, LinkState> m = new LinkedHashMap<>();
                for (LinkState l : op.get().links()) {
                    m.put(l.peer(), l);
                }
                states.put(b.id(), m);
                answered++;
            } catch (BankApiException e) {
                if (e.status() == 404 || e.status() == 405) {
                    unsupported++;
                } else {
                    errors.add(b.id() + ": " + e.getMessage());
                }
            }
        }
        return new LinkScan(states, unsupported, answered, errors);
    }

    private void show(LinkScan s) {
        if (s.answered() > 0) {
            linkSupport.set(LinkSupport.SUPPORTED);
            linkSupportText.set(s.errors().isEmpty() ? "Each bank reports its outbound links; cut or slow a link "
                    + "to watch the protocol wait and catch up." : "Some banks did not report their links: "
                    + String.join("; ", s.errors()));
        } else if (s.unsupported() > 0) {
            linkSupport.set(LinkSupport.UNSUPPORTED);
            linkSupportText.set("These banks have no link controls: GET /api/v1/admin/links answered 404 (a bank "
                    + "version without the operator link endpoint). Kill and restart still work.");
        } else {
            linkSupport.set(LinkSupport.UNKNOWN);
            linkSupportText.set(s.errors().isEmpty() ? "No bank answers: the links are unknown."
                    : "No bank reported its links: " + String.join("; ", s.errors()));
        }
        links.setAll(rows(s.states()));
    }

    private List<LinkRow> rows(Map<String, Map<String, LinkState>> states) {
        List<LinkRow> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            for (int j = i + 1; j < refs.size(); j++) {
                String a = refs.get(i).id();
                String b = refs.get(j).id();
                out.add(new LinkRow(a, b, describe(states, a, b), describe(states, b, a)));
            }
        }
        return out;
    }

    private static String describe(Map<String, Map<String, LinkState>> states, String from, String to) {
        Map<String, LinkState> m = states.get(from);
        if (m == null) {
            return "unknown";
        }
        LinkState l = m.get(to);
        if (l == null) {
            return "UP";
        }
        return "SLOW".equals(l.state()) ? "SLOW " + l.delayMs() + " ms" : l.state();
    }

    public void cutLink() {
        changeLink("CUT", 0);
    }

    public void slowLink() {
        Long d = parseDelay(delayMs.get());
        if (d == null) {
            fail("Cannot slow the link: " + delayError.get());
            return;
        }
        changeLink("SLOW", d);
    }

    public void restoreLink() {
        changeLink("UP", 0);
    }

    private void changeLink(String state, long delay) {
        if (!pairValid.get()) {
            fail("Cannot change the link: " + pairError.get());
            return;
        }
        String a = linkFrom.get();
        String b = linkTo.get();
        List<String[]> directions = new ArrayList<>();
        directions.add(new String[] {a, b});
        if (bothWays.get()) {
            directions.add(new String[] {b, a});
        }
        String what = bothWays.get() ? a + " \u2194 " + b : a + " \u2192 " + b;
        linksBusy.set(true);
        tasks.run(() -> {
            List<String> failures = new ArrayList<>();
            for (String[] d : directions) {
                try {
                    connection.operator(d[0]).orElseThrow(() -> new IllegalStateException(
                            "no operator token")).setLink(d[1], state, delay);
                } catch (BankApiException e) {
                    failures.add(e.status() == 404 || e.status() == 405
                            ? d[0] + " has no link controls (it answered 404)" : d[0] + ": " + e.getMessage());
                }
            }
            return new LinkChange(failures, scan());
        }, r -> {
            linksBusy.set(false);
            show(r.after());
            if (r.failures().isEmpty()) {
                say(switch (state) {
                    case "CUT" -> "Cut " + what + ": messages on it are held back (and resent once it is restored). "
                            + "Operations wait for them, and a bank whose heartbeats stop is marked offline.";
                    case "SLOW" -> "Slowed " + what + ": every message on it waits " + delay + " ms.";
                    default -> "Restored " + what + ": held messages flow again and the banks catch up.";
                });
            } else {
                fail("Could not change " + what + ": " + String.join("; ", r.failures()));
            }
        }, e -> {
            linksBusy.set(false);
            fail("Could not change " + what + ": " + Errors.describe(e));
        });
    }

    /** Restores every link that is not UP. */
    public void restoreAllLinks() {
        List<LinkRow> bad = links.stream().filter(LinkRow::faulty).toList();
        if (bad.isEmpty()) {
            say("Every link is up already.");
            return;
        }
        linksBusy.set(true);
        tasks.run(() -> {
            List<String> failures = new ArrayList<>();
            for (LinkRow r : bad) {
                for (String[] d : new String[][] {{r.a(), r.b()}, {r.b(), r.a()}}) {
                    try {
                        connection.operator(d[0]).ifPresent(op -> op.setLink(d[1], "UP", 0));
                    } catch (BankApiException e) {
                        failures.add(d[0] + ": " + e.getMessage());
                    }
                }
            }
            return new LinkChange(failures, scan());
        }, r -> {
            linksBusy.set(false);
            show(r.after());
            if (r.failures().isEmpty()) {
                say("Restored every link.");
            } else {
                fail("Could not restore every link: " + String.join("; ", r.failures()));
            }
        }, e -> {
            linksBusy.set(false);
            fail("Could not restore the links: " + Errors.describe(e));
        });
    }
}
