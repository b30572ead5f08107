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

    private final int capacity;
    private final ArrayList<ProtocolEvent> events = new ArrayList<>();
    private final Set<Key> kept = new HashSet<>();

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

    /** Adds the events not kept yet, each at its place in time; drops the oldest beyond the capacity. */
    public void addAll(Collection<ProtocolEvent> batch) {
        for (ProtocolEvent e : batch) {
            if (kept.add(Key.of(e))) {
                events.add(upperBound(e.timeMs()), e); // mostly an append: events come roughly in time order
            }
        }
        int excess = events.size() - capacity;
        if (excess > 0) {
            List<ProtocolEvent> gone = events.subList(0, excess);
            gone.forEach(e -> kept.remove(Key.of(e)));
            gone.clear();
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
        return upperBound(t);
    }

    /** The events at or before {@code t}, in time order (a copy). */
    public List<ProtocolEvent> upTo(long t) {
        return new ArrayList<>(events.subList(0, upperBound(t)));
    }

    /** The last {@code n} events at or before {@code t}, in time order. */
    public List<ProtocolEvent> window(long t, int n) {
        int end = upperBound(t);
        return new ArrayList<>(events.subList(Math.max(0, end - Math.max(1, n)), end));
    }

    /** The index of the first event later than {@code t}. */
    private int upperBound(long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).timeMs() <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Each bank's state after the events at or before {@code t}: see {@link #state(List, List)}. */
    public List<BankState> stateAt(List<String> banks, long t) {
        return state(banks, events.subList(0, upperBound(t)));
    }

    /**
     * The banks' state after {@code events} (time order); banks not in {@code banks} get a row at the end.
     * <ul>
     * <li>clock: the clock of the bank's last event;</li>
     * <li>queue: the operations it sent or received (OP messages) and has not delivered yet, with the banks known
     * there to hold each: its origin, the bank itself once it sent a message after getting it (acks are cumulative),
     * and every bank whose message, sent after it got the operation, the bank received;</li>
     * <li>online: offline when other banks last reported it down (PEER_DOWN) after its own last event; online when
     * it has events of its own or is reported up; unknown otherwise.</li>
     * </ul>
     */
    public static List<BankState> state(List<String> banks, List<ProtocolEvent> events) {
        Map<String, Replay> byBank = new LinkedHashMap<>();
        banks.forEach(b -> byBank.put(b, new Replay()));
        // (sender#seq) -> the sender's event count when it sent that message
        Map<String, Long> sentAt = new HashMap<>();
        for (ProtocolEvent e : events) {
            Replay me = byBank.computeIfAbsent(e.self(), k -> new Replay());
            me.count++;
            me.clock = e.clock() == null ? me.clock : e.clock();
            me.lastOwnMs = e.timeMs();
            String key = SpaceTime.messageKey(e);
            boolean operation = "OP".equals(e.message()) && e.opId() != null;
            if (SpaceTime.isSend(e)) {
                if (key != null) {
                    sentAt.put(key, me.count);
                }
                if (operation && e.type() == EventType.SEND) {
                    me.hold(e.opId(), e.self());
                }
                me.queue.values().forEach(q -> q.add(e.self())); // this message acknowledges all it holds
            } else if (e.type() == EventType.RECEIVE) {
                if (operation) {
                    me.hold(e.opId(), e.peer());
                }
                Replay sender = byBank.get(e.peer());
                Long sent = key == null ? null : sentAt.get(key);
                if (sender != null && sent != null) {
                    for (Map.Entry<String, Set<String>> q : me.queue.entrySet()) {
                        Long got = sender.heldAt.get(q.getKey());
                        if (got != null && got <= sent) {
                            q.getValue().add(e.peer());
                        }
                    }
                }
            } else if (e.type() == EventType.DELIVER && e.opId() != null) {
                me.queue.remove(e.opId());
            } else if ((e.type() == EventType.PEER_DOWN || e.type() == EventType.PEER_UP) && e.peer() != null) {
                Replay about = byBank.computeIfAbsent(e.peer(), k -> new Replay());
                about.reports.put(e.self(), e.type() == EventType.PEER_DOWN ? e.timeMs() : -1L);
            }
        }
        List<BankState> out = new ArrayList<>(byBank.size());
        byBank.forEach((bank, r) -> out.add(r.state(bank)));
        return out;
    }

    /** One bank's state while replaying. */
    private static final class Replay {
        long count;
        VectorClock clock;
        Long lastOwnMs;
        /** operation -> the banks known to hold it, in the order learned */
        final Map<String, Set<String>> queue = new LinkedHashMap<>();
        /** operation -> this bank's event count when it got it (kept after delivery: its later sends ack it) */
        final Map<String, Long> heldAt = new HashMap<>();
        /** reporter -> time it last reported this bank down, or -1 when it last reported it up */
        final Map<String, Long> reports = new LinkedHashMap<>();

        void hold(String opId, String origin) {
            heldAt.putIfAbsent(opId, count);
            queue.computeIfAbsent(opId, k -> new LinkedHashSet<>()).add(origin);
        }

        BankState state(String bank) {
            List<String> downBy = new ArrayList<>();
            long lastDown = -1;
            for (Map.Entry<String, Long> r : reports.entrySet()) {
                if (r.getValue() >= 0) {
                    downBy.add(r.getKey());
                    lastDown = Math.max(lastDown, r.getValue());
                }
            }
            Presence p;
            if (!downBy.isEmpty() && (lastOwnMs == null || lastDown >= lastOwnMs)) {
                p = Presence.OFFLINE;
            } else if (lastOwnMs != null || !reports.isEmpty()) {
                p = Presence.ONLINE;
                downBy.clear();
            } else {
                p = Presence.UNKNOWN;
            }
            List<Queued> q = new ArrayList<>(queue.size());
            queue.forEach((id, acks) -> q.add(new Queued(id, List.copyOf(acks))));
            return new BankState(bank, p, List.copyOf(downBy), clock, List.copyOf(q));
        }
    }
}
