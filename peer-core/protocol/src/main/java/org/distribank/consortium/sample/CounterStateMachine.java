package org.distribank.consortium.sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;

/**
 * The sample machine used by tests, the standalone runner and the benchmark: named counters.
 * A payload is {@code key=<name>;delta=<long>[;voters=b1,b2][;veto=<peer>:<REASON>]}. Voters are
 * the listed peers, else the origin. A voter says NO if vetoed, or if a negative delta would take
 * the counter (minus what earlier undecided operations reserved) below zero. Idempotent by id.
 * A payload with {@code retire=yes} retires its origin once COMMITTED ({@link #retiredBanks}).
 */
public final class CounterStateMachine implements StateMachine {

    private final String self;
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Long> reserved = new HashMap<>();
    private final Map<String, Long> reservationOf = new HashMap<>();
    /** Every decision, by id (the sample remembers them all: the protocol asks here for ids past its window). */
    private final Map<String, Outcome> decided = new java.util.LinkedHashMap<>();
    private final List<String> history = new ArrayList<>();
    private String refuseEverything;
    /** Origins of committed {@code retire=yes} operations. */
    private final Set<String> retired = new java.util.TreeSet<>();

    public CounterStateMachine(String self) {
        this.self = self;
    }

    public static String payload(String key, long delta) {
        return "key=" + key + ";delta=" + delta;
    }

    /**
     * The value of {@code name} in the payload, or {@code otherwise}: a scan without allocating a
     * map (every peer reads each payload two or three times, on the protocol thread).
     */
    private static String field(String payload, String name, String otherwise) {
        int at = 0;
        int n = payload.length();
        while (at < n) {
            int end = payload.indexOf(';', at);
            if (end < 0) {
                end = n;
            }
            if (end - at > name.length() && payload.startsWith(name, at) && payload.charAt(at + name.length()) == '=') {
                return payload.substring(at + name.length() + 1, end);
            }
            at = end + 1;
        }
        return otherwise;
    }

    @Override
    public Set<String> voters(Operation op) {
        String v = field(op.payload(), "voters", null);
        if (v == null || v.isEmpty()) {
            return Set.of(op.origin());
        }
        return new LinkedHashSet<>(List.of(v.split(",")));
    }

    /**
     * From now on this machine votes NO on everything, with {@code reason}: state that changed
     * outside the total order, as a bank's locally opened or closed accounts do. Votes it already
     * sent are not judged again (see {@link StateMachine#restoreVote}).
     */
    public synchronized void refuseEverything(String reason) {
        this.refuseEverything = reason;
    }

    @Override
    public synchronized Vote vote(Operation op) {
        if (refuseEverything != null) {
            return Vote.no(refuseEverything);
        }
        String payload = op.payload();
        String veto = field(payload, "veto", null);
        if (veto != null && veto.startsWith(self + ":")) {
            return Vote.no(veto.substring(self.length() + 1));
        }
        String key = field(payload, "key", "x");
        long delta = Long.parseLong(field(payload, "delta", "0"));
        if (delta < 0) {
            long available = counters.getOrDefault(key, 0L) - reserved.getOrDefault(key, 0L);
            if (available + delta < 0) {
                return Vote.no("INSUFFICIENT");
            }
            if (!reservationOf.containsKey(op.id()) && !decided.containsKey(op.id())) {
                reserved.merge(key, -delta, Long::sum);
                reservationOf.put(op.id(), -delta);
            }
        }
        return Vote.yesVote();
    }

    @Override
    public synchronized void decide(Operation op, Outcome outcome) {
        if (decided.putIfAbsent(op.id(), outcome) != null) {
            return; // replayed after a restart: already applied
        }
        String key = field(op.payload(), "key", "x");
        Long r = reservationOf.remove(op.id());
        if (r != null) {
            reserved.merge(key, -r, Long::sum);
        }
        if (outcome.committed()) {
            counters.merge(key, Long.parseLong(field(op.payload(), "delta", "0")), Long::sum);
            if (field(op.payload(), "retire", null) != null) {
                retired.add(op.origin());
            }
        }
        history.add(op.id() + ":" + outcome.decision() + (outcome.reason() == null ? "" : ":" + outcome.reason()));
    }

