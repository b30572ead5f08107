package org.distribank.app.client;

import java.util.List;
import java.util.Map;

/**
 * One bank's view of the consortium ({@code GET /api/v1/consortium}); {@code epoch}, {@code members} and
 * {@code banks}: the view it orders in (DESIGN.md "Views"): the banks ordering together and every configured bank,
 * so those out of the view are {@code banks} minus {@code members}. Epoch -1 and empty lists when the bank does not
 * say (before API 1.1); {@code banks} falls back to the ids of {@code peers} (every configured bank) when the bank
 * names no banks.
 */
public record ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                                 long delivered, String logHash, long epoch, List<String> members,
                                 List<String> banks) {

    public ConsortiumSnapshot {
        members = members == null ? List.of() : List.copyOf(members);
        banks = banks == null || banks.isEmpty()
                ? (peers == null ? List.of() : peers.stream().map(PeerState::id).toList()) : List.copyOf(banks);
    }

    /** A snapshot whose banks are its peers. */
    public ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                              long delivered, String logHash, long epoch, List<String> members) {
        this(self, peers, clock, queue, delivered, logHash, epoch, members, List.of());
    }

    /** A snapshot of a bank that does not tell its view. */
    public ConsortiumSnapshot(String self, List<PeerState> peers, Map<String, Long> clock, List<QueueItem> queue,
                              long delivered, String logHash) {
        this(self, peers, clock, queue, delivered, logHash, -1, List.of());
    }

    /** Whether the bank tells the view it orders in. */
    public boolean hasView() {
        return epoch >= 0;
    }

    /** The configured banks outside this view, in {@code banks} order; empty without a view. */
    public List<String> outOfView() {
        return hasView() ? banks.stream().filter(b -> !members.contains(b)).toList() : List.of();
    }
}
