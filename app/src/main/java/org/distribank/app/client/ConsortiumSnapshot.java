package org.distribank.app.client;

import java.util.List;
import java.util.Map;

/**
 * One bank's view of the consortium ({@code GET /api/v1/consortium}); {@code epoch} and {@code members}: the view it
 * orders in (-1 and empty when the bank does not say, as before API 1.1).
 */
public record ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                                 long delivered, String logHash, long epoch, List<String> members) {

    /** A snapshot of a bank that does not tell its view. */
    public ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                              long delivered, String logHash) {
        this(self, peers, clock, queue, delivered, logHash, -1, List.of());
    }
}
