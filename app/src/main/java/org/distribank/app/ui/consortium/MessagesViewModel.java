package org.distribank.app.ui.consortium;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.EventLog;
import org.distribank.app.service.RecordedRuns;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.observe.ShiVizExport;

/**
 * The messages page: a live space-time diagram of the last {@link #windowProperty() window} events
 * (one lane per bank, arrows from sends to receives). Pausing freezes the diagram while events keep
 * being collected; {@link #step()} then reveals them one at a time, and resuming reveals the rest.
 * Following a transaction highlights its events (submission, receipts, ACKs, deliveries, votes and
 * outcome) and lists them. View changes (VIEW events) are marked across the lanes with their epoch, and the lanes
 * of banks out of the newest view known (from VIEW events or the banks' polls) are dimmed. The collected events
 * export to ShiViz.
 *
 * <p>History: every event is also kept in a {@link Recording} (time order, at most a capacity). Scrubbing
 * ({@link #scrubTo}) leaves the present: the diagram then shows the window of events up to the cursor, and
 * {@link #states()} each bank's online state, clock and hold-back queue as they were then; {@link #advance} plays
 * forward at {@link #speedProperty() speed} (the view calls it every frame); {@link #goLive()} returns to the
 * present. A run saved to a file, or a ShiViz log, opens in place of the live events until {@link #goLive()}.
 * The diagram is placed on a time axis (each bank's time) or in logical order ({@link #timeAxisProperty()}).
 */
public final class MessagesViewModel implements LiveFeed.Sink {

    /** Window sizes offered. */
    public static final List<Integer> WINDOWS = List.of(100, 200, 400);
    public static final int DEFAULT_WINDOW = 200;
    /** Events collected while paused, at most; older ones then scroll by. */
    public static final int MAX_WAITING = 5_000;
    /** Events kept for the transaction list and the followed transaction's steps. */
    public static final int RECENT = 20_000;
    public static final int MAX_TRANSACTIONS = 200;
    /** Play speeds offered, as multiples of real time. */
    public static final List<Double> SPEEDS = List.of(0.25, 1.0, 4.0, 16.0);

    private final List<String> lanes;
    private final EventLog log;
    private final UiTasks tasks;
    private final ArrayDeque<ProtocolEvent> shown = new ArrayDeque<>();
    private final ArrayDeque<ProtocolEvent> waiting = new ArrayDeque<>();
    private final ArrayDeque<ProtocolEvent> recent = new ArrayDeque<>();
    private final LinkedHashSet<String> knownIds = new LinkedHashSet<>();

    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final BooleanProperty showAcks = new SimpleBooleanProperty(true);
    private final IntegerProperty window = new SimpleIntegerProperty(DEFAULT_WINDOW);
    private final StringProperty follow = new SimpleStringProperty("");
    private final ReadOnlyIntegerWrapper waitingCount = new ReadOnlyIntegerWrapper();
    private final ReadOnlyLongWrapper collected = new ReadOnlyLongWrapper();
    private final ObservableList<String> transactions = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<SpaceTime.Diagram> diagram = new ReadOnlyObjectWrapper<>(SpaceTime.Diagram.EMPTY);
    private final ObservableList<String> followSteps = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper followSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SpaceTime.Dot> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper exportMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper exportError = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper exporting = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper viewText = new ReadOnlyStringWrapper("");
    /** The newest view known, from VIEW events and the banks' polls; null while none is. */
    private View currentView;

    // history: the live events kept, a recorded run opened, the cursor
    private final Recording liveRecording;
    /** The run opened from a file, shown instead of the live events; null: the live events. */
    private Recording recorded;
    private List<String> recordedLanes = List.of();
    private final BooleanProperty timeAxis = new SimpleBooleanProperty(true);
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(true);
    private final BooleanProperty playing = new SimpleBooleanProperty(false);
    private final DoubleProperty speed = new SimpleDoubleProperty(1.0);
    private final ReadOnlyLongWrapper cursor = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper startMs = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper endMs = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper cursorText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper sourceText = new ReadOnlyStringWrapper("");
    private final ObservableList<Recording.BankState> states = FXCollections.observableArrayList();
    /** Play's fraction of a millisecond not applied yet (slow speeds advance less than 1 ms a frame). */
    private double carryMs;
    /** What {@link #states} were computed from: the source and how many of its events; recomputed when it moves. */
    private Recording statesOf;
    private int statesCount = -1;
    private int statesSize = -1;

