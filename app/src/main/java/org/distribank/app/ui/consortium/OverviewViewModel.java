package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.AuditResult;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.PeerState;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.ui.common.Errors;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.PeerIds;

/**
 * The consortium overview: a card per bank (online light from this app's poll and the other banks'
 * failure detectors, vector clock, queue depth, deliveries, log hash compared across banks, last
 * error) and the invariant panel: audits (an AUDIT in the total order) with the consortium's total,
 * each bank's part, and whether the total stayed constant since the previous audit.
 */
public final class OverviewViewModel implements LiveFeed.Sink {

    /** How often the page audits while it is shown. */
    public static final long AUDIT_EVERY_MS = 5_000;
    /** Audits kept for the history table and chart. */
    public static final int AUDIT_HISTORY = 60;
    /** What an operator calls a bank the app stopped itself (the monitor's word). */
    static final String STOPPED = "stopped";

    /** The banks' agreement on what they delivered. */
    public enum Agreement { AGREE, CATCHING_UP, DIFFERS, UNKNOWN }

    /** One bank's part of an audit. */
    public record Share(String bank, long cents) {
        public String text() {
            return Money.format(cents);
        }
    }

    private final UiTasks tasks;
    private final Supplier<AuditResult> auditor;
    private final ObservableList<BankCard> cards = FXCollections.observableArrayList();
    private final Map<String, BankCard> byId = new LinkedHashMap<>();
    private final Map<String, BankStatus> latest = new HashMap<>();
    private final ReadOnlyObjectWrapper<Agreement> agreement = new ReadOnlyObjectWrapper<>(Agreement.UNKNOWN);
    private final ReadOnlyStringWrapper agreementText = new ReadOnlyStringWrapper("Waiting for the banks to answer.");
    private final ReadOnlyStringWrapper onlineText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper viewText = new ReadOnlyStringWrapper("");

    private final ObservableList<AuditEntry> audits = FXCollections.observableArrayList();
    private final ObservableList<Share> shares = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<AuditEntry> lastAudit = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper totalText = new ReadOnlyStringWrapper("No audit yet");
    private final ReadOnlyStringWrapper invariantText = new ReadOnlyStringWrapper(
            "An audit places a snapshot in the total order: every bank reports its total at the same position.");
    private final ReadOnlyBooleanWrapper invariantChanged = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper auditError = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper auditing = new ReadOnlyBooleanWrapper(false);

    public OverviewViewModel(List<BankRef> banks, Supplier<AuditResult> auditor, UiTasks tasks) {
        this.tasks = tasks;
        this.auditor = auditor;
        for (BankRef b : banks) {
            BankCard c = new BankCard(b.id(), b.name(), b.url());
            byId.put(b.id(), c);
            cards.add(c);
        }
    }

    public ObservableList<BankCard> cards() {
        return cards;
    }

    public BankCard card(String id) {
        return byId.get(id);
    }

    public ReadOnlyObjectProperty<Agreement> agreementProperty() {
        return agreement.getReadOnlyProperty();
    }

    /** One sentence on the banks' deliveries and hashes. */
    public ReadOnlyStringProperty agreementTextProperty() {
        return agreementText.getReadOnlyProperty();
    }

