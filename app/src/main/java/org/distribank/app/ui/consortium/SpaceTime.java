package org.distribank.app.ui.consortium;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.View;

/**
 * The layout of a space-time diagram, without any drawing: one lane per bank, one column per event
 * in time order, and an arrow from each send to the receive of the same message at another bank.
 *
 * <p>What the protocol's events carry (peer-core's {@code NodeImpl}): a bank multicasts every message
 * to all the others with one sequence number of its own, so a send is {@code SEND} (message {@code OP}
 * or {@code VOTE}) or {@code ACK} at the sender with peer {@code "all"}, and each receiver has a {@code RECEIVE}
 * with peer = the sender and the same typed {@link ProtocolEvent#seq()}. (sender, seq) therefore matches a send to each of its receives. Operation events
 * (the operation's {@code SEND} and {@code RECEIVE}, {@code DELIVER}, {@code VOTE}, vote messages,
 * {@code COMMIT}, {@code ABORT}) carry the operation id; ACK messages carry none, so the ACK of an
 * operation is taken to be the first message a bank sends after receiving it (acks are cumulative:
 * that message acknowledges it).
 *
 * <p>A {@code VIEW} event (the bank installed a new view) is a dot on its bank's lane; the first one of each epoch
 * also gives a {@link ViewMark} drawn across the lanes, and the lanes of banks out of the newest view known are
 * listed in {@link Diagram#outside()} to be drawn dimmed.
 */
public final class SpaceTime {

    /** An event placed on the diagram. */
    public record Dot(int column, int lane, String bank, String type, String kind, String opId, String label,
                      String detail, boolean highlighted) {
    }

    /** A message from the send at dot {@code from} to its receive at dot {@code to}; kind OP, VOTE or ACK. */
    public record Arrow(int from, int to, String kind, boolean highlighted) {
    }

    /**
     * A view change: epoch {@code epoch} installed, drawn across the lanes at {@code column} (the first VIEW event of
     * that epoch shown), with its members, the banks out of it and the banks whose VIEW event for it is shown.
     */
    public record ViewMark(int column, long epoch, List<String> members, List<String> out, List<String> installedBy) {

        /** What the diagram writes at the mark. */
        public String label() {
            return "epoch " + epoch;
        }

        /** One sentence: who orders in it, who is out, who was seen installing it. */
        public String detail() {
            return "epoch " + epoch + ": " + String.join(", ", members) + " ordering"
                    + (out.isEmpty() ? "" : "; out: " + String.join(", ", out))
                    + "; installed by " + String.join(", ", installedBy);
        }
    }

    /**
     * The whole diagram; {@code views}: the view changes among its events, in column order; {@code outside}: the
     * lanes of banks out of the current view (drawn dimmed); {@code times}: each dot's time on the time axis (its
     * bank's {@code timeMs}, nudged so a receive is never before its send nor before the event before it on its
     * lane); {@code positions}: where each dot goes along the diagram, in columns: its column in logical order, on
     * the time axis by its time (see {@link #timePositions}).
     */
    public record Diagram(List<String> lanes, List<Dot> dots, List<Arrow> arrows, List<ViewMark> views,
                          List<String> outside, List<Long> times, List<Double> positions, boolean timeAxis) {
        public static final Diagram EMPTY = new Diagram(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), false);

        public int columns() {
            return dots.size();
        }

        /** Where dot {@code i} goes along the diagram, in columns. */
        public double position(int i) {
            return i < positions.size() ? positions.get(i) : i;
        }

        /** How long the diagram is, in columns: the last dot's position. */
        public double length() {
            return positions.isEmpty() ? 0 : positions.get(positions.size() - 1);
        }

