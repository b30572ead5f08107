package org.distribank.consortium.entity;

import java.util.List;

/**
 * What an operator sees ({@code GET /api/v1/consortium}): this peer, the others, its clock, its
 * queue, how many operations it has delivered and the chained hash of their ids, and the view it orders in (until
 * view changes are wired in, the first view: epoch 0, every configured bank a member).
 */
public record ConsortiumView(String self, List<PeerStatus> peers, VectorClock clock, List<QueueEntry> queue,
                             long delivered, String logHash, View view) {
}
