package org.distribank.consortium.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;
import org.distribank.consortium.wire.WireCodec;
import org.junit.jupiter.api.Test;

/**
 * Final outcomes (PROTOCOL.md, "Stability and final outcomes"): a node hands an outcome to its machine and its
 * client only once every member holds the operation and its votes durably, as their receive vectors say. Two
 * cores, b1 and b2, stepped by hand; frames are the JSON a link carries.
 */
class StabilityTest {

    /** Voters: the origin; votes yes; remembers what it was told to decide. */
    private static class Machine implements StateMachine {
        final List<Outcome> decided = new ArrayList<>();

        @Override
        public Set<String> voters(Operation op) {
            return Set.of(op.origin());
        }

        @Override
        public Vote vote(Operation op) {
            return Vote.yesVote();
        }

        @Override
        public void decide(Operation op, Outcome outcome) {
            decided.add(outcome);
        }
    }

    private final Machine m1 = new Machine();
    private final Machine m2 = new Machine();
    private final ProtocolCore b1 = new ProtocolCore("b1", List.of("b1", "b2"), m1);
    private final ProtocolCore b2 = new ProtocolCore("b2", List.of("b1", "b2"), m2);

    /** Ends the burst and carries the Ready out as a driver does (nothing to write here); what it sent and decided. */
    private static Ready burst(ProtocolCore core) {
        core.endBurst(true);
        Ready r = core.ready();
        core.advance(r);
        return r;
    }

    /** A frame from {@code from} with its messages and, when not null, its receive vector (b1, b2 order). */
    private static String frame(String from, Ready ready, long[] rv) {
        StringBuilder sb = new StringBuilder("{\"from\":\"").append(from).append('"');
        if (rv != null) {
            sb.append(",\"rv\":[").append(rv[0]).append(',').append(rv[1]).append(']');
        }
        sb.append(",\"messages\":[");
        for (int i = 0; i < ready.messages().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(ready.messages().get(i).json());
        }
        return sb.append("]}").toString();
    }

    private static void receive(ProtocolCore core, String from, String json) {
        WireCodec codec = new WireCodec(List.of("b1", "b2"));
        assertThat(core.receive(from, codec.readBatch(json), json)).isNull();
    }

    @Test
    void anOutcomeWaitsUntilEveryMemberHoldsTheOperationAndItsVote() {
        b1.submit("op-1", "pay");
        Ready opSent = burst(b1); // b1's OP (and its own ACK)
        receive(b2, "b1", frame("b1", opSent, new long[] {opSent.lastSeq(), 0}));
        Ready ackSent = burst(b2); // b2 acknowledges with an ACK; it now holds b1's OP
        receive(b1, "b2", frame("b2", ackSent, new long[] {opSent.lastSeq(), ackSent.lastSeq()}));
        Ready voted = burst(b1); // b1 delivers op-1 and votes yes (its VOTE)

        assertThat(voted.messages()).as("b1 sent its vote").hasSize(1);
        assertThat(voted.outcomes()).as("every vote is in, but b2 does not hold b1's vote yet: not final").isEmpty();
        assertThat(m1.decided).isEmpty();
        assertThat(b1.outcome("op-1")).isEmpty();

        receive(b2, "b1", frame("b1", voted, new long[] {voted.lastSeq(), ackSent.lastSeq()}));
        Ready atB2 = burst(b2);
        assertThat(atB2.outcomes()).as("b2 holds everything and b1 said it holds it too").extracting(Outcome::id)
                .containsExactly("op-1");
        assertThat(m2.decided).extracting(Outcome::decision).containsExactly(Decision.COMMITTED);

        // b2 has nothing more to say but its vector: a frame of no messages
        receive(b1, "b2", "{\"from\":\"b2\",\"rv\":[" + voted.lastSeq() + "," + ackSent.lastSeq() + "],\"messages\":[]}");
        Ready atB1 = burst(b1);
        assertThat(atB1.outcomes()).extracting(Outcome::id).containsExactly("op-1");
        assertThat(m1.decided).extracting(Outcome::decision).containsExactly(Decision.COMMITTED);
        assertThat(b1.outcome("op-1")).isPresent();
    }

