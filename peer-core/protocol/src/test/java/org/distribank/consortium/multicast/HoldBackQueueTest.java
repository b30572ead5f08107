package org.distribank.consortium.multicast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.OrderKey;
import org.distribank.consortium.entity.VectorClock;
import org.junit.jupiter.api.Test;

class HoldBackQueueTest {

    private static final List<String> PEERS = List.of("b1", "b2", "b3");

    private static Operation op(String id, String origin, long b1, long b2, long b3) {
        return new Operation(id, origin, new VectorClock(Map.of("b1", b1, "b2", b2, "b3", b3)), "");
    }

    @Test
    void headWaitsUntilEveryOtherPeerSentALargerKey() {
        HoldBackQueue q = new HoldBackQueue("b1", PEERS);
        Operation x = op("x", "b2", 0, 1, 0);
        q.add(x);
        assertThat(q.pollDeliverable()).isNull();
        q.observe("b2", new OrderKey(1, "b2")); // the op itself is not larger than itself
        q.observe("b3", new OrderKey(3, "b3"));
        assertThat(q.pollDeliverable()).isNull();
        assertThat(q.acks(x)).containsExactly("b1", "b3");
        q.observe("b2", new OrderKey(2, "b2"));
        assertThat(q.pollDeliverable()).isEqualTo(x);
        assertThat(q.size()).isZero();
    }

    @Test
    void deliversInOrderKeyOrderWithTieBreakByOrigin() {
        HoldBackQueue q = new HoldBackQueue("b1", PEERS);
        Operation fromB3 = op("c", "b3", 0, 0, 1);
        Operation fromB2 = op("b", "b2", 0, 1, 0);
        Operation later = op("d", "b1", 2, 1, 1);
        q.add(later);
        q.add(fromB3);
        q.add(fromB2);
        q.observe("b2", new OrderKey(100, "b2"));
        q.observe("b3", new OrderKey(100, "b3"));
        assertThat(q.pollDeliverable()).isEqualTo(fromB2);
        assertThat(q.pollDeliverable()).isEqualTo(fromB3);
        assertThat(q.pollDeliverable()).isEqualTo(later);
        assertThat(q.pollDeliverable()).isNull();
    }

    @Test
    void aSmallerKeyArrivingLaterStillGoesFirstWhileTheHeadWaits() {
        HoldBackQueue q = new HoldBackQueue("b1", PEERS);
        Operation big = op("big", "b3", 0, 0, 5);
        q.add(big);
        q.observe("b3", new OrderKey(6, "b3"));
        q.observe("b2", new OrderKey(1, "b2"));
        assertThat(q.pollDeliverable()).isNull();
        Operation small = op("small", "b2", 0, 2, 0);
        q.add(small);
        q.observe("b2", new OrderKey(7, "b2"));
        assertThat(q.pollDeliverable()).isEqualTo(small);
        assertThat(q.pollDeliverable()).isEqualTo(big);
    }

    @Test
    void observeIgnoresOlderKeysAndSelf() {
        HoldBackQueue q = new HoldBackQueue("b1", PEERS);
        Operation x = op("x", "b1", 1, 0, 0);
        q.add(x);
        q.observe("b2", new OrderKey(5, "b2"));
        q.observe("b2", new OrderKey(0, "b2"));
        q.observe("b1", new OrderKey(0, "b1"));
        q.observe("b3", new OrderKey(2, "b3"));
        assertThat(q.acks(x)).containsExactly("b1", "b2", "b3");
        assertThat(q.pollDeliverable()).isEqualTo(x);
    }
}
