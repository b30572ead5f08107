package org.distribank.app.client;

import java.util.List;
import java.util.Map;

/** One bank's view of the consortium ({@code GET /api/v1/consortium}). */
public record ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                                 long delivered, String logHash) {
}
