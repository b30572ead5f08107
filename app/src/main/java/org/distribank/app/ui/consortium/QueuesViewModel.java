package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.QueueItem;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;

/**
 * Every bank's hold-back queue, live (from the monitor's polls): the operations it holds in order-key
 * order, who acknowledged each, and whether it waits for ACKs or, delivered, for the votes.
 */
public final class QueuesViewModel implements LiveFeed.Sink {

    /** One queued operation, ready to show. */
    public record Row(String id, String origin, String clock, String orderKey, String acks, String ackNames,
                      String state, String explanation) {
    }

    /** One bank's queue. */
    public static final class BankQueue {
        private final String id;
        private final String name;
        private final ObservableList<Row> rows = FXCollections.observableArrayList();
        private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("waiting for its first answer");
        private final ReadOnlyBooleanWrapper reachable = new ReadOnlyBooleanWrapper(false);

        BankQueue(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public ObservableList<Row> rows() {
            return rows;
        }

        public ReadOnlyStringProperty summaryProperty() {
            return summary.getReadOnlyProperty();
        }

        public ReadOnlyBooleanProperty reachableProperty() {
            return reachable.getReadOnlyProperty();
        }
    }

    public static final String QUEUED = "QUEUED";
    public static final String DELIVERED = "DELIVERED";

    private final ObservableList<BankQueue> banks = FXCollections.observableArrayList();
    private final Map<String, BankQueue> byId = new LinkedHashMap<>();

    public QueuesViewModel(List<BankRef> refs) {
        for (BankRef b : refs) {
            BankQueue q = new BankQueue(b.id(), b.name());
            byId.put(b.id(), q);
            banks.add(q);
        }
    }

    public ObservableList<BankQueue> banks() {
        return banks;
    }

    public BankQueue bank(String id) {
        return byId.get(id);
    }

    @Override
    public void statuses(Map<String, BankStatus> changed) {
        changed.forEach((id, s) -> {
            BankQueue q = byId.get(id);
            if (q != null) {
                update(q, s);
            }
        });
    }

    private static void update(BankQueue q, BankStatus s) {
        q.reachable.set(s.reachable() && s.snapshot() != null);
        if (!s.reachable()) {
            q.summary.set(BankStatus.STOPPED.equals(s.error())
                    ? q.id + " is stopped: its queue is on its disk and comes back when it restarts."
                    : q.id + " is not answering: its queue is unknown.");
            q.rows.clear();
            return;
        }
        ConsortiumSnapshot snap = s.snapshot();
        if (snap == null) {
            return;
        }
        List<Row> rows = rows(snap);
        if (!rows.equals(q.rows)) {
            q.rows.setAll(rows);
        }
        long queued = rows.stream().filter(r -> QUEUED.equals(r.state())).count();
        q.summary.set(rows.isEmpty() ? "Empty: everything " + q.id + " received is delivered and decided ("
                + snap.delivered() + " delivered)."
                : queued + " waiting for ACKs, " + (rows.size() - queued) + " delivered and waiting for votes; "
                + snap.delivered() + " delivered in all.");
    }

    /** The rows of one bank's view: its peers (itself included) are who must acknowledge. */
    static List<Row> rows(ConsortiumSnapshot snap) {
        List<String> everyone = snap.peers().stream().map(p -> p.id()).toList();
        int n = everyone.isEmpty() ? snap.clock().size() : everyone.size();
        List<Row> rows = new ArrayList<>();
        for (QueueItem it : snap.queue()) {
            List<String> missing = everyone.stream().filter(p -> !it.acks().contains(p)).toList();
            long sum = it.clock().values().stream().mapToLong(Long::longValue).sum();
            String explanation;
            if (DELIVERED.equals(it.state())) {
                explanation = "delivered; waiting for the votes of the banks it touches";
            } else if (missing.isEmpty()) {
                explanation = "acknowledged by all; delivered when it reaches the head";
            } else {
                explanation = "waiting for " + String.join(", ", missing) + " to acknowledge";
            }
            rows.add(new Row(it.id(), it.origin(), OverviewViewModel.clockText(it.clock()),
                    "(" + sum + ", " + it.origin() + ")", it.acks().size() + "/" + n, String.join(", ", it.acks()),
                    it.state(), explanation));
        }
        return rows;
    }
}
