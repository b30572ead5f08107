package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
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
import org.distribank.app.client.BankApiException;
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
 * error, its place in the view) with the view the consortium orders in, and the invariant panel: audits (an AUDIT
 * in the total order) with the consortium's total, each bank's part, whether the total stayed constant since the
 * previous audit, and, when a bank is out, the refusal in plain words.
 */
public final class OverviewViewModel implements LiveFeed.Sink {

    /** How often the page audits while it is shown. */
    public static final long AUDIT_EVERY_MS = 5_000;
    /** Audits kept for the history table and chart. */
    public static final int AUDIT_HISTORY = 60;
    /** The error code of a refusal because a bank needed is offline or out of the view (API.md). */
    static final String BANK_OFFLINE = "BANK_OFFLINE";

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
    private final ReadOnlyStringWrapper auditRefused = new ReadOnlyStringWrapper("");
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

    /**
     * The view the answering banks order in (DESIGN.md "Views"), e.g. {@code Epoch 3 · ordering: b1, b2, b3 · out:
     * b4}, and any bank still at an older epoch; empty while no bank tells its view.
     */
    public ReadOnlyStringProperty viewTextProperty() {
        return viewText.getReadOnlyProperty();
    }

    /** "3 of 4 banks online" and the like. */
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

    /**
     * Why the last audit was refused because a bank is out or offline ({@code 503 BANK_OFFLINE}), naming the banks in
     * plain words; empty once an audit succeeds. An audit needs every bank's figure, so this is the consortium's
     * state, not the app's failure (that is {@link #auditErrorProperty()}).
     */
    public ReadOnlyStringProperty auditRefusedProperty() {
        return auditRefused.getReadOnlyProperty();
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
                boolean stopped = BankStatus.STOPPED.equals(s.error());
                c.setLight(BankCard.Light.OFFLINE, (stopped ? "stopped from this app" : "not answering this app")
                        + (seenOffline.isEmpty() ? "; the other banks have not noticed yet"
                        : "; " + String.join(", ", seenOffline) + (seenOffline.size() == 1 ? " sees" : " see")
                        + " it offline"));
                c.setError(stopped ? BankStatus.STOPPED : "not answering", s.error());
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

    /**
     * The view of the highest epoch any answering bank reports (the newest the consortium decided): its members,
     * the banks out of it, and the banks still at an older epoch; each card says where its bank stands.
     */
    private void describeView() {
        ConsortiumSnapshot newest = newestView();
        if (newest == null) {
            viewText.set("");
            cards.forEach(c -> c.setMembership(BankCard.Membership.UNKNOWN, ""));
            return;
        }
        List<String> out = outOf(newest);
        List<String> behind = new ArrayList<>();
        long epoch = newest.epoch();
        for (BankCard c : cards) {
            BankStatus s = latest.get(c.id());
            boolean answers = s != null && s.reachable();
            long own = answers && s.snapshot() != null && s.snapshot().hasView() ? s.snapshot().epoch() : -1;
            String older = own >= 0 && own < epoch ? "; it is still at epoch " + own : "";
            if (own >= 0 && own < epoch) {
                behind.add(c.id() + " (epoch " + own + ")");
            }
            if (!newest.banks().contains(c.id())) {
                c.setMembership(BankCard.Membership.RETIRED, "retired from the consortium (epoch " + epoch
                        + "): it holds no accounts and orders nothing");
            } else if (out.contains(c.id())) {
                c.setMembership(BankCard.Membership.OUT, "out of the view (epoch " + epoch + "): the others order "
                        + "without it" + older);
            } else if (!older.isEmpty()) {
                c.setMembership(BankCard.Membership.BEHIND, "a member of epoch " + epoch + older);
            } else {
                c.setMembership(BankCard.Membership.MEMBER, "in the view (epoch " + epoch + ")"
                        + (answers ? "" : ", though not answering: a member until a view change leaves it out"));
            }
        }
        List<String> retired = out.stream().filter(b -> !newest.banks().contains(b)).toList();
        List<String> outNow = out.stream().filter(b -> newest.banks().contains(b)).toList();
        StringBuilder text = new StringBuilder("Epoch " + epoch + " \u00b7 ordering: "
                + String.join(", ", newest.members()) + " \u00b7 "
                + (outNow.isEmpty() ? "every bank in the view" : "out: " + String.join(", ", outNow)));
        if (!retired.isEmpty()) {
            text.append(" \u00b7 retired: ").append(String.join(", ", retired));
        }
        if (!behind.isEmpty()) {
            text.append(" \u00b7 at an older epoch: ").append(String.join(", ", behind));
        }
        viewText.set(text.toString());
    }

    /** The snapshot of the answering bank in the highest epoch, or null when none tells its view. */
    private ConsortiumSnapshot newestView() {
        ConsortiumSnapshot newest = null;
        for (BankCard c : cards) {
            BankStatus s = latest.get(c.id());
            if (s != null && s.reachable() && s.snapshot() != null && s.snapshot().hasView()
                    && (newest == null || s.snapshot().epoch() > newest.epoch())) {
                newest = s.snapshot();
            }
        }
        return newest;
    }

    /** The banks out of {@code view}: its configured banks and this app's, less its members, in peer order. */
    private List<String> outOf(ConsortiumSnapshot view) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(PeerIds.COMPARATOR);
        all.addAll(view.banks());
        all.addAll(byId.keySet());
        return all.stream().filter(b -> !view.members().contains(b)).toList();
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
            auditRefused.set("");
            record(r, System.currentTimeMillis());
        }, e -> {
            auditing.set(false);
            if (e instanceof BankApiException b && BANK_OFFLINE.equals(b.code())) {
                auditError.set("");
                auditRefused.set(refusal(b.getMessage()));
            } else {
                auditError.set("The last audit failed: " + Errors.describe(e));
            }
        });
    }

    /**
     * The refusal of an audit in plain words: the banks its message names (else those out of the newest view), each
     * said to be outside the view (its figure and the legs owed to it unknown) or offline (its figure unknown).
     */
    String refusal(String message) {
        List<String> named = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (message != null && Pattern.compile("(?<![\\w-])" + Pattern.quote(id) + "(?![\\w-])")
                    .matcher(message).find()) {
                named.add(id);
            }
        }
        ConsortiumSnapshot newest = newestView();
        List<String> out = newest == null ? List.of() : outOf(newest);
        if (named.isEmpty()) {
            named.addAll(out);
        }
        if (named.isEmpty()) {
            return "Audit refused: a bank needed is offline" + (message == null ? "." : " (" + message + ").");
        }
        List<String> outside = named.stream().filter(out::contains).toList();
        List<String> offline = named.stream().filter(b -> !out.contains(b)).toList();
        List<String> clauses = new ArrayList<>();
        if (!outside.isEmpty()) {
            clauses.add(outside.size() == 1
                    ? outside.get(0) + " is outside the view; its total and owed legs are unknown"
                    : and(outside) + " are outside the view; their totals and owed legs are unknown");
        }
        if (!offline.isEmpty()) {
            clauses.add(offline.size() == 1 ? offline.get(0) + " is offline; its total is unknown"
                    : and(offline) + " are offline; their totals are unknown");
        }
        return "Audit refused: " + String.join("; ", clauses) + ".";
    }

    private static String and(List<String> ids) {
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " and " + ids.get(ids.size() - 1);
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
