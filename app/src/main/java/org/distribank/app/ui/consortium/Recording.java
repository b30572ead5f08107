package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;

/**
 * A run's protocol events in time order (each bank's {@code timeMs}), at most {@code capacity} of them across the
 * banks, the oldest dropped first; the same event heard twice (a replay after a reconnect, the feed's history) is
 * kept once. {@link #stateAt} reconstructs each bank's clock, hold-back queue and online state at a moment.
 */
public final class Recording {

    public static final int DEFAULT_CAPACITY = 200_000;

    /** One bank at a moment: seen online or not, its clock then, and the operations in its hold-back queue. */
    public record BankState(String bank, Presence presence, List<String> seenDownBy, VectorClock clock,
                            List<Queued> queue) {

        /** "online", "offline (b1, b3 see it down)" or "no event yet". */
        public String presenceText() {
            return switch (presence) {
                case ONLINE -> "online";
                case OFFLINE -> "offline (" + String.join(", ", seenDownBy) + " see it down)";
                case UNKNOWN -> "no event yet";
            };
        }

        public String clockText() {
            return clock == null ? "-" : OverviewViewModel.clockText(clock.entries());
        }

        /** "2: T1 (acked by b1, b2), T2 (acked by b1)" or "empty". */
        public String queueText() {
            if (queue.isEmpty()) {
                return "empty";
            }
            StringBuilder sb = new StringBuilder().append(queue.size()).append(": ");
            for (int i = 0; i < queue.size(); i++) {
                Queued q = queue.get(i);
                sb.append(i == 0 ? "" : ", ").append(q.opId()).append(" (acked by ")
                        .append(String.join(", ", q.ackedBy())).append(')');
            }
            return sb.toString();
        }
    }

    public enum Presence { ONLINE, OFFLINE, UNKNOWN }

    /** An operation received (or sent) and not delivered yet, and the banks known there to hold it. */
    public record Queued(String opId, List<String> ackedBy) {
    }

    private record Key(String self, long index, long timeMs, EventType type) {
        static Key of(ProtocolEvent e) {
            return new Key(e.self(), e.index(), e.timeMs(), e.type());
        }
    }

    /** An operation at a bank: when it got it (its OP sent or received) and when it delivered it. */
    private static final class Hold {
        long gotMs = Long.MAX_VALUE;
        long gotIndex;
        String origin;
        long deliveredMs = Long.MAX_VALUE;
    }

    /** A message received: when, and its {@code sender#seq}. */
    private record Receipt(long timeMs, String key) {
    }

    /** What the states need of one bank, kept up to date as events come (in any order). */
    private static final class BankIndex {
        /** its own events, in time order */
        final ArrayList<ProtocolEvent> own = new ArrayList<>();
        final Map<String, Hold> holds = new LinkedHashMap<>();
        /** PEER_UP and PEER_DOWN events of other banks about this one */
        final List<ProtocolEvent> reportsAbout = new ArrayList<>();
        /** sender -> the messages from it received here, in time order */
        final Map<String, ArrayList<Receipt>> receivedFrom = new HashMap<>();
    }

    private final int capacity;
    private final ArrayList<ProtocolEvent> events = new ArrayList<>();
    private final Set<Key> kept = new HashSet<>();
    private final Map<String, BankIndex> banks = new LinkedHashMap<>();
    /** sender#seq -> the send event */
    private final Map<String, ProtocolEvent> sends = new HashMap<>();
    /** the VIEW events, in time order */
    private final ArrayList<ProtocolEvent> viewEvents = new ArrayList<>();

