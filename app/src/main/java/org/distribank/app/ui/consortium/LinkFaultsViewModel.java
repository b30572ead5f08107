package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.distribank.app.service.LinkControls;
import org.distribank.app.service.LinkControls.Direction;
import org.distribank.app.service.LinkControls.LinkCallException;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;

/**
 * The faults page's link controls: cut, slow or restore the link between two banks through {@link LinkControls}
 * (a bank's outbound link; both ways means both banks), and every pair's state as the banks report it. Every action
 * is told in the page's {@link FaultLog}.
 */
public final class LinkFaultsViewModel {

    public static final long MIN_DELAY_MS = 1;
    public static final long MAX_DELAY_MS = 60_000;

    /** Whether the banks have the link endpoint: not known yet, yes, or no (an older bank answers 404). */
    public enum LinkSupport { UNKNOWN, SUPPORTED, UNSUPPORTED }

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
            return s.startsWith(LinkMode.CUT.name()) || s.startsWith(LinkMode.SLOW.name());
        }
    }

    private final List<String> ids;
    private final LinkControls controls;
    private final FaultLog log;
    private final UiTasks tasks;

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

    /** {@code ids}: the banks, in the order the table lists their pairs. */
    public LinkFaultsViewModel(List<String> ids, LinkControls controls, FaultLog log, UiTasks tasks) {
        this.ids = List.copyOf(ids);
        this.controls = controls;
        this.log = log;
        this.tasks = tasks;
        if (ids.size() >= 2) {
            linkFrom.set(ids.get(0));
            linkTo.set(ids.get(1));
        }
        pairValid = Bindings.createBooleanBinding(() -> linkFrom.get() != null && linkTo.get() != null
                && this.ids.contains(linkFrom.get()) && this.ids.contains(linkTo.get())
                && !linkFrom.get().equals(linkTo.get()), linkFrom, linkTo);
        delayValid = Bindings.createBooleanBinding(() -> parseDelay(delayMs.get()) != null, delayMs);
        pairError.bind(Bindings.when(pairValid).then("").otherwise("Pick two different banks."));
        delayError.bind(Bindings.when(delayValid).then("").otherwise("A delay is a whole number of milliseconds, "
                + MIN_DELAY_MS + " to " + MAX_DELAY_MS + "."));
        links.setAll(rows(Map.of()));
    }

    /** The banks, in table order. */
    public List<String> bankIds() {
        return ids;
    }

    /** Where the actions are told. */
    public FaultLog log() {
        return log;
    }

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

    /** Each answering bank's outbound links by peer, and how many banks had no endpoint or failed. */
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
        for (String id : ids) {
            if (!controls.canAsk(id)) {
                continue;
            }
            try {
                Map<String, LinkState> m = new LinkedHashMap<>();
                for (LinkState l : controls.links(id)) {
                    m.put(l.peer(), l);
                }
                states.put(id, m);
                answered++;
            } catch (LinkCallException e) {
                if (e.unsupported()) {
                    unsupported++;
                } else {
                    errors.add(id + ": " + e.getMessage());
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
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                String a = ids.get(i);
                String b = ids.get(j);
                out.add(new LinkRow(a, b, describe(states, a, b), describe(states, b, a)));
            }
        }
        return out;
    }

    /** "UP", "CUT", "SLOW 300 ms", or "unknown" when {@code from} did not report its links. */
    private static String describe(Map<String, Map<String, LinkState>> states, String from, String to) {
        Map<String, LinkState> m = states.get(from);
        if (m == null) {
            return "unknown";
        }
        LinkState l = m.get(to);
        return l == null ? LinkMode.UP.name() : l.describe();
    }

    public void cutLink() {
        changeLink(LinkMode.CUT, 0);
    }

    public void slowLink() {
        Long d = parseDelay(delayMs.get());
        if (d == null) {
            log.fail("Cannot slow the link: " + delayError.get());
            return;
        }
        changeLink(LinkMode.SLOW, d);
    }

    public void restoreLink() {
        changeLink(LinkMode.UP, 0);
    }

    private void changeLink(LinkMode mode, long delay) {
        if (!pairValid.get()) {
            log.fail("Cannot change the link: " + pairError.get());
            return;
        }
        Direction there = new Direction(linkFrom.get(), linkTo.get());
        List<Direction> directions = bothWays.get() ? List.of(there, there.reversed()) : List.of(there);
        String what = there.from() + (bothWays.get() ? " \u2194 " : " \u2192 ") + there.to();
        linksBusy.set(true);
        tasks.run(() -> new LinkChange(apply(directions, mode, delay), scan()), r -> {
            linksBusy.set(false);
            show(r.after());
            if (r.failures().isEmpty()) {
                log.say(switch (mode) {
                    case CUT -> "Cut " + what + ": messages on it are held back (and resent once it is restored). "
                            + "Operations wait for them, and a bank whose heartbeats stop is marked offline.";
                    case SLOW -> "Slowed " + what + ": every message on it waits " + delay + " ms.";
                    case UP -> "Restored " + what + ": held messages flow again and the banks catch up.";
                });
            } else {
                log.fail("Could not change " + what + ": " + String.join("; ", r.failures()));
            }
        }, e -> {
            linksBusy.set(false);
            log.fail("Could not change " + what + ": " + Errors.describe(e));
        });
    }

    /** Sets every direction (background); what failed, in words, per bank. */
    private List<String> apply(List<Direction> directions, LinkMode mode, long delay) {
        List<String> failures = new ArrayList<>();
        for (Direction d : directions) {
            try {
                controls.set(d, mode, delay);
            } catch (LinkCallException e) {
                failures.add(e.unsupported() ? d.from() + " has no link controls (it answered 404)"
                        : d.from() + ": " + e.getMessage());
            }
        }
        return failures;
    }

    /** Restores every link that is not UP. */
    public void restoreAllLinks() {
        List<Direction> bad = new ArrayList<>();
        for (LinkRow r : links) {
            if (r.faulty()) {
                Direction d = new Direction(r.a(), r.b());
                bad.add(d);
                bad.add(d.reversed());
            }
        }
        if (bad.isEmpty()) {
            log.say("Every link is up already.");
            return;
        }
        linksBusy.set(true);
        tasks.run(() -> new LinkChange(apply(bad, LinkMode.UP, 0), scan()), r -> {
            linksBusy.set(false);
            show(r.after());
            if (r.failures().isEmpty()) {
                log.say("Restored every link.");
            } else {
                log.fail("Could not restore every link: " + String.join("; ", r.failures()));
            }
        }, e -> {
            linksBusy.set(false);
            log.fail("Could not restore the links: " + Errors.describe(e));
        });
    }
}
