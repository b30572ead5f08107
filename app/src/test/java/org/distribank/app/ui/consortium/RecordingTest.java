package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.junit.jupiter.api.Test;

/** The history's reconstruction of each bank's state at a moment, from synthetic events. */
class RecordingTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    private static Recording.BankState of(List<Recording.BankState> states, String bank) {
        return states.stream().filter(s -> s.bank().equals(bank)).findFirst().orElseThrow();
    }

    @Test
    void aBanksClockAtAMomentIsTheClockOfItsLastEventThen() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T1", true, 10);
        Recording r = Recording.of(ev.all(), 1_000);
        long t = 1_015; // after the OP's receipts and the ACKs, before the deliveries
        ProtocolEvent lastOfB2 = ev.all().stream().filter(e -> e.self().equals("b2") && e.timeMs() <= t)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(of(r.stateAt(BANKS, t), "b2").clock()).isEqualTo(lastOfB2.clock());
        assertThat(of(r.stateAt(BANKS, 999), "b2").clock()).isNull();
        assertThat(of(r.stateAt(BANKS, 999), "b2").presence()).isEqualTo(Recording.Presence.UNKNOWN);
    }

    @Test
    void anOperationIsQueuedFromItsReceiptUntilItsDeliveryWithTheBanksThatAcknowledgedIt() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T1", true, 10);
        Recording r = Recording.of(ev.all(), 1_000);

        // 1_010: b2 and b3 received the OP, nobody acknowledged it yet
        List<Recording.BankState> received = r.stateAt(BANKS, 1_010);
        assertThat(of(received, "b1").queue()).extracting(Recording.Queued::opId).containsExactly("T1");
        assertThat(of(received, "b2").queue()).containsExactly(new Recording.Queued("T1", List.of("b1")));
        // 1_020: b2 and b3 sent their ACKs, and every bank received the others'
        List<Recording.BankState> acked = r.stateAt(BANKS, 1_020);
        assertThat(of(acked, "b1").queue().get(0).ackedBy()).containsExactlyInAnyOrder("b1", "b2", "b3");
        assertThat(of(acked, "b3").queueText()).startsWith("1: T1 (acked by ");
        // 1_030: delivered everywhere
        assertThat(r.stateAt(BANKS, 1_030)).allSatisfy(s -> assertThat(s.queue()).isEmpty());
        assertThat(of(r.stateAt(BANKS, 1_030), "b1").queueText()).isEqualTo("empty");
    }

    @Test
    void aBankIsOfflineWhenOthersReportItDownAfterItsLastEventAndOnlineWhenItIsBack() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T1", true, 10); // b2's last event before the crash: 1_030
        ev.now = 2_000;
        ev.event("b1", EventType.PEER_DOWN, "b2", null, null);
        ev.now = 2_100;
        ev.event("b3", EventType.PEER_DOWN, "b2", null, null);
        ev.now = 5_000;
        ev.event("b1", EventType.PEER_UP, "b2", null, null);
        ev.now = 5_001;
        ev.event("b2", EventType.PEER_UP, "b1", null, null);
        Recording r = Recording.of(ev.all(), 1_000);

        assertThat(of(r.stateAt(BANKS, 1_500), "b2").presence()).isEqualTo(Recording.Presence.ONLINE);
        assertThat(of(r.stateAt(BANKS, 2_000), "b2").presenceText()).isEqualTo("offline (b1 see it down)");
        assertThat(of(r.stateAt(BANKS, 3_000), "b2").presenceText()).isEqualTo("offline (b1, b3 see it down)");
        assertThat(of(r.stateAt(BANKS, 3_000), "b1").presence()).isEqualTo(Recording.Presence.ONLINE);
        // b3 still reports it down, but b2 speaks for itself again
        assertThat(of(r.stateAt(BANKS, 5_001), "b2").presence()).isEqualTo(Recording.Presence.ONLINE);
    }

    @Test
    void theRecordingKeepsItsEventsInTimeOrderOnceEachAndAtMostItsCapacity() {
        Events ev = new Events(1_000);
        for (int i = 0; i < 5; i++) {
            ev.operation(BANKS, "T" + i, true, 3);
        }
        List<ProtocolEvent> all = ev.all();
        Recording r = new Recording(all.size());
        List<ProtocolEvent> backwards = new java.util.ArrayList<>(all);
        java.util.Collections.reverse(backwards);
        r.addAll(backwards);
        r.addAll(all); // a replay: nothing new
        assertThat(r.size()).isEqualTo(all.size());
        assertThat(r.events()).isSortedAccordingTo(java.util.Comparator.comparingLong(ProtocolEvent::timeMs));
        assertThat(r.startMs()).isEqualTo(1_000);
        assertThat(r.endMs()).isEqualTo(all.get(all.size() - 1).timeMs());

        Recording small = new Recording(10);
        small.addAll(all);
        assertThat(small.size()).as("at most the capacity; a tenth more dropped at once").isEqualTo(9);
        assertThat(small.events()).containsExactlyElementsOf(all.subList(all.size() - 9, all.size()));
        assertThat(small.window(small.endMs(), 3)).containsExactlyElementsOf(all.subList(all.size() - 3, all.size()));
        assertThat(small.countUpTo(0)).isZero();
    }

    @Test
    void aBankOnlyOthersHaveHeardOfGetsARow() {
        Events ev = new Events(0);
        ev.event("b1", EventType.PEER_DOWN, "b9", null, null);
        List<Recording.BankState> s = Recording.state(BANKS, ev.all());
        assertThat(s).extracting(Recording.BankState::bank).containsExactly("b1", "b2", "b3", "b9");
        assertThat(of(s, "b9").presence()).isEqualTo(Recording.Presence.OFFLINE);
        assertThat(of(s, "b9").clockText()).isEqualTo("-");
    }
}
