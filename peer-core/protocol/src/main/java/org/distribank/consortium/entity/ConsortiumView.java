package org.distribank.consortium.entity;

import java.util.List;

/**
 * What an operator sees ({@code GET /api/v1/consortium}): this peer, the others, its clock, its
 * queue, how many operations it has delivered and the chained hash of their ids.
 */
public record ConsortiumView(String self, List<PeerStatus> peers, VectorClock clock, List<QueueEntry> queue,
                             long delivered, String logHash) {
}
