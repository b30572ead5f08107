package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.View;
import org.junit.jupiter.api.Test;

/** The space-time layout: sends matched to receives, columns by time, the followed transaction. */
class SpaceTimeTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    @Test
    void aSendIsMatchedToItsReceiveAtEveryOtherBankBySenderAndSequence() {
        Events ev = new Events(1_000);
        long s = ev.send("b1", "OP", "T1");
        ev.now++;
        ev.receive("b2", "b1", "OP", "T1", s);
        ev.receive("b3", "b1", "OP", "T1", s);
        // b2's own seq=1 must not be taken for b1's
        long s2 = ev.send("b2", "OP", "T2");
        ev.receive("b1", "b2", "OP", "T2", s2);

        SpaceTime.Diagram d = SpaceTime.layout(BANKS, ev.all(), "", true);

        assertThat(d.lanes()).containsExactly("b1", "b2", "b3");
        assertThat(d.arrows()).hasSize(3).allSatisfy(a -> assertThat(a.kind()).isEqualTo("OP"));
        for (SpaceTime.Arrow a : d.arrows()) {
            SpaceTime.Dot from = d.dots().get(a.from());
            SpaceTime.Dot to = d.dots().get(a.to());
            assertThat(from.type()).isEqualTo("SEND");
            assertThat(to.type()).isEqualTo("RECEIVE");
            assertThat(from.opId()).isEqualTo(to.opId());
            assertThat(from.bank()).isNotEqualTo(to.bank());
            assertThat(to.column()).isGreaterThan(from.column());
        }
        assertThat(d.arrows()).extracting(a -> d.dots().get(a.from()).bank() + ">" + d.dots().get(a.to()).bank())
                .containsExactlyInAnyOrder("b1>b2", "b1>b3", "b2>b1");
    }

    @Test
    void aReceiveInTheSameMillisecondAsItsSendIsPlacedAfterIt() {
        Events ev = new Events(5_000);
        // the receive arrives first (another bank's stream), at the same millisecond
        ProtocolEvent r = ev.receive("b2", "b1", "OP", "T", 1);
        ProtocolEvent s = ev.event("b1", EventType.SEND, "all", "T", "OP seq=1", "OP", 1L);
        SpaceTime.Diagram d = SpaceTime.layout(BANKS, List.of(r, s), "", true);
        assertThat(d.dots()).extracting(SpaceTime.Dot::type).containsExactly("SEND", "RECEIVE");
        assertThat(d.arrows()).singleElement().satisfies(a -> assertThat(a.from()).isLessThan(a.to()));
    }

    @Test
    void followingATransactionHighlightsItsEventsAndTheAcksThatAcknowledgeIt() {
        Events ev = new Events(10_000);
        ev.operation(BANKS, "T1", true, 3);
        int before = ev.all().size();
        ev.operation(BANKS, "T2", true, 3);

        Set<ProtocolEvent> mine = SpaceTime.followed(ev.all(), "T1");

        List<ProtocolEvent> t1 = ev.all().subList(0, before);
        // every event of T1's run belongs to it: its own events, and the ACKs sent after receiving it
        assertThat(mine).containsExactlyInAnyOrderElementsOf(t1);
        assertThat(mine).noneMatch(e -> "T2".equals(e.opId()));
        assertThat(mine).filteredOn(e -> e.type() == EventType.ACK).extracting(ProtocolEvent::self)
                .containsExactlyInAnyOrder("b2", "b3");
        assertThat(mine).filteredOn(e -> e.type() == EventType.COMMIT).hasSize(3);

        SpaceTime.Diagram d = SpaceTime.layout(BANKS, ev.all(), "T1", true);
        assertThat(d.dots()).filteredOn(SpaceTime.Dot::highlighted).hasSize(before);
        assertThat(d.arrows()).filteredOn(SpaceTime.Arrow::highlighted)
                .extracting(SpaceTime.Arrow::kind).contains("OP", "ACK", "VOTE");
        assertThat(d.arrows()).filteredOn(a -> "T2".equals(d.dots().get(a.from()).opId()))
                .noneMatch(SpaceTime.Arrow::highlighted);
    }

    @Test
    void hidingAcksKeepsThoseOfTheFollowedTransaction() {
        Events ev = new Events(0);
        ev.operation(BANKS, "T1", true, 1);
        ev.operation(BANKS, "T2", true, 1);
        SpaceTime.Diagram none = SpaceTime.layout(BANKS, ev.all(), "", false);
        assertThat(none.dots()).noneMatch(d -> "ACK".equals(d.kind()));
        SpaceTime.Diagram t2 = SpaceTime.layout(BANKS, ev.all(), "T2", false);
        assertThat(t2.dots()).filteredOn(d -> "ACK".equals(d.kind())).isNotEmpty()
                .allMatch(SpaceTime.Dot::highlighted);
    }

    @Test
    void anUnknownBankGetsALaneOfItsOwn() {
        Events ev = new Events(0);
        ev.event("b9", EventType.PEER_UP, "b1", null, null);
        assertThat(SpaceTime.layout(BANKS, ev.all(), null, true).lanes()).containsExactly("b1", "b2", "b3", "b9");
    }

    @Test
    void aViewChangeIsMarkedOnceAcrossTheLanesWithItsEpochAndBanksOutOfItAreDimmed() {
        List<String> four = List.of("b1", "b2", "b3", "b4");
        Events ev = new Events(20_000);
        ev.operation(four, "T1", true, 2);
        ev.now += 5;
        View v1 = new View(1, List.of("b1", "b2", "b3"), four);
        ProtocolEvent first = ev.view("b2", v1);
        ev.now += 1;
        ev.view("b1", v1);
        ev.view("b3", v1);
        ev.now += 5;
        ev.operation(List.of("b1", "b2", "b3"), "T2", true, 2);

        SpaceTime.Diagram d = SpaceTime.layout(four, ev.all(), "", true);

        assertThat(d.views()).singleElement().satisfies(m -> {
            assertThat(m.label()).isEqualTo("epoch 1");
            assertThat(m.out()).containsExactly("b4");
            assertThat(m.installedBy()).containsExactly("b2", "b1", "b3");
            assertThat(m.detail()).isEqualTo("epoch 1: b1, b2, b3 ordering; out: b4; installed by b2, b1, b3");
            SpaceTime.Dot at = d.dots().get(m.column());
            assertThat(at.type()).isEqualTo("VIEW");
            assertThat(at.bank()).isEqualTo(first.self());
            // after every event of T1, before every event of T2
            assertThat(d.dots().subList(0, m.column())).allMatch(x -> !"T2".equals(x.opId()));
            assertThat(d.dots().subList(m.column(), d.dots().size())).allMatch(x -> !"T1".equals(x.opId()));
        });
        assertThat(d.dots()).filteredOn(x -> x.type().equals("VIEW")).extracting(SpaceTime.Dot::label)
                .containsOnly("VIEW epoch 1: members b1,b2,b3; out b4");
        assertThat(d.outside()).containsExactly("b4");
        assertThat(d.dimmed(3)).isTrue();
        assertThat(d.dimmed(0)).isFalse();

        // a newer view known from the banks' polls wins over the events shown; an older one does not
        View v2 = new View(2, List.of("b1", "b2", "b4"), four);
        assertThat(SpaceTime.layout(four, ev.all(), "", true, v2).outside()).containsExactly("b3");
        assertThat(SpaceTime.layout(four, ev.all(), "", true, View.initial(four)).outside()).containsExactly("b4");
        assertThat(SpaceTime.layout(four, List.of(), "", true, null).outside()).isEmpty();
    }

    @Test
    void onTheTimeAxisDotsArePlacedByTheirTimeAndInLogicalOrderOneColumnEach() {
        Events ev = new Events(1_000);
        ev.event("b1", EventType.DELIVER, null, "T1", null);
        ev.now = 1_010;
        ev.event("b2", EventType.DELIVER, null, "T1", null);
        ev.now = 1_100; // a long pause
        ev.event("b3", EventType.DELIVER, null, "T1", null);

        SpaceTime.Diagram logical = SpaceTime.layout(BANKS, ev.all(), "", true, null, false);
        assertThat(logical.position(0)).isZero();
        assertThat(logical.position(1)).isEqualTo(1.0);
        assertThat(logical.position(2)).isEqualTo(2.0);

        SpaceTime.Diagram timed = SpaceTime.layout(BANKS, ev.all(), "", true, null, true);
        assertThat(timed.timeAxis()).isTrue();
        assertThat(timed.times()).containsExactly(1_000L, 1_010L, 1_100L);
        // spread by time over (columns - 1): the pause is nine times the first gap, which is widened to the least
        // gap between two dots; the pause keeps its length after it
        org.assertj.core.data.Offset<Double> near = org.assertj.core.data.Offset.offset(1e-9);
        assertThat(timed.position(1)).isCloseTo(SpaceTime.MIN_GAP, near);
        assertThat(timed.position(2) - timed.position(1)).isCloseTo(2.0 * 90 / 100, near);
        assertThat(timed.timeAt(timed.position(1))).isEqualTo(1_010L);
        assertThat(timed.timeAt((timed.position(1) + timed.position(2)) / 2)).isEqualTo(1_055L);
        assertThat(timed.timeAt(99)).isEqualTo(1_100L);
        // a burst in one millisecond stays readable: its dots the least gap apart
        assertThat(SpaceTime.timePositions(List.of(5L, 5L, 5L))).containsExactly(0.0, SpaceTime.MIN_GAP,
                2 * SpaceTime.MIN_GAP);
    }

    @Test
    void aReceiveStampedBeforeItsSendIsDrawnAfterItWithTheRestOfItsLane() {
        Events ev = new Events(2_000);
        // b2's clock runs 5 ms behind b1's: its receive (and what it did next) is stamped before the send
        ProtocolEvent r = ev.receive("b2", "b1", "OP", "T", 1);
        ev.now = 2_001;
        ProtocolEvent delivered = ev.event("b2", EventType.DELIVER, "b1", "T", "position=1");
        ev.now = 2_005;
        ProtocolEvent s = ev.event("b1", EventType.SEND, "all", "T", "OP seq=1", "OP", 1L);

        SpaceTime.Diagram d = SpaceTime.layout(BANKS, List.of(r, delivered, s), "", true, null, true);
        assertThat(d.dots()).extracting(SpaceTime.Dot::type).containsExactly("SEND", "RECEIVE", "DELIVER");
        assertThat(d.arrows()).singleElement().satisfies(a -> assertThat(a.from()).isLessThan(a.to()));
        // nudged: never before the send on the time axis, and the lane keeps its order
        assertThat(d.times()).containsExactly(2_005L, 2_005L, 2_005L);
    }
}
