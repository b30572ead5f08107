package org.distribank.consortium.wire;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.entity.PeerIds;

/**
 * What a member asks another for before it accepts a view proposal ({@code POST /peer/v1/fetch}): per origin bank,
 * the messages with sequence numbers in ({@code after}, {@code cut}], relayed as their origin sent them. An origin
 * absent from {@code after} is asked for from its first message. The answer ({@link FetchAnswer}) holds only what
 * the answering node holds, at most one frame's worth: the asker asks again from where it stopped, or another
 * member for the rest.
 *
 * @param from  the asker (it must be the peer that signed the request)
 * @param cut   per origin, the highest sequence number wanted
 * @param after per origin, the highest sequence number the asker holds already (at most the cut)
 */
public record FetchRequest(String from, Map<String, Long> cut, Map<String, Long> after) {

    public FetchRequest {
        BallotCodec.checkId(BallotCodec.require(from, "from", "a fetch request"), "\"from\"");
        cut = sorted(BallotCodec.require(cut, "cut", "a fetch request"), "cut");
        after = sorted(after == null ? Map.of() : after, "after");
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long upTo = cut.get(e.getKey());
            if (upTo == null) {
                throw new IllegalArgumentException("a fetch request asks after " + e.getValue() + " of "
                        + e.getKey() + ", which is not in its cut");
            }
            if (e.getValue() > upTo) {
                throw new IllegalArgumentException("a fetch request asks after " + e.getValue() + " of "
                        + e.getKey() + ", past its cut " + upTo);
            }
        }
    }

    /** The highest sequence number of {@code origin} the asker holds (0: none). */
    public long after(String origin) {
        return after.getOrDefault(origin, 0L);
    }

    /** Whether {@code seq} of {@code origin} is asked for. */
    public boolean wants(String origin, long seq) {
        Long upTo = cut.get(origin);
        return upTo != null && seq > after(origin) && seq <= upTo;
    }

    private static Map<String, Long> sorted(Map<String, Long> seqs, String what) {
        TreeMap<String, Long> out = new TreeMap<>(PeerIds.COMPARATOR);
        seqs.forEach((bank, seq) -> {
            BallotCodec.checkId(bank, "a bank of " + what);
            if (seq == null || seq < 0) {
                throw new IllegalArgumentException(what + " of " + bank + " is " + seq);
            }
            out.put(bank, seq);
        });
        return Collections.unmodifiableSortedMap(out);
    }
}