        /** The time at position {@code p} (columns): between two dots, in proportion. */
        public long timeAt(double p) {
            if (times.isEmpty()) {
                return 0;
            }
            int hi = 0;
            while (hi < positions.size() && positions.get(hi) < p) {
                hi++;
            }
            if (hi == 0) {
                return times.get(0);
            }
            if (hi >= positions.size()) {
                return times.get(times.size() - 1);
            }
            double p0 = positions.get(hi - 1);
            double p1 = positions.get(hi);
            long t0 = times.get(hi - 1);
            return p1 <= p0 ? t0 : t0 + Math.round((times.get(hi) - t0) * (p - p0) / (p1 - p0));
        }

        /** Whether lane {@code lane}'s bank is out of the current view. */
        public boolean dimmed(int lane) {
            return lane >= 0 && lane < lanes.size() && outside.contains(lanes.get(lane));
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private SpaceTime() {
    }

    /** The message kind of a send or receive (OP, VOTE, ACK), or null for other events. */
    public static String messageKind(ProtocolEvent e) {
        return e.message();
    }

    /** {@code sender#seq} for a send or a receive, null for other events or without a sequence number. */
    public static String messageKey(ProtocolEvent e) {
        if (e.seq() == null) {
            return null;
        }
        String sender;
        if (e.type() == EventType.SEND || e.type() == EventType.ACK) {
            sender = e.self();
        } else if (e.type() == EventType.RECEIVE) {
            sender = e.peer();
        } else {
            return null;
        }
        return sender == null ? null : sender + "#" + e.seq();
    }

    public static boolean isSend(ProtocolEvent e) {
        return e.type() == EventType.SEND || e.type() == EventType.ACK;
    }

    /** A short time of day for an event. */
    public static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    /** One line for a person: time, bank, what happened, its clock. */
    public static String line(ProtocolEvent e) {
        return time(e.timeMs()) + "  " + e.self() + "  " + e.describe() + (e.clock() == null ? ""
                : "  " + OverviewViewModel.clockText(e.clock().entries()));
    }

    /**
     * The events of operation {@code opId} among {@code events} (in arrival order): those carrying its
     * id, the ACK each bank sent after receiving it, and the receives of those ACKs.
     */
    public static Set<ProtocolEvent> followed(List<ProtocolEvent> events, String opId) {
        Set<ProtocolEvent> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (opId == null || opId.isBlank()) {
            return out;
        }
        Set<String> armed = new HashSet<>();
        Set<String> ackKeys = new HashSet<>();
        for (ProtocolEvent e : events) {
            if (opId.equals(e.opId())) {
                out.add(e);
                if (e.type() == EventType.RECEIVE && "OP".equals(messageKind(e))) {
                    armed.add(e.self());
                } else if (isSend(e)) {
                    armed.remove(e.self()); // its own vote, sent right after, acknowledges it
                }
            } else if (isSend(e) && armed.remove(e.self()) && e.type() == EventType.ACK) {
                out.add(e);
                String k = messageKey(e);
                if (k != null) {
                    ackKeys.add(k);
                }
            } else if (e.type() == EventType.RECEIVE && e.opId() == null && ackKeys.contains(messageKey(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Lays out {@code events} (arrival order) on {@code lanes} (banks; unknown ones get a lane at the
     * end): columns by time (a send before a receive of the same millisecond), arrows from sends to
     * receives, operation {@code follow} highlighted; without {@code showAcks} ACK messages are left
     * out (unless they belong to the followed operation).
     */
    public static Diagram layout(List<String> lanes, List<ProtocolEvent> events, String follow, boolean showAcks) {
        return layout(lanes, events, follow, showAcks, null);
    }

    /**
     * As {@link #layout(List, List, String, boolean)}, with the view changes among the events marked, and the lanes
     * of banks out of the current view (the highest epoch of {@code known}, null when none is known, and of the
     * events' VIEW events) listed as dimmed.
     */
    public static Diagram layout(List<String> lanes, List<ProtocolEvent> events, String follow, boolean showAcks,
                                 View known) {
        return layout(lanes, events, follow, showAcks, known, false);
    }

    /** As {@link #layout(List, List, String, boolean, View)}, placed on the time axis when {@code timeAxis}. */
    public static Diagram layout(List<String> lanes, List<ProtocolEvent> events, String follow, boolean showAcks,
                                 View known, boolean timeAxis) {
        Set<ProtocolEvent> hi = followed(events, follow);
        List<String> laneList = new ArrayList<>(lanes);
        Map<String, Integer> laneOf = new HashMap<>();
        for (int i = 0; i < laneList.size(); i++) {
            laneOf.put(laneList.get(i), i);
        }
        List<ProtocolEvent> kept = new ArrayList<>();
        Map<ProtocolEvent, Integer> arrival = new IdentityHashMap<>();
        for (ProtocolEvent e : events) {
            if (!showAcks && "ACK".equals(messageKind(e)) && !hi.contains(e)) {
                continue;
            }
            arrival.put(e, kept.size());
            kept.add(e);
        }
        kept.sort(Comparator.comparingLong(ProtocolEvent::timeMs).thenComparingInt(SpaceTime::rank)
                .thenComparingInt(arrival::get));
        kept = causal(kept);
        List<Dot> dots = new ArrayList<>(kept.size());
        List<Long> times = new ArrayList<>(kept.size());
        Map<String, Long> laneTime = new HashMap<>();
        Map<String, Long> sendTime = new HashMap<>();
        Map<String, Integer> sendDot = new LinkedHashMap<>();
        List<Arrow> arrows = new ArrayList<>();
        Map<Long, ViewMark> marks = new LinkedHashMap<>();
        View current = known;
        for (ProtocolEvent e : kept) {
            if (e.type() == EventType.VIEW && e.view() != null) {
                View v = e.view();
                ViewMark m = marks.get(v.epoch());
                List<String> by = new ArrayList<>(m == null ? List.of() : m.installedBy());
                if (!by.contains(e.self())) {
                    by.add(e.self());
                }
                marks.put(v.epoch(), new ViewMark(m == null ? dots.size() : m.column(), v.epoch(), v.members(),
                        v.banks().stream().filter(b -> !v.isMember(b)).toList(), List.copyOf(by)));
                if (current == null || v.epoch() > current.epoch()) {
                    current = v;
                }
            }
            Integer lane = laneOf.get(e.self());
            if (lane == null) {
                lane = laneList.size();
                laneList.add(e.self());
                laneOf.put(e.self(), lane);
            }
            int index = dots.size();
            String kind = messageKind(e);
            String key = messageKey(e);
            long at = Math.max(e.timeMs(), laneTime.getOrDefault(e.self(), Long.MIN_VALUE));
            if (key != null && !isSend(e)) {
                at = Math.max(at, sendTime.getOrDefault(key, Long.MIN_VALUE));
            } else if (key != null) {
                sendTime.put(key, at);
            }
            laneTime.put(e.self(), at);
            times.add(at);
            dots.add(new Dot(index, lane, e.self(), e.type().name(), kind, e.opId(), e.describe(), line(e),
                    hi.contains(e)));
            if (key == null) {
                continue;
            }
            if (isSend(e)) {
                sendDot.put(key, index);
            } else {
                Integer from = sendDot.get(key);
                if (from != null) {
                    arrows.add(new Arrow(from, index, kind, dots.get(from).highlighted() && hi.contains(e)));
                }
            }
        }
        List<ViewMark> views = marks.values().stream().sorted(Comparator.comparingInt(ViewMark::column)).toList();
        View now = current;
        List<String> outside = now == null ? List.of() : laneList.stream().filter(b -> !now.isMember(b)).toList();
        List<Double> positions = timeAxis ? timePositions(times) : columnPositions(times.size());
        return new Diagram(List.copyOf(laneList), List.copyOf(dots), List.copyOf(arrows), views, outside,
                List.copyOf(times), positions, timeAxis);
    }

    /** Least distance between two dots on the time axis, in columns: events of one burst stay apart. */
    static final double MIN_GAP = 0.35;

    /**
     * Positions on the time axis: the diagram's span of time over as many columns as it has events, each dot at its
     * time, but at least {@link #MIN_GAP} after the one before (a burst of events in one millisecond would be one
     * line); the time between dots (the labels along the axis) is read between them in proportion.
     */
    static List<Double> timePositions(List<Long> times) {
        List<Double> out = new ArrayList<>(times.size());
        if (times.isEmpty()) {
            return out;
        }
        long span = times.get(times.size() - 1) - times.get(0);
        double perMs = span <= 0 ? 0 : (times.size() - 1) / (double) span;
        double last = Double.NEGATIVE_INFINITY;
        double shift = 0; // the room the bursts took so far: later dots keep their distances in time
        for (long t : times) {
            double at = (t - times.get(0)) * perMs + shift;
            if (at < last + MIN_GAP) {
                shift += last + MIN_GAP - at;
                at = last + MIN_GAP;
            }
            out.add(at);
            last = at;
        }
        return out;
    }

    private static List<Double> columnPositions(int n) {
        List<Double> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((double) i);
        }
        return out;
    }

    /**
     * {@code sorted} (time order) with each receive moved after its send when the banks' clocks disagree (a
     * receive stamped before its send), and the later events of the receiver's lane with it, so the order is
     * consistent with happened-before. A receive whose send is not among the events stays where it is.
     */
    static List<ProtocolEvent> causal(List<ProtocolEvent> sorted) {
        Set<String> sends = new HashSet<>();
        for (ProtocolEvent e : sorted) {
            if (isSend(e) && messageKey(e) != null) {
                sends.add(messageKey(e));
            }
        }
        CausalOrder order = new CausalOrder(sends, sorted.size());
        sorted.forEach(order::place);
        order.flushAll();
        return order.out;
    }

    /** The state of {@link #causal}: lanes held back behind a receive whose send is not placed yet. */
    private static final class CausalOrder {
        final Set<String> sends;
        final Set<String> placed = new HashSet<>();
        final List<ProtocolEvent> out;
        /** lane (bank) -> its events held back, the first a receive waiting for its send */
        final Map<String, java.util.ArrayDeque<ProtocolEvent>> held = new LinkedHashMap<>();
        /** message key -> the lanes waiting for its send */
        final Map<String, List<String>> waiting = new HashMap<>();

        CausalOrder(Set<String> sends, int size) {
            this.sends = sends;
            this.out = new ArrayList<>(size);
        }

        void place(ProtocolEvent e) {
            java.util.ArrayDeque<ProtocolEvent> q = held.get(e.self());
            if (q != null) {
                q.addLast(e);
                return;
            }
            String key = messageKey(e);
            if (e.type() == EventType.RECEIVE && key != null && sends.contains(key) && !placed.contains(key)) {
                java.util.ArrayDeque<ProtocolEvent> mine = new java.util.ArrayDeque<>();
                mine.add(e);
                held.put(e.self(), mine);
                waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(e.self());
                return;
            }
            emit(e);
        }

        void emit(ProtocolEvent e) {
            out.add(e);
            String key = messageKey(e);
            if (key != null && isSend(e) && placed.add(key)) {
                for (String lane : waiting.getOrDefault(key, List.of())) {
                    release(lane);
                }
                waiting.remove(key);
            }
        }

        void release(String lane) {
            java.util.ArrayDeque<ProtocolEvent> q = held.remove(lane);
            if (q != null) {
                emit(q.pollFirst()); // its send is placed now
                q.forEach(this::place);
            }
        }

        /** What is still held waits on a cycle of skewed clocks: placed as it came, bounded by the events held. */
        void flushAll() {
            while (!held.isEmpty()) {
                release(held.keySet().iterator().next());
            }
        }
    }

    /** Within one millisecond: sends first, receives last. */
    private static int rank(ProtocolEvent e) {
        return switch (e.type()) {
            case SEND, ACK -> 0;
            case RECEIVE -> 2;
            default -> 1;
        };
    }
}