    /** "3 of 4 banks online" and the like. */
    /**
     * The view the answering banks order in (DESIGN.md "Views"): its epoch, who is in and who is out, and any bank
     * still in an older view; empty while no bank tells its view.
     */
    public ReadOnlyStringProperty viewTextProperty() {
        return viewText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty onlineTextProperty() {
        return onlineText.getReadOnlyProperty();
    }

    /** Audits made, oldest first, at most {@link #AUDIT_HISTORY}. */
    public ObservableList<AuditEntry> audits() {
        return audits;
    }

    /** Each bank's part of the last audit. */
    public ObservableList<Share> shares() {
        return shares;
    }

    public ReadOnlyObjectProperty<AuditEntry> lastAuditProperty() {
        return lastAudit.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty totalTextProperty() {
        return totalText.getReadOnlyProperty();
    }

    /** Whether the total stayed constant since the previous audit, and if not by how much. */
    public ReadOnlyStringProperty invariantTextProperty() {
        return invariantText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty invariantChangedProperty() {
        return invariantChanged.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty auditErrorProperty() {
        return auditError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty auditingProperty() {
        return auditing.getReadOnlyProperty();
    }

    // ------------------------------------------------------------------ banks

    @Override
    public void statuses(Map<String, BankStatus> changed) {
        latest.putAll(changed);
        recompute();
    }

    private void recompute() {
        int online = 0;
        for (BankCard c : cards) {
            BankStatus s = latest.get(c.id());
            if (s == null) {
                c.setLight(BankCard.Light.UNKNOWN, "waiting for its first answer");
                c.setError("", "");
                continue;
            }
            List<String> seenOffline = seenOfflineBy(c.id());
            if (!s.reachable()) {
                boolean stopped = STOPPED.equals(s.error());
                c.setLight(BankCard.Light.OFFLINE, (stopped ? "stopped from this app" : "not answering this app")
                        + (seenOffline.isEmpty() ? "; the other banks have not noticed yet"
                        : "; " + String.join(", ", seenOffline) + (seenOffline.size() == 1 ? " sees" : " see")
                        + " it offline"));
                c.setError(stopped ? STOPPED : "not answering", s.error());
                continue;
            }
            c.setError("", "");
            ConsortiumSnapshot snap = s.snapshot();
            if (snap != null) {
                c.setView(clockText(snap.clock()), snap.queue().size(), snap.delivered(), snap.logHash());
            }
            if (seenOffline.isEmpty()) {
                c.setLight(BankCard.Light.ONLINE, "online: answers this app and every other bank sees it");
                online++;
            } else {
                c.setLight(BankCard.Light.SUSPECT, "answers this app, but " + String.join(", ", seenOffline)
                        + (seenOffline.size() == 1 ? " sees" : " see") + " it offline");
            }
        }
        onlineText.set(online + " of " + cards.size() + " banks online");
        compareHashes();
        describeView();
    }

    /** The highest epoch any answering bank is in, its members and the banks out of it; laggards named. */
    private void describeView() {
        ConsortiumSnapshot newest = null;
        for (BankCard c : cards) {
            BankStatus s = latest.get(c.id());
            if (s != null && s.reachable() && s.snapshot() != null && s.snapshot().epoch() >= 0
                    && (newest == null || s.snapshot().epoch() > newest.epoch())) {
                newest = s.snapshot();
            }
        }
        if (newest == null) {
            viewText.set("");
            return;
        }
        List<String> out = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        for (BankCard c : cards) {
            if (!newest.members().contains(c.id())) {
                out.add(c.id());
            }
            BankStatus s = latest.get(c.id());
            if (s != null && s.reachable() && s.snapshot() != null && s.snapshot().epoch() >= 0
                    && s.snapshot().epoch() < newest.epoch()) {
                behind.add(c.id() + " (epoch " + s.snapshot().epoch() + ")");
            }
        }
        StringBuilder text = new StringBuilder("View epoch " + newest.epoch() + ": "
                + String.join(", ", newest.members()) + (out.isEmpty() ? ", every bank ordering together"
                : " ordering; out: " + String.join(", ", out)));
        if (!behind.isEmpty()) {
            text.append("; still in an older view: ").append(String.join(", ", behind));
        }
        viewText.set(text.toString());
    }

    /** The answering banks whose failure detector has bank {@code id} offline. */
    public List<String> seenOfflineBy(String id) {
        List<String> out = new ArrayList<>();
        for (BankCard other : cards) {
            BankStatus o = latest.get(other.id());
            if (other.id().equals(id) || o == null || !o.reachable() || o.snapshot() == null) {
                continue;
            }
            for (PeerState p : o.snapshot().peers()) {
                if (p.id().equals(id) && !p.online()) {
                    out.add(other.id());
                }
            }
        }
        return out;
    }

    /** Banks that delivered as many operations must have the same log hash. */
    private void compareHashes() {
        Map<Long, List<BankCard>> byDelivered = new TreeMap<>();
        for (BankCard c : cards) {
            BankStatus s = latest.get(c.id());
            if (s != null && s.reachable() && s.snapshot() != null) {
                byDelivered.computeIfAbsent(s.snapshot().delivered(), k -> new ArrayList<>()).add(c);
            } else {
                c.setHash(BankCard.HashState.UNKNOWN, "");
            }
        }
        boolean differs = false;
        for (Map.Entry<Long, List<BankCard>> g : byDelivered.entrySet()) {
            List<BankCard> group = g.getValue();
            if (group.size() == 1) {
                group.get(0).setHash(BankCard.HashState.ALONE, "no other bank at " + g.getKey() + " delivered");
                continue;
            }
            for (BankCard c : group) {
                List<String> others = group.stream().filter(o -> o != c
                        && !Objects.equals(o.hashFullProperty().get(), c.hashFullProperty().get()))
                        .map(BankCard::id).toList();
                if (others.isEmpty()) {
                    c.setHash(BankCard.HashState.AGREE, "agree");
                } else {
                    differs = true;
                    c.setHash(BankCard.HashState.DIFFERS, "differs from " + String.join(", ", others));
                }
            }
        }
        if (byDelivered.isEmpty()) {
            agreement.set(Agreement.UNKNOWN);
            agreementText.set("No bank answers: nothing to compare.");
        } else if (differs) {
            agreement.set(Agreement.DIFFERS);
            agreementText.set("Banks that delivered as many operations have different log hashes: "
                    + "they delivered in a different order.");
        } else if (byDelivered.size() == 1) {
            long n = byDelivered.keySet().iterator().next();
            List<BankCard> g = byDelivered.get(n);
            agreement.set(g.size() > 1 ? Agreement.AGREE : Agreement.UNKNOWN);
            agreementText.set(g.size() > 1 ? "The " + g.size() + " banks answering delivered the same " + n
                    + " operations in the same order (equal log hashes)." : "Only one bank answers: nothing to compare.");
        } else {
            agreement.set(Agreement.CATCHING_UP);
            agreementText.set("Delivered so far: " + byDelivered.entrySet().stream()
                    .flatMap(e -> e.getValue().stream().map(c -> c.id() + " " + e.getKey()))
                    .collect(Collectors.joining(", ")) + " (the others are catching up; equal counts have equal hashes).");
        }
    }

    static String clockText(Map<String, Long> clock) {
        return clock.entrySet().stream().sorted(Map.Entry.comparingByKey(PeerIds.COMPARATOR))
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining("  "));
    }

    // ------------------------------------------------------------------ audits

    /** Audits now (the button); ignored while an audit is on its way. */
    public void audit() {
        if (auditing.get()) {
            return;
        }
        auditing.set(true);
        tasks.run(auditor::get, r -> {
            auditing.set(false);
            auditError.set("");
            record(r, System.currentTimeMillis());
        }, e -> {
            auditing.set(false);
            auditError.set("The last audit failed: " + Errors.describe(e));
        });
    }

    /** Records an audit's answer (public for tests). */
    public void record(AuditResult r, long atMs) {
        AuditEntry prev = lastAudit.get();
        AuditEntry e = new AuditEntry(atMs, r.position(), r.total(), Map.copyOf(r.perBank()),
                prev == null ? null : r.total() - prev.total());
        audits.add(e);
        if (audits.size() > AUDIT_HISTORY) {
            audits.remove(0);
        }
        lastAudit.set(e);
        List<Share> s = new ArrayList<>();
        for (BankCard c : cards) {
            s.add(new Share(c.id(), r.perBank().getOrDefault(c.id(), 0L)));
        }
        r.perBank().forEach((bank, cents) -> {
            if (!byId.containsKey(bank)) {
                s.add(new Share(bank, cents));
            }
        });
        shares.setAll(s);
        totalText.set(Money.format(r.total()));
        long sum = r.perBank().values().stream().mapToLong(Long::longValue).sum();
        String parts = (sum == r.total() ? "" : " The banks' parts add up to " + Money.format(sum)
                + ", not to the total!")
                + (r.discrepancies().isEmpty() ? "" : " Data servers differ from their banks: "
                        + String.join("; ", r.discrepancies()));
        boolean broken = sum != r.total() || !r.discrepancies().isEmpty();
        if (e.change() == null) {
            invariantChanged.set(broken);
            invariantText.set("First audit at position " + r.position() + ": the consortium holds "
                    + Money.format(r.total()) + "." + parts);
        } else if (e.change() == 0) {
            invariantChanged.set(broken);
            invariantText.set("The total stayed constant since the previous audit (position " + prev.position()
                    + " to " + r.position() + ")." + parts);
        } else {
            invariantChanged.set(true);
            invariantText.set("The total changed by " + Money.signed(e.change()) + " since the previous audit"
                    + " (position " + prev.position() + " to " + r.position() + "): deposits and withdrawals"
                    + " change it, transfers never do." + parts);
        }
    }
}