    @Test
    void aRestartDecidesAgainAtOnceWhatWasFinalThoughTheFrameThatSaidSoWasNotLogged() {
        List<byte[]> log = new ArrayList<>(); // b1's log, as its driver appends it
        b1.submit("op-1", "pay");
        Ready opSent = logged(burst(b1), log);
        receive(b2, "b1", frame("b1", opSent, new long[] {opSent.lastSeq(), 0}));
        Ready ackSent = burst(b2);
        receive(b1, "b2", frame("b2", ackSent, new long[] {opSent.lastSeq(), ackSent.lastSeq()}));
        Ready voted = logged(burst(b1), log);
        receive(b2, "b1", frame("b1", voted, new long[] {voted.lastSeq(), ackSent.lastSeq()}));
        burst(b2);
        // the frame that makes op-1 final at b1 has no messages: it is not logged
        receive(b1, "b2", "{\"from\":\"b2\",\"rv\":[" + voted.lastSeq() + "," + ackSent.lastSeq() + "],\"messages\":[]}");
        Ready decided = logged(burst(b1), log);
        assertThat(decided.outcomes()).extracting(Outcome::id).containsExactly("op-1");
        assertThat(decided.mustSync()).as("a decision is forced to the log before it leaves").isTrue();

        // b1 crashes and replays its log; b2 is gone and sends nothing more
        Machine again = new Machine();
        ProtocolCore restarted = new ProtocolCore("b1", List.of("b1", "b2"), again);
        log.forEach(restarted::replay);
        restarted.finishReplay();
        assertThat(again.decided).as("decided again during the replay, as before the crash, with no peer's word")
                .extracting(Outcome::id).containsExactly("op-1");
        assertThat(restarted.outcome("op-1")).isPresent();
    }

    /** Appends {@code ready}'s records to {@code log}, as a driver does. */
    private static Ready logged(Ready ready, List<byte[]> log) {
        ready.records().forEach(r -> log.add(r.encode()));
        return ready;
    }

    @Test
    void aVectorClaimingMessagesNeverSentIsRefused() {
        b1.submit("op-1", "pay");
        burst(b1);
        String lie = "{\"from\":\"b2\",\"rv\":[5,0],\"messages\":[]}";
        WireCodec codec = new WireCodec(List.of("b1", "b2"));
        assertThat(b1.receive("b2", codec.readBatch(lie), lie)).contains("receive vector");
    }

    @Test
    void aSnapshotKeepsWhatStabilityNeeds() {
        b1.submit("op-1", "pay");
        Ready opSent = burst(b1);
        receive(b2, "b1", frame("b1", opSent, new long[] {opSent.lastSeq(), 0}));
        Ready ackSent = burst(b2); // b2's ACK, as it will reach the b1 below
        // b1 restarts from a snapshot taken while op-1 waited to be final; b2's vector then makes it final
        SnapshottingMachine again = new SnapshottingMachine();
        ProtocolCore before = new ProtocolCore("b1", List.of("b1", "b2"), new SnapshottingMachine());
        before.submit("op-1", "pay");
        Ready sent = burst(before);
        receive(before, "b2", frame("b2", ackSent, new long[] {sent.lastSeq(), ackSent.lastSeq()}));
        Ready voteSent = burst(before);
        byte[] snap = before.snapshot(List.of());
        ProtocolCore restarted = new ProtocolCore("b1", List.of("b1", "b2"), again);
        restarted.restore(snap);
        restarted.finishReplay();
        assertThat(burst(restarted).outcomes()).as("not final before the restart, not after").isEmpty();
        receive(restarted, "b2", "{\"from\":\"b2\",\"rv\":[" + voteSent.lastSeq() + "," + ackSent.lastSeq()
                + "],\"messages\":[]}");
        assertThat(burst(restarted).outcomes()).extracting(Outcome::id).containsExactly("op-1");
    }

    /** A machine with a (trivial) snapshot, so a core can be snapshotted. */
    private static final class SnapshottingMachine extends Machine {
        @Override
        public byte[] snapshot() {
            return new byte[0];
        }

        @Override
        public void restore(byte[] state) {
        }
    }
}
