package org.distribank.consortium.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.ClockOrder;
import org.distribank.consortium.entity.OrderKey;
import org.distribank.consortium.entity.VectorClock;
import org.junit.jupiter.api.Test;

class VectorClockTest {

    private static VectorClock vc(long b1, long b2, long b3) {
        return new VectorClock(Map.of("b1", b1, "b2", b2, "b3", b3));
    }

    @Test
    void mergeTakesEveryEntrysMaximumNotOnlyTheFirst() {
        assertThat(vc(1, 5, 0).merge(vc(3, 2, 7))).isEqualTo(vc(3, 5, 7));
    }

    @Test
    void compareDetectsHappenedBeforeAfterEqualAndConcurrent() {
        assertThat(vc(1, 0, 0).compare(vc(1, 1, 0))).isEqualTo(ClockOrder.BEFORE);
        assertThat(vc(2, 1, 0).compare(vc(1, 1, 0))).isEqualTo(ClockOrder.AFTER);
        assertThat(vc(1, 1, 0).compare(vc(1, 1, 0))).isEqualTo(ClockOrder.EQUAL);
        assertThat(vc(2, 0, 0).compare(vc(0, 1, 0))).isEqualTo(ClockOrder.CONCURRENT);
        assertThat(vc(1, 0, 0).happenedBefore(vc(1, 0, 1))).isTrue();
        assertThat(vc(1, 0, 0).concurrentWith(vc(0, 0, 1))).isTrue();
    }

    @Test
    void missingEntriesReadAsZero() {
        VectorClock partial = new VectorClock(Map.of("b1", 1L));
        assertThat(partial.get("b3")).isZero();
        assertThat(partial.compare(vc(1, 0, 0))).isEqualTo(ClockOrder.EQUAL);
    }

    @Test
    void sendTicksOwnEntryAndReceiveMergesThenTicks() {
        LogicalClock b1 = new LogicalClock("b1", List.of("b1", "b2", "b3"));
        LogicalClock b2 = new LogicalClock("b2", List.of("b1", "b2", "b3"));
        VectorClock sent = b1.tickForSend();
        assertThat(sent).isEqualTo(vc(1, 0, 0));
        b2.tickForSend();
        assertThat(b2.onReceive(sent)).isEqualTo(vc(1, 2, 0));
        assertThat(sent.happenedBefore(b2.current())).isTrue();
    }

    @Test
    void orderKeyRespectsHappenedBeforeAndBreaksTiesByOriginNumerically() {
        VectorClock a = vc(1, 0, 0);
        VectorClock b = a.merge(vc(0, 0, 0)).increment("b2");
        assertThat(a.orderKey("b1")).isLessThan(b.orderKey("b2"));
        assertThat(new OrderKey(4, "b2")).isLessThan(new OrderKey(4, "b10"));
        assertThat(new OrderKey(4, "b9")).isLessThan(new OrderKey(5, "b1"));
        assertThat(new OrderKey(4, "b3").greaterThan(new OrderKey(4, "b1"))).isTrue();
    }

    @Test
    void toStringIsTheJsonFormInPeerOrder() {
        VectorClock c = new VectorClock(Map.of("b10", 1L, "b2", 3L, "b1", 0L));
        assertThat(c).hasToString("{\"b1\":0,\"b2\":3,\"b10\":1}");
    }
}