    /** counters, reservations, decided ids and history (the sample keeps its whole history: tests read it). */
    @Override
    public synchronized byte[] snapshot() {
        return write(true);
    }

    /** A joining bank's: every replicated part (counters, decided ids, history, retirements), no reservation. */
    @Override
    public synchronized byte[] snapshotFor(String bank) {
        return write(false);
    }

    private byte[] write(boolean own) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
            writeMap(out, counters);
            writeMap(out, own ? reserved : Map.of());
            writeMap(out, own ? reservationOf : Map.of());
            out.writeInt(history.size());
            for (String h : history) {
                out.writeUTF(h);
            }
            out.writeInt(decided.size());
            for (Outcome o : decided.values()) {
                out.writeUTF(o.id());
                out.writeUTF(o.origin());
                out.writeBoolean(o.committed());
                out.writeUTF(o.reason() == null ? "" : o.reason());
                out.writeUTF(o.voter() == null ? "" : o.voter());
                out.writeLong(o.position());
                Map<String, Long> clock = o.clock() == null ? Map.of() : o.clock().entries();
                out.writeInt(clock.size());
                for (Map.Entry<String, Long> e : clock.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue());
                }
            }
            out.writeBoolean(own && refuseEverything != null);
            if (own && refuseEverything != null) {
                out.writeUTF(refuseEverything);
            }
            out.writeInt(retired.size());
            for (String r : retired) {
                out.writeUTF(r);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void restore(byte[] state) {
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state));
            readMap(in, counters);
            readMap(in, reserved);
            readMap(in, reservationOf);
            for (int n = in.readInt(); n > 0; n--) {
                history.add(in.readUTF());
            }
            for (int n = in.readInt(); n > 0; n--) {
                String id = in.readUTF();
                String origin = in.readUTF();
                boolean committed = in.readBoolean();
                String reason = in.readUTF();
                String voter = in.readUTF();
                long position = in.readLong();
                Map<String, Long> clock = new java.util.LinkedHashMap<>();
                for (int k = in.readInt(); k > 0; k--) {
                    clock.put(in.readUTF(), in.readLong());
                }
                decided.put(id, new Outcome(id, origin, new org.distribank.consortium.entity.VectorClock(clock),
                        committed ? org.distribank.consortium.entity.Decision.COMMITTED
                                : org.distribank.consortium.entity.Decision.ABORTED,
                        reason.isEmpty() ? null : reason, voter.isEmpty() ? null : voter, position));
            }
            refuseEverything = in.readBoolean() ? in.readUTF() : null;
            retired.clear();
            for (int n = in.available() > 0 ? in.readInt() : 0; n > 0; n--) { // (absent in older snapshots)
                retired.add(in.readUTF());
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("an unreadable counter snapshot", e);
        }
    }

    @Override
    public synchronized Set<String> retiredBanks() {
        return Set.copyOf(retired);
    }

    private static void writeMap(java.io.DataOutputStream out, Map<String, Long> m) throws java.io.IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, Long> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static void readMap(java.io.DataInputStream in, Map<String, Long> m) throws java.io.IOException {
        for (int n = in.readInt(); n > 0; n--) {
            m.put(in.readUTF(), in.readLong());
        }
    }

    public synchronized long value(String key) {
        return counters.getOrDefault(key, 0L);
    }

    /** Decided operations in decision order, as "id:DECISION[:reason]". */
    public synchronized List<String> history() {
        return new ArrayList<>(history);
    }

    @Override
    public synchronized java.util.Optional<Outcome> outcomeOf(String id) {
        return java.util.Optional.ofNullable(decided.get(id));
    }

    public synchronized int decidedCount() {
        return history.size();
    }
}
