package org.distribank.app.ui.consortium;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;

/**
 * Synthetic protocol events shaped as peer-core's NodeImpl emits them: a send is SEND/ACK at the
 * sender with peer "all" and "KIND seq=S"; each receive is RECEIVE at the receiver with peer = sender.
 */
final class Events {

    private final Map<String, Long> index = new HashMap<>();
    private final Map<String, Long> seq = new HashMap<>();
    private final List<ProtocolEvent> all = new ArrayList<>();
    long now;

    Events(long startMs) {
        this.now = startMs;
    }

    List<ProtocolEvent> all() {
        return all;
    }

    ProtocolEvent event(String self, EventType type, String peer, String opId, String detail) {
        return event(self, type, peer, opId, detail, null, null);
    }

    ProtocolEvent event(String self, EventType type, String peer, String opId, String detail, String kind, Long s) {
        long i = index.merge(self, 1L, Long::sum);
        ProtocolEvent e = new ProtocolEvent(i, now, self, type, peer, opId, detail, new VectorClock(Map.of(self, i)),
                null, kind, s);
        all.add(e);
        return e;
    }

    /** Bank {@code self} installed view {@code v}, as the node reports it (EventBus.publishView). */
    ProtocolEvent view(String self, View v) {
        long i = index.merge(self, 1L, Long::sum);
        List<String> out = v.banks().stream().filter(b -> !v.isMember(b)).toList();
        ProtocolEvent e = new ProtocolEvent(i, now, self, EventType.VIEW, null, null, "epoch " + v.epoch()
                + ": members " + String.join(",", v.members()) + (out.isEmpty() ? "" : "; out " + String.join(",", out)),
                new VectorClock(Map.of(self, i)), v);
        all.add(e);
        return e;
    }

    /** A multicast from {@code from}: returns its sequence number. */
    long send(String from, String kind, String opId) {
        long s = seq.merge(from, 1L, Long::sum);
        event(from, "ACK".equals(kind) ? EventType.ACK : EventType.SEND, "all", opId, kind + " seq=" + s, kind, s);
        return s;
    }

    ProtocolEvent receive(String at, String from, String kind, String opId, long s) {
        return event(at, EventType.RECEIVE, from, "ACK".equals(kind) ? null : opId, kind + " seq=" + s, kind, s);
    }

    /**
     * One operation through the whole protocol on {@code banks}, origin first: submission, receipts,
     * ACKs, deliveries, votes, outcome; {@code stepMs} between phases.
     */
    void operation(List<String> banks, String opId, boolean commit, long stepMs) {
        String origin = banks.get(0);
        long s = send(origin, "OP", opId);
        now += stepMs;
        for (String b : banks.subList(1, banks.size())) {
            receive(b, origin, "OP", opId, s);
        }
        now += stepMs;
        for (String b : banks.subList(1, banks.size())) {
            long a = send(b, "ACK", null);
            for (String r : banks) {
                if (!r.equals(b)) {
                    receive(r, b, "ACK", null, a);
                }
            }
        }
        now += stepMs;
        for (String b : banks) {
            event(b, EventType.DELIVER, origin, opId, "position=1");
            event(b, EventType.VOTE, null, opId, commit ? "YES" : "NO INSUFFICIENT_FUNDS");
            long v = send(b, "VOTE", opId);
            for (String r : banks) {
                if (!r.equals(b)) {
                    receive(r, b, "VOTE", opId, v);
                }
            }
        }
        now += stepMs;
        for (String b : banks) {
            event(b, commit ? EventType.COMMIT : EventType.ABORT, null, opId,
                    commit ? null : "INSUFFICIENT_FUNDS (b2)");
        }
    }
}