    public Recording(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** A recording of {@code events} (any order). */
    public static Recording of(Collection<ProtocolEvent> events, int capacity) {
        Recording r = new Recording(capacity);
        r.addAll(events);
        return r;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Adds the events not kept yet, each at its place in time. Beyond the capacity the oldest are dropped, a tenth of
     * the capacity more than needed, so the indexes are rebuilt once per so many events rather than on every batch.
     */
    public void addAll(Collection<ProtocolEvent> batch) {
        for (ProtocolEvent e : batch) {
            if (kept.add(Key.of(e))) {
                events.add(upperBound(events, e.timeMs()), e); // mostly an append: events come roughly in time order
                index(e);
            }
        }
        if (events.size() > capacity) {
            int drop = Math.min(events.size(), events.size() - capacity + capacity / 10);
            List<ProtocolEvent> gone = events.subList(0, drop);
            gone.forEach(e -> kept.remove(Key.of(e)));
            gone.clear();
            banks.clear();
            sends.clear();
            viewEvents.clear();
            events.forEach(this::index);
        }
    }

    private BankIndex bank(String id) {
        return banks.computeIfAbsent(id, k -> new BankIndex());
    }

    private void index(ProtocolEvent e) {
        BankIndex me = bank(e.self());
        me.own.add(upperBound(me.own, e.timeMs()), e);
        String key = SpaceTime.messageKey(e);
        boolean operation = "OP".equals(e.message()) && e.opId() != null;
        if (SpaceTime.isSend(e)) {
            if (key != null) {
                sends.put(key, e);
            }
            if (operation && e.type() == EventType.SEND) {
                hold(me, e, e.self());
            }
        } else if (e.type() == EventType.RECEIVE) {
            if (operation) {
                hold(me, e, e.peer());
            }
            if (key != null && e.peer() != null) {
                ArrayList<Receipt> from = me.receivedFrom.computeIfAbsent(e.peer(), k -> new ArrayList<>());
                int at = from.size();
                while (at > 0 && from.get(at - 1).timeMs() > e.timeMs()) {
                    at--;
                }
                from.add(at, new Receipt(e.timeMs(), key));
            }
        } else if (e.type() == EventType.DELIVER && e.opId() != null) {
            Hold h = me.holds.computeIfAbsent(e.opId(), k -> new Hold());
            h.deliveredMs = Math.min(h.deliveredMs, e.timeMs());
        } else if ((e.type() == EventType.PEER_DOWN || e.type() == EventType.PEER_UP) && e.peer() != null) {
            bank(e.peer()).reportsAbout.add(e);
        } else if (e.type() == EventType.VIEW && e.view() != null) {
            viewEvents.add(upperBound(viewEvents, e.timeMs()), e);
        }
    }

    private static void hold(BankIndex at, ProtocolEvent e, String origin) {
        Hold h = at.holds.computeIfAbsent(e.opId(), k -> new Hold());
        if (e.timeMs() < h.gotMs) {
            h.gotMs = e.timeMs();
            h.gotIndex = e.index();
            h.origin = origin;
        }
    }

    public int size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The first event's time; 0 when empty. */
    public long startMs() {
        return events.isEmpty() ? 0 : events.get(0).timeMs();
    }

    /** The last event's time; 0 when empty. */
    public long endMs() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).timeMs();
    }

    /** Every event, in time order (a copy). */
    public List<ProtocolEvent> events() {
        return new ArrayList<>(events);
    }

    /** How many events happened at or before {@code t}. */
    public int countUpTo(long t) {
        return upperBound(events, t);
    }

    /** The events at or before {@code t}, in time order (a copy). */
    public List<ProtocolEvent> upTo(long t) {
        return new ArrayList<>(events.subList(0, upperBound(events, t)));
    }

    /** The last {@code n} events at or before {@code t}, in time order. */
    public List<ProtocolEvent> window(long t, int n) {
        int end = upperBound(events, t);
        return new ArrayList<>(events.subList(Math.max(0, end - Math.max(1, n)), end));
    }

    /**
     * The events of operation {@code opId} at or before {@code t} as {@link SpaceTime#followed} finds them: from its
     * first event on, at most {@code max} events (an operation's events are close together in time).
     */
    public List<ProtocolEvent> fromFirstOf(String opId, long t, int max) {
        int end = upperBound(events, t);
        for (int i = 0; i < end; i++) {
            if (opId.equals(events.get(i).opId())) {
                return new ArrayList<>(events.subList(i, Math.min(end, i + max)));
            }
        }
        return List.of();
    }

    /** The view of the newest VIEW event at or before {@code t}, or null when none is. */
    public View lastView(long t) {
        int n = upperBound(viewEvents, t);
        return n == 0 ? null : viewEvents.get(n - 1).view();
    }

