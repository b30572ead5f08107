package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.OperationTooLargeException;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Link frames are bounded by bytes, not only by message count: a backlog larger than a transport takes in one
 * frame (OkHttp queues 16 MiB on a WebSocket, the receiver reads a 64 MiB body) drains once the link is back,
 * and an operation no frame could carry is refused at submit, before anything is ordered.
 */
class FrameBytesTest {

    /** A little under 1 MiB: 70 of them are past both transports' limits, each well inside one frame. */
    private static final int PAD = 1_000_000;
    private static final int BACKLOG = 70;

    @TempDir
    Path dir;

    private static String large(int i) {
        return CounterStateMachine.payload("x", 1) + ";pad=" + Character.toString('a' + i % 26).repeat(PAD);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"WEBSOCKET", "HTTP"})
    void aBacklogOfLargeOperationsBehindACutLinkDrainsOnceHealed(TransportKind kind) throws Exception {
        TestCluster c = new TestCluster(2, dir, null).withOfflineAfter(120_000); // a cut link is no dead peer
        c.transport = kind;
        try (c) {
            c.start();
            c.member("b1").transport.cut("b2");
            List<CompletableFuture<Outcome>> fs = new ArrayList<>();
            for (int i = 0; i < BACKLOG; i++) {
                fs.add(c.node("b1").submit("large-" + i, large(i)));
            }
            // the whole backlog on b1's disk before the link is back: one frame could carry it all
            await().atMost(Duration.ofSeconds(60)).until(() -> c.node("b1").messagesSent() >= BACKLOG
                    && c.node("b1").messagesDurable() == c.node("b1").messagesSent());

            c.member("b1").transport.heal("b2");

            c.awaitDelivered(BACKLOG, Duration.ofSeconds(90));
            for (CompletableFuture<Outcome> f : fs) {
                assertThat(f.get(10, TimeUnit.SECONDS).committed()).isTrue();
            }
            assertThat(c.member("b2").machine.value("x")).isEqualTo(BACKLOG);
            assertThat(c.node("b2").logHash()).isEqualTo(c.node("b1").logHash());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"WEBSOCKET", "HTTP"})
    void anOperationNoFrameCouldCarryIsRefusedAtSubmitAndNothingIsOrdered(TransportKind kind) throws Exception {
        TestCluster c = new TestCluster(2, dir, null).withOfflineAfter(120_000);
        c.transport = kind;
        try (c) {
            c.start();
            String oversized = CounterStateMachine.payload("x", 1) + ";pad="
                    + "z".repeat((int) NodeOptions.DEFAULT_MAX_FRAME_BYTES);
            assertThatThrownBy(() -> c.node("b1").submit("too-large", oversized))
                    .isInstanceOf(OperationTooLargeException.class)
                    .hasMessageContaining("frame");

            // nothing of it was ordered: the next operation is the first one delivered, everywhere
            assertThat(c.node("b1").submit("small", CounterStateMachine.payload("x", 5)).get(20, TimeUnit.SECONDS)
                    .committed()).isTrue();
            c.awaitDelivered(1, Duration.ofSeconds(20));
            assertThat(c.node("b1").outcome("too-large")).isEmpty();
            assertThat(c.member("b2").machine.history()).containsExactly("small:COMMITTED");
        }
    }
}