    public MessagesViewModel(List<String> lanes, EventLog log, UiTasks tasks) {
        this(lanes, log, tasks, Recording.DEFAULT_CAPACITY);
    }

    /** As the other constructor, keeping at most {@code recordingCapacity} events of history across the banks. */
    public MessagesViewModel(List<String> lanes, EventLog log, UiTasks tasks, int recordingCapacity) {
        this.lanes = List.copyOf(lanes);
        this.log = log;
        this.tasks = tasks;
        this.liveRecording = new Recording(recordingCapacity);
        // what the monitor collected before this page was opened (the feed only replays its last events)
        log.snapshot().values().forEach(liveRecording::addAll);
        timeAxis.addListener((o, a, b) -> refresh());
        paused.addListener((o, was, now) -> {
            if (!now) {
                while (!waiting.isEmpty()) {
                    reveal(waiting.pollFirst());
                }
                waitingCount.set(0);
            }
            refresh();
        });
        window.addListener((o, a, b) -> {
            trim();
            refresh();
        });
        showAcks.addListener((o, a, b) -> refresh());
        follow.addListener((o, a, b) -> refresh());
        refresh();
    }

    /** True: the diagram stands still while events keep being collected. */
    public BooleanProperty pausedProperty() {
        return paused;
    }

    public BooleanProperty showAcksProperty() {
        return showAcks;
    }

    /** How many of the latest events the diagram shows. */
    public IntegerProperty windowProperty() {
        return window;
    }

    /** The operation (transaction) id followed; blank: none. */
    public StringProperty followProperty() {
        return follow;
    }