    /** The index of the first event of {@code list} (time order) later than {@code t}. */
    private static int upperBound(List<ProtocolEvent> list, long t) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).timeMs() <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Each bank's state after the events at or before {@code t}; banks not in {@code lanes} that have events or are
     * reported on get a row at the end.
     * <ul>
     * <li>clock: the clock of the bank's last event;</li>
     * <li>queue: the operations it sent or received (OP messages) and had not delivered, with the banks known there
     * to hold each: its origin, the bank itself once it sent a message after getting it (acks are cumulative), and
     * every bank whose last message received there was sent after that bank got the operation;</li>
     * <li>online: offline when other banks last reported it down (PEER_DOWN) after its own last event; online when
     * it has events of its own or is reported up; unknown otherwise.</li>
     * </ul>
     * Costs a look at each bank's operations, not a replay of the events: cheap enough for every frame of play.
     */
    public List<BankState> stateAt(List<String> lanes, long t) {
        List<String> ids = new ArrayList<>(lanes);
        banks.keySet().stream().filter(b -> !ids.contains(b)).forEach(ids::add);
        List<BankState> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(state(id, banks.getOrDefault(id, new BankIndex()), ids, t));
        }
        return out;
    }

    /** The state after {@code events} (any order): see {@link #stateAt}. */
    public static List<BankState> state(List<String> lanes, List<ProtocolEvent> events) {
        return of(events, Math.max(1, events.size())).stateAt(lanes, Long.MAX_VALUE);
    }

    private BankState state(String id, BankIndex me, List<String> ids, long t) {
        int n = upperBound(me.own, t);
        ProtocolEvent last = n == 0 ? null : me.own.get(n - 1);
        VectorClock clock = last == null ? null : last.clock();
        // presence: each reporter's last word about it
        Map<String, ProtocolEvent> word = new LinkedHashMap<>();
        for (ProtocolEvent r : me.reportsAbout) {
            ProtocolEvent before = word.get(r.self());
            if (r.timeMs() <= t && (before == null || r.timeMs() >= before.timeMs())) {
                word.put(r.self(), r);
            }
        }
        List<String> downBy = new ArrayList<>();
        long lastDown = -1;
        for (ProtocolEvent r : word.values()) {
            if (r.type() == EventType.PEER_DOWN) {
                downBy.add(r.self());
                lastDown = Math.max(lastDown, r.timeMs());
            }
        }
        Presence p;
        if (!downBy.isEmpty() && (last == null || lastDown >= last.timeMs())) {
            p = Presence.OFFLINE;
        } else if (last != null || !word.isEmpty()) {
            p = Presence.ONLINE;
            downBy.clear();
        } else {
            p = Presence.UNKNOWN;
        }
        List<Map.Entry<String, Hold>> queued = new ArrayList<>();
        for (Map.Entry<String, Hold> h : me.holds.entrySet()) {
            if (h.getValue().gotMs <= t && t < h.getValue().deliveredMs) {
                queued.add(h);
            }
        }
        queued.sort(java.util.Comparator.comparingLong(h -> h.getValue().gotMs));
        ProtocolEvent lastSend = null;
        for (int i = n - 1; i >= 0 && lastSend == null && !queued.isEmpty(); i--) {
            lastSend = SpaceTime.isSend(me.own.get(i)) ? me.own.get(i) : null;
        }
        List<Queued> queue = new ArrayList<>(queued.size());
        for (Map.Entry<String, Hold> q : queued) {
            queue.add(new Queued(q.getKey(), ackedBy(id, me, q.getKey(), q.getValue(), lastSend, ids, t)));
        }
        return new BankState(id, p, List.copyOf(downBy), clock, List.copyOf(queue));
    }

    /** The banks known at bank {@code id} at {@code t} to hold operation {@code op}: see {@link #stateAt}. */
    private List<String> ackedBy(String id, BankIndex me, String op, Hold mine, ProtocolEvent lastSend,
                                 List<String> ids, long t) {
        LinkedHashSet<String> by = new LinkedHashSet<>();
        if (mine.origin != null) {
            by.add(mine.origin);
        }
        if (lastSend != null && after(lastSend, mine.gotMs, mine.gotIndex)) {
            by.add(id);
        }
        for (String other : ids) {
            ArrayList<Receipt> from = me.receivedFrom.get(other);
            BankIndex sender = banks.get(other);
            Hold theirs = sender == null ? null : sender.holds.get(op);
            if (from == null || theirs == null || theirs.gotMs == Long.MAX_VALUE || by.contains(other)) {
                continue;
            }
            // the last message from it received by then (channels are FIFO: the newest it sent of those)
            int lo = 0;
            int at = from.size();
            while (lo < at) { // the first receipt later than t
                int mid = (lo + at) >>> 1;
                if (from.get(mid).timeMs() <= t) {
                    lo = mid + 1;
                } else {
                    at = mid;
                }
            }
            ProtocolEvent sent = at == 0 ? null : sends.get(from.get(at - 1).key());
            if (sent != null && after(sent, theirs.gotMs, theirs.gotIndex)) {
                by.add(other);
            }
        }
        return List.copyOf(by);
    }

    /** Whether {@code e} came after the event at ({@code ms}, {@code index}) of the same bank. */
    private static boolean after(ProtocolEvent e, long ms, long index) {
        return e.timeMs() > ms || e.timeMs() == ms && e.index() > index;
    }
}
