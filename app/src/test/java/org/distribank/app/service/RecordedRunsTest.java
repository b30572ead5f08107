package org.distribank.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.observe.ShiVizExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded runs saved and read back: the app's JSON lines, and a ShiViz log as far as it goes. */
class RecordedRunsTest {

    @TempDir
    Path dir;

    private static VectorClock clock(long b1, long b2) {
        return new VectorClock(Map.of("b1", b1, "b2", b2));
    }

    /** b1 installs a view, sends an operation to b2, which receives, acknowledges and delivers it. */
    private static List<ProtocolEvent> run() {
        View v = new View(1, List.of("b1", "b2"), List.of("b1", "b2", "b3"));
        return List.of(
                new ProtocolEvent(1, 1_000, "b1", EventType.VIEW, null, null, "epoch 1: members b1,b2; out b3",
                        clock(0, 0), v),
                new ProtocolEvent(2, 1_001, "b1", EventType.SEND, "all", "T1", "OP seq=1", clock(1, 0), null, "OP", 1L),
                new ProtocolEvent(1, 1_005, "b2", EventType.RECEIVE, "b1", "T1", "OP seq=1", clock(1, 1), null, "OP",
                        1L),
                new ProtocolEvent(2, 1_006, "b2", EventType.ACK, "all", null, "ACK seq=1", clock(1, 2), null, "ACK",
                        1L),
                new ProtocolEvent(3, 1_007, "b2", EventType.DELIVER, "b1", "T1", "position=1", clock(1, 2), null));
    }

    @Test
    void aSavedRunReadsBackEventForEvent() throws IOException {
        Path f = dir.resolve("run.jsonl");
        assertThat(RecordedRuns.save(f, run())).isEqualTo(5);
        RecordedRuns.Run back = RecordedRuns.load(f);
        assertThat(back.format()).isEqualTo("DistriBank recording");
        assertThat(back.events()).containsExactlyElementsOf(run());
    }

    @Test
    void aShiVizLogReadsBackWithItsTypesOperationsPeersMessagesViewsAndCausalTimes() throws IOException {
        Path f = dir.resolve("run.log");
        List<ProtocolEvent> original = run();
        Files.writeString(f, ShiVizExport.format(List.of(original.subList(0, 2), original.subList(2, 5))));
        RecordedRuns.Run back = RecordedRuns.load(f);
        assertThat(back.format()).isEqualTo("ShiViz log");
        List<ProtocolEvent> e = back.events();
        assertThat(e).extracting(ProtocolEvent::self, ProtocolEvent::type, ProtocolEvent::opId, ProtocolEvent::peer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b1", EventType.VIEW, null, null),
                        org.assertj.core.groups.Tuple.tuple("b1", EventType.SEND, "T1", "all"),
                        org.assertj.core.groups.Tuple.tuple("b2", EventType.RECEIVE, "T1", "b1"),
                        org.assertj.core.groups.Tuple.tuple("b2", EventType.ACK, null, "all"),
                        org.assertj.core.groups.Tuple.tuple("b2", EventType.DELIVER, "T1", "b1"));
        assertThat(e.get(0).view()).isEqualTo(original.get(0).view());
        assertThat(e.get(1).message()).isEqualTo("OP");
        assertThat(e.get(1).seq()).isEqualTo(1L);
        assertThat(e.get(3).message()).isEqualTo("ACK");
        assertThat(e.get(4).detail()).isEqualTo("position=1");
        assertThat(e.get(2).clock()).isEqualTo(clock(1, 1));
        // times made from the clocks: a send before its receive, each node's events in its order
        assertThat(e.get(0).timeMs()).isLessThan(e.get(1).timeMs());
        assertThat(e.get(1).timeMs()).isLessThan(e.get(2).timeMs());
        assertThat(e.get(3).timeMs()).isLessThan(e.get(4).timeMs());
    }

    @Test
    void aFileThatIsNeitherSaysSo() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        assertThatThrownBy(() -> RecordedRuns.load(empty)).isInstanceOf(IOException.class).hasMessageContaining("no event");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"nope\": 1}\n");
        assertThatThrownBy(() -> RecordedRuns.load(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1");
        Path prose = Files.writeString(dir.resolve("prose.txt"), "hello\nworld\n");
        assertThatThrownBy(() -> RecordedRuns.load(prose)).isInstanceOf(IOException.class);
    }
}