    /** Events collected while paused and not shown yet. */
    public ReadOnlyIntegerProperty waitingCountProperty() {
        return waitingCount.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty collectedProperty() {
        return collected.getReadOnlyProperty();
    }

    /** Ids of the operations seen, newest first. */
    public ObservableList<String> transactions() {
        return transactions;
    }

    public ReadOnlyObjectProperty<SpaceTime.Diagram> diagramProperty() {
        return diagram.getReadOnlyProperty();
    }

    public SpaceTime.Diagram diagram() {
        return diagram.get();
    }

    /** The followed operation's events, one line each, in time order. */
    public ObservableList<String> followSteps() {
        return followSteps;
    }

    public ReadOnlyStringProperty followSummaryProperty() {
        return followSummary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SpaceTime.Dot> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** "Live: 200 of 1,234 events" or "Paused: 12 new events waiting". */
    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty exportMessageProperty() {
        return exportMessage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty exportErrorProperty() {
        return exportError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty exportingProperty() {
        return exporting.getReadOnlyProperty();
    }

    /**
     * The view the diagram measures against: {@code Epoch 3 · ordering: b1, b2, b3 · out: b4 (lane dimmed)}; empty
     * while no view is known.
     */
    public ReadOnlyStringProperty viewTextProperty() {
        return viewText.getReadOnlyProperty();
    }

    public List<String> lanes() {
        return lanes;
    }

    /** True: the diagram places events by their banks' time; false: one column per event (logical order). */
    public BooleanProperty timeAxisProperty() {
        return timeAxis;
    }

    /** True: following the present (live events); false: at the cursor in the history or a recorded run. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** True: {@link #advance} moves the cursor forward. */
    public BooleanProperty playingProperty() {
        return playing;
    }

    /** Play speed, a multiple of real time. */
    public DoubleProperty speedProperty() {
        return speed;
    }

    /** The moment shown (ms since the epoch, the banks' clocks); the newest event's while live. */
    public ReadOnlyLongProperty cursorProperty() {
        return cursor.getReadOnlyProperty();
    }

    /** The first event's time in the history shown. */
    public ReadOnlyLongProperty startProperty() {
        return startMs.getReadOnlyProperty();
    }

    /** The last event's time in the history shown. */
    public ReadOnlyLongProperty endProperty() {
        return endMs.getReadOnlyProperty();
    }

    /** "12:00:01.234 (+3.2 s of 10.0 s)". */
    public ReadOnlyStringProperty cursorTextProperty() {
        return cursorText.getReadOnlyProperty();
    }

    /** What is shown: the live events, or the recorded run and its file. */
    public ReadOnlyStringProperty sourceTextProperty() {
        return sourceText.getReadOnlyProperty();
    }

    /** Each bank's state at the cursor: online or not, its clock, its hold-back queue. */
    public ObservableList<Recording.BankState> states() {
        return states;
    }

    /** The history the cursor moves in: the recorded run opened, or the live events kept. */
    Recording history() {
        return recorded != null ? recorded : liveRecording;
    }

    private List<String> shownLanes() {
        return recorded != null ? recordedLanes : lanes;
    }

    /** The parser regex to paste into ShiViz. */
    public static String shiVizRegex() {
        return ShiVizExport.REGEX;
    }

    // ------------------------------------------------------------------ events

    /** The banks' polls tell the view each orders in: the newest one counts, even before its VIEW events come. */
    @Override
    public void statuses(Map<String, BankStatus> latest) {
        boolean newer = false;
        for (BankStatus s : latest.values()) {
            ConsortiumSnapshot snap = s.snapshot();
            if (s.reachable() && snap != null && snap.hasView()
                    && (currentView == null || snap.epoch() > currentView.epoch())) {
                try {
                    newer |= learn(new View(snap.epoch(), snap.members(), snap.banks()));
                } catch (IllegalArgumentException e) {
                    // not a view this app can draw (no members, or not a majority): the VIEW events will tell
                }
            }
        }
        if (newer && !paused.get()) {
            refresh();
        }
    }

    /** Takes {@code v} as the current view when it is newer; true if it was. */
    private boolean learn(View v) {
        if (currentView != null && v.epoch() <= currentView.epoch()) {
            return false;
        }
        currentView = v;
        if (live.get()) {
            viewText.set(viewText(v));
        }
        return true;
    }

    /** {@code Epoch 3 · ordering: b1, b2, b3 · out: b4 (lane dimmed)}; empty for none. */
    static String viewText(View v) {
        if (v == null) {
            return "";
        }
        List<String> out = v.banks().stream().filter(b -> !v.isMember(b)).toList();
        return "Epoch " + v.epoch() + " \u00b7 ordering: " + String.join(", ", v.members()) + " \u00b7 "
                + (out.isEmpty() ? "every bank in the view" : "out: " + String.join(", ", out)
                + (out.size() == 1 ? " (lane dimmed)" : " (lanes dimmed)"));
    }

    @Override
    public void events(List<ProtocolEvent> batch) {
        liveRecording.addAll(batch);
        if (!live.get()) {
            // scrubbing or a recorded run: the diagram stays at the cursor; the live history keeps growing
            if (recorded == null) {
                startMs.set(liveRecording.startMs());
                endMs.set(liveRecording.endMs());
                refreshCursorText();
            }
            collected.set(collected.get() + batch.size());
            batch.forEach(e -> {
                if (e.type() == EventType.VIEW && e.view() != null) {
                    learn(e.view());
                }
            });
            recent.addAll(batch);
            while (recent.size() > RECENT) {
                recent.pollFirst();
            }
            shown.addAll(batch); // the live window, ready when going live again
            trim();
            return;
        }
        boolean revealed = false;
        List<String> newIds = new ArrayList<>();
        for (ProtocolEvent e : batch) {
            if (e.type() == EventType.VIEW && e.view() != null) {
                learn(e.view());
            }
            recent.addLast(e);
            if (recent.size() > RECENT) {
                recent.pollFirst();
            }
            if (e.opId() != null && knownIds.add(e.opId())) {
                newIds.add(0, e.opId());
            }
            if (paused.get()) {
                waiting.addLast(e);
                if (waiting.size() > MAX_WAITING) {
                    reveal(waiting.pollFirst()); // too many waiting: the oldest scroll by
                    revealed = true;
                }
            } else {
                reveal(e);
                revealed = true;
            }
        }
        collected.set(collected.get() + batch.size());
        if (!newIds.isEmpty()) {
            // newest first, at most MAX_TRANSACTIONS; added and trimmed in place (not replaced) so a
            // selector showing the list keeps its selection
            transactions.addAll(0, newIds);
            if (transactions.size() > MAX_TRANSACTIONS) {
                List<String> gone = transactions.subList(MAX_TRANSACTIONS, transactions.size());
                gone.forEach(knownIds::remove);
                transactions.remove(MAX_TRANSACTIONS, transactions.size());
            }
        }
        waitingCount.set(waiting.size());
        if (revealed) {
            refresh();
        } else {
            refreshStatus(); // paused: the diagram and the followed steps stand still
        }
    }

    private void reveal(ProtocolEvent e) {
        shown.addLast(e);
        trim();
    }

    private void trim() {
        while (shown.size() > Math.max(1, window.get())) {
            shown.pollFirst();
        }
    }

    /** While paused: shows the next waiting event; returns it, or null when none waits. */
    public ProtocolEvent step() {
        if (!paused.get() || waiting.isEmpty()) {
            return null;
        }
        ProtocolEvent e = waiting.pollFirst();
        reveal(e);
        waitingCount.set(waiting.size());
        refresh();
        return e;
    }

    /** The events the diagram shows, oldest first. */
    public List<ProtocolEvent> shownEvents() {
        return new ArrayList<>(shown);
    }

    /** Selects dot {@code index} of the diagram (a click); -1 clears. */
    public void select(int index) {
        List<SpaceTime.Dot> dots = diagram.get().dots();
        selected.set(index >= 0 && index < dots.size() ? dots.get(index) : null);
    }

    /** Follows the selected event's operation, when it has one. */
    public void followSelected() {
        SpaceTime.Dot d = selected.get();
        if (d != null && d.opId() != null) {
            follow.set(d.opId());
        }
    }

    private String followed() {
        String f = follow.get();
        return f == null ? "" : f.strip();
    }

    private void refresh() {
        SpaceTime.Diagram d;
        if (live.get()) {
            d = SpaceTime.layout(lanes, new ArrayList<>(shown), followed(), showAcks.get(), currentView,
                    timeAxis.get());
            startMs.set(liveRecording.startMs());
            endMs.set(liveRecording.endMs());
            cursor.set(liveRecording.endMs());
            viewText.set(viewText(currentView));
        } else {
            // as it was then: the view of the last VIEW event up to the cursor, not today's
            View then = history().lastView(cursor.get());
            d = SpaceTime.layout(shownLanes(), history().window(cursor.get(), window.get()), followed(),
                    showAcks.get(), then, timeAxis.get());
            viewText.set(viewText(then));
        }
        diagram.set(d);
        SpaceTime.Dot sel = selected.get();
        if (sel != null) {
            selected.set(d.dots().stream().filter(x -> x.detail().equals(sel.detail())).findFirst().orElse(null));
        }
        refreshStates();
        refreshFollow();
        refreshStatus();
        refreshCursorText();
    }

    /** Recomputes the banks' state at the cursor when the events up to it changed. */
    private void refreshStates() {
        Recording h = history();
        int count = h.countUpTo(cursor.get());
        if (h == statesOf && count == statesCount && h.size() == statesSize) {
            return;
        }
        statesOf = h;
        statesCount = count;
        statesSize = h.size();
        states.setAll(h.stateAt(shownLanes(), cursor.get()));
    }

    private void refreshCursorText() {
        long start = startMs.get();
        long t = cursor.get();
        cursorText.set(history().isEmpty() ? "no event yet" : SpaceTime.time(t) + String.format(java.util.Locale.ROOT,
                " (+%.1f s of %.1f s)", (t - start) / 1000.0, (endMs.get() - start) / 1000.0));
    }

    private void refreshStatus() {
        if (!live.get()) {
            int upTo = history().countUpTo(cursor.get());
            statusText.set((recorded != null ? "Recorded run" : "History") + " at " + SpaceTime.time(cursor.get())
                    + ": the last " + Math.min(upTo, window.get()) + " of " + upTo + " events up to then ("
                    + history().size() + " in all)" + (playing.get() ? ", playing at " + speedText(speed.get())
                    : "") + ". Live returns to the present.");
        } else {
            statusText.set(paused.get()
                    ? "Paused: " + waiting.size() + " new event" + (waiting.size() == 1 ? "" : "s")
                            + " collected and not shown yet. Step shows them one at a time."
                    : "Live: the last " + shown.size() + " of " + collected.get() + " events collected.");
        }
    }

    /** "0.25x", "4x". */
    public static String speedText(double s) {
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + "x";
    }

    // ------------------------------------------------------------------ history

    /** Leaves the present for moment {@code t} (clamped to the history): the diagram and states as they were then. */
    public void scrubTo(long t) {
        Recording h = history();
        if (live.get()) {
            live.set(false);
            paused.set(false); // pausing is the live view's; the cursor stands still by itself
            startMs.set(h.startMs());
            endMs.set(h.endMs());
        }
        cursor.set(Math.max(h.startMs(), Math.min(h.endMs(), t)));
        refresh();
    }

    /**
     * Plays forward: moves the cursor by {@code elapsedMs} times the speed, while playing; play stops at the end of
     * the history (the page stays there: Live returns to the present).
     */
    public void advance(long elapsedMs) {
        if (!playing.get() || live.get()) {
            return;
        }
        double step = elapsedMs * speed.get() + carryMs;
        long whole = (long) Math.floor(step);
        carryMs = step - whole;
        long next = cursor.get() + whole;
        if (next >= endMs.get()) {
            next = endMs.get();
            playing.set(false);
        }
        if (next != cursor.get()) {
            cursor.set(next);
            refresh();
        } else {
            refreshStatus();
        }
    }

    /** Starts playing from the cursor; from the start of the history when live or at its end. */
    public void play() {
        if (history().isEmpty()) {
            playing.set(false);
            return;
        }
        if (live.get() || cursor.get() >= history().endMs()) {
            scrubTo(history().startMs());
        }
        carryMs = 0;
        playing.set(true);
        refreshStatus();
    }

    /** Back to the present: the live events, the newest window, the transactions collected. */
    public void goLive() {
        playing.set(false);
        boolean wasLive = live.get();
        recorded = null;
        recordedLanes = List.of();
        sourceText.set("");
        live.set(true);
        if (!wasLive) {
            // a recorded run listed its own; while in the history the new ones were not listed
            listTransactions(liveRecording.events());
        }
        refresh();
    }

    /** The transactions of {@code events} (time order), newest first. */
    private void listTransactions(List<ProtocolEvent> events) {
        knownIds.clear();
        for (int i = events.size() - 1; i >= 0 && knownIds.size() < MAX_TRANSACTIONS; i--) {
            String id = events.get(i).opId();
            if (id != null) {
                knownIds.add(id);
            }
        }
        transactions.setAll(knownIds);
    }

    /** Shows {@code run} instead of the live events, its cursor at its end, until {@link #goLive()}. */
    void showRecorded(Recording run, String source) {
        playing.set(false);
        recorded = run;
        java.util.LinkedHashSet<String> banks = new java.util.LinkedHashSet<>();
        run.events().forEach(e -> banks.add(e.self()));
        List<String> sorted = new ArrayList<>(banks);
        sorted.sort(org.distribank.consortium.entity.PeerIds.COMPARATOR);
        recordedLanes = List.copyOf(sorted);
        sourceText.set(source);
        listTransactions(run.events());
        live.set(false);
        paused.set(false);
        startMs.set(run.startMs());
        endMs.set(run.endMs());
        cursor.set(run.endMs());
        refresh();
    }

    /** The followed operation's events among those revealed (not the ones waiting while paused). */
    private void refreshFollow() {
        String id = followed();
        if (id.isEmpty()) {
            followSteps.clear();
            followSummary.set("Pick a transaction to follow it through the protocol.");
            return;
        }
        List<ProtocolEvent> revealed;
        if (!live.get()) {
            // as far as the cursor: the steps taken by then, from the operation's first event on
            revealed = history().fromFirstOf(id, cursor.get(), RECENT);
        } else {
            revealed = new ArrayList<>(recent.size());
            int keep = recent.size() - waiting.size();
            Iterator<ProtocolEvent> it = recent.iterator();
            for (int i = 0; i < keep && it.hasNext(); i++) {
                revealed.add(it.next());
            }
        }
        Set<ProtocolEvent> mine = SpaceTime.followed(revealed, id);
        List<ProtocolEvent> steps = revealed.stream().filter(mine::contains)
                .sorted(java.util.Comparator.comparingLong(ProtocolEvent::timeMs)).toList();
        List<String> lines = steps.stream().map(SpaceTime::line).toList();
        if (!lines.equals(followSteps)) {
            followSteps.setAll(lines);
        }
        followSummary.set(summary(id, steps));
    }

    static String summary(String id, List<ProtocolEvent> steps) {
        if (steps.isEmpty()) {
            return "No event of " + id + " collected (yet).";
        }
        String origin = steps.stream().filter(e -> e.type() == EventType.SEND && id.equals(e.opId())
                && "OP".equals(SpaceTime.messageKind(e))).map(ProtocolEvent::self).findFirst()
                .orElse(steps.stream().filter(e -> e.type() == EventType.DELIVER).map(ProtocolEvent::peer)
                        .findFirst().orElse("?"));
        Set<String> delivered = new TreeSet<>();
        Set<String> committed = new TreeSet<>();
        Set<String> aborted = new TreeSet<>();
        String reason = null;
        for (ProtocolEvent e : steps) {
            switch (e.type()) {
                case DELIVER -> delivered.add(e.self());
                case COMMIT -> committed.add(e.self());
                case ABORT -> {
                    aborted.add(e.self());
                    reason = e.detail();
                }
                default -> {
                }
            }
        }
        long acks = steps.stream().filter(e -> e.type() == EventType.ACK).count();
        StringBuilder sb = new StringBuilder("From ").append(origin).append(": ").append(steps.size())
                .append(" events, ").append(acks).append(" ACK").append(acks == 1 ? "" : "s").append(", delivered at ")
                .append(delivered.isEmpty() ? "no bank yet" : String.join(", ", delivered));
        if (!committed.isEmpty()) {
            sb.append("; COMMITTED at ").append(String.join(", ", committed));
        }
        if (!aborted.isEmpty()) {
            sb.append("; ABORTED at ").append(String.join(", ", aborted));
            if (reason != null) {
                sb.append(" (").append(reason).append(')');
            }
        }
        if (committed.isEmpty() && aborted.isEmpty()) {
            sb.append("; not decided yet");
        }
        return sb.append('.').toString();
    }

    // ------------------------------------------------------------------ export

    /** Writes every event the app collected to {@code file} in ShiViz's format. */
    public void exportShiViz(Path file) {
        if (exporting.get()) {
            return;
        }
        exporting.set(true);
        exportError.set("");
        tasks.run(() -> {
            int n = log.exportShiViz(file);
            String banks = String.join(", ", log.snapshot().keySet());
            return "Wrote " + n + " events" + (banks.isEmpty() ? "" : " of " + banks) + " to " + file
                    + ". Open it in ShiViz and paste the parser regex below.";
        }, m -> {
            exporting.set(false);
            exportMessage.set(m);
        }, e -> {
            exporting.set(false);
            exportError.set("Could not write " + file + ": " + Errors.describe(e));
        });
    }

    /** Saves the history shown (the live events kept, or the recorded run) to {@code file}, one JSON event a line. */
    public void saveRecording(Path file) {
        List<ProtocolEvent> events = history().events();
        fileTask(() -> RecordedRuns.save(file, events), n -> "Saved " + n + " events to " + file + ".", n -> { },
                "Could not write " + file);
    }

    /** Opens a run saved by {@link #saveRecording} or a ShiViz log and shows it instead of the live events. */
    public void openRecording(Path file) {
        int capacity = liveRecording.capacity();
        fileTask(() -> RecordedRuns.load(file), r -> "Opened " + r.events().size() + " events from " + file + ".",
                r -> {
                    Recording run = Recording.of(r.events(), capacity);
                    showRecorded(run, "Recorded run: " + file.getFileName() + " (" + r.format() + ", " + run.size()
                            + " events). Live returns to the live events.");
                }, "Could not open " + file);
    }

    /** Runs a file task in the background; then, on the UI thread, shows its message and hands on its result. */
    private <T> void fileTask(java.util.concurrent.Callable<T> work, java.util.function.Function<T, String> message,
                              java.util.function.Consumer<T> then, String failure) {
        if (exporting.get()) {
            return;
        }
        exporting.set(true);
        exportError.set("");
        tasks.run(work, r -> {
            exporting.set(false);
            exportMessage.set(message.apply(r));
            then.accept(r);
        }, e -> {
            exporting.set(false);
            exportError.set(failure + ": " + Errors.describe(e));
        });
    }
}
