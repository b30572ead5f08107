package org.distribank.consortium.wire;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.Transport;
import org.distribank.consortium.entity.PeerIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asking side of the relay fetch (PROTOCOL.md "Views: the wire"): gets every message up to a proposal's cut
 * that this node does not hold yet, from the peers given, in their order. Each answer is checked against its
 * request and handed to the {@link Sink} before the next request (which asks from where that answer stopped); a
 * peer that cannot be reached, refuses, answers what was not asked, or has nothing more is left for the next one.
 * Blocking I/O: the driver runs it off its protocol thread and calls {@code ViewBallot.fetched} once the result is
 * {@link Result#complete()} and everything the sink took is durable.
 */
public final class RelayFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(RelayFetcher.class);

    /** Takes the messages of one answer, per origin in sequence order, each as its origin sent it. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @throws IOException this node cannot keep them (the fetch stops; the driver fails stop as for its log)
         */
        void accept(String origin, List<FetchAnswer.Relayed> messages) throws IOException;
    }

    /**
     * What a fetch reached.
     *
     * @param held     per origin of the cut, the highest sequence number this node holds now
     * @param complete whether that is the whole cut
     * @param requests how many fetch requests were sent
     */
    public record Result(Map<String, Long> held, boolean complete, int requests) {
    }

    private final Transport transport;
    private final String self;
    private final int maxRequests;

    /**
     * @param self        this node's id (its requests say {@code "from":self}; it never asks itself)
     * @param maxRequests bound on the requests of one {@link #fetch} (each answers up to one frame of messages)
     */
    public RelayFetcher(Transport transport, String self, int maxRequests) {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be >= 1, got " + maxRequests);
        }
        this.transport = transport;
        this.self = self;
        this.maxRequests = maxRequests;
    }

    /**
     * Fetches, per origin of {@code cut}, the messages after {@code held} (absent: none held) up to the cut, asking
     * {@code peers} in order, handing each answer to {@code sink}.
     *
     * @throws IOException the sink could not keep an answer
     */
    public Result fetch(Map<String, Long> cut, Map<String, Long> held, List<String> peers, Sink sink)
            throws IOException {
        Map<String, Long> now = new TreeMap<>(PeerIds.COMPARATOR);
        cut.forEach((origin, upTo) -> now.put(origin, Math.min(upTo, held.getOrDefault(origin, 0L))));
        int requests = 0;
        for (String peer : peers) {
            if (peer.equals(self)) {
                continue;
            }
            while (!complete(cut, now) && requests < maxRequests) {
                Map<String, Long> wanted = missing(cut, now);
                Map<String, Long> after = new TreeMap<>(PeerIds.COMPARATOR);
                wanted.keySet().forEach(origin -> after.put(origin, now.get(origin)));
                FetchRequest request = new FetchRequest(self, wanted, after);
                requests++;
                FetchAnswer answer;
                try {
                    answer = FetchAnswer.read(transport.fetch(peer, BallotCodec.write(request)));
                    answer.check(request);
                } catch (IOException | IllegalArgumentException e) {
                    LOG.info("fetching up to the cut from {}: {}; asking the next member", peer, e.getMessage());
                    break;
                }
                if (answer.isEmpty()) {
                    break; // this peer holds nothing more of it
                }
                for (Map.Entry<String, List<FetchAnswer.Relayed>> e : answer.messages().entrySet()) {
                    sink.accept(e.getKey(), e.getValue());
                    now.put(e.getKey(), answer.upTo(e.getKey(), now.get(e.getKey())));
                }
            }
            if (complete(cut, now) || requests >= maxRequests) {
                break;
            }
        }
        return new Result(Collections.unmodifiableMap(now), complete(cut, now), requests);
    }

    private static boolean complete(Map<String, Long> cut, Map<String, Long> now) {
        return cut.entrySet().stream().allMatch(e -> now.get(e.getKey()) >= e.getValue());
    }

    /** The cut restricted to the origins still missing something (an answer then only carries those). */
    private static Map<String, Long> missing(Map<String, Long> cut, Map<String, Long> now) {
        Map<String, Long> out = new TreeMap<>(PeerIds.COMPARATOR);
        cut.forEach((origin, upTo) -> {
            if (now.get(origin) < upTo) {
                out.put(origin, upTo);
            }
        });
        return out;
    }
}
