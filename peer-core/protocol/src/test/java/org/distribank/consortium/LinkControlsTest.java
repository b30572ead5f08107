package org.distribank.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The operator's {@link LinkControls}: straight through when idle, cut, slowed in FIFO order. */
class LinkControlsTest {

    /** What reached the inner transport, with the thread and time it left on. */
    record Sent(String to, String what, Thread thread, long atNanos) {
    }

    /** An inner transport that records; its streams never fail. */
    static final class Recorder implements Transport {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger opened = new AtomicInteger();

        private void record(String to, String what) {
            sent.add(new Sent(to, what, Thread.currentThread(), System.nanoTime()));
        }

        @Override
        public long sendBatch(String to, String batchJson) {
            record(to, batchJson);
            return 0;
        }

        @Override
        public void heartbeat(String to, String from) {
            record(to, "heartbeat");
        }

        @Override
        public boolean streaming() {
            return true;
        }

        @Override
        public Stream openStream(String to, StreamListener listener) {
            opened.incrementAndGet();
            return new Stream() {
                @Override
                public void send(String batchJson) {
                    record(to, batchJson);
                }

                @Override
                public void close() {
                    listener.onClosed("closed");
                }
            };
        }

        @Override
        public void close() {
        }

        List<String> frames(String to) {
            return sent.stream().filter(s -> s.to().equals(to) && !s.what().equals("heartbeat"))
                    .map(Sent::what).toList();
        }
    }

    /** Counts closes. */
    static final class Listener implements Transport.StreamListener {
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public void onAck(long ack) {
        }

        @Override
        public void onClosed(String why) {
            closed.add(why);
        }
    }

    @Test
    void withNothingShapedEverythingGoesStraightThroughOnTheCallersThread() throws IOException {
        Recorder r = new Recorder();
        try (LinkControls t = LinkControls.wrap(r)) {
            Transport.Stream s = t.openStream("b2", new Listener());
            for (int i = 0; i < 100; i++) {
                s.send("f" + i);
            }
            t.heartbeat("b2", "b1");
            t.sendBatch("b3", "batch");
            t.pass("b2");
            assertThat(r.sent).hasSize(102).allMatch(x -> x.thread() == Thread.currentThread());
            assertThat(r.frames("b2")).startsWith("f0", "f1").endsWith("f99");
            assertThat(t.link("b2")).isEqualTo(new LinkState("b2", LinkMode.UP, 0));
        }
    }

    @Test
    void aCutDropsFramesBatchesAndHeartbeatsToThatPeerOnlyUntilHealed() throws IOException {
        Recorder r = new Recorder();
        try (LinkControls t = LinkControls.wrap(r)) {
            Listener toB2 = new Listener();
            Transport.Stream s2 = t.openStream("b2", toB2);
            Transport.Stream s3 = t.openStream("b3", new Listener());
            assertThat(t.setLink("b2", LinkMode.CUT, 0)).isEqualTo(new LinkState("b2", LinkMode.CUT, 0));
            assertThat(toB2.closed).hasSize(1); // the open stream ends at once: the link resends after healing
            s2.send("lost");
            Listener reopened = new Listener();
            t.openStream("b2", reopened).send("lost too");
            assertThat(reopened.closed).hasSize(1);
            assertThatThrownBy(() -> t.heartbeat("b2", "b1")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> t.sendBatch("b2", "lost")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> t.pass("b2")).isInstanceOf(IOException.class);
            s3.send("to b3");
            t.heartbeat("b3", "b1");
            assertThat(r.frames("b2")).isEmpty();
            assertThat(r.frames("b3")).containsExactly("to b3");
            assertThat(r.sent).noneMatch(x -> x.to().equals("b2"));

            assertThat(t.setLink("b2", LinkMode.UP, 0)).isEqualTo(new LinkState("b2", LinkMode.UP, 0));
            t.openStream("b2", new Listener()).send("after");
            t.heartbeat("b2", "b1");
            assertThat(r.frames("b2")).containsExactly("after");
        }
    }

    @Test
    void aSlowLinkDelaysEveryFrameInFifoOrderAndFramesSentAfterItEndsQueueBehind() {
        Recorder r = new Recorder();
        try (LinkControls t = LinkControls.wrap(r)) {
            Transport.Stream s = t.openStream("b2", new Listener());
            Transport.Stream s3 = t.openStream("b3", new Listener());
            t.setLink("b2", LinkMode.SLOW, 300);
            long t0 = System.nanoTime();
            s.send("f1");
            s.send("f2");
            t.slow("b2", 400); // longer: what is held keeps its due time
            s.send("f3");
            s3.send("b3 is not slowed");
            assertThat(r.frames("b3")).containsExactly("b3 is not slowed");
            assertThat(r.frames("b2")).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> r.frames("b2").size() == 3);
            assertThat(r.frames("b2")).containsExactly("f1", "f2", "f3");
            assertThat(r.sent).filteredOn(x -> x.to().equals("b2"))
                    .allMatch(x -> x.thread() != Thread.currentThread())
                    .allMatch(x -> (x.atNanos() - t0) / 1_000_000 >= 300);
            // drained: straight through again once the link is UP
            t.setLink("b2", LinkMode.UP, 0);
            s.send("f4");
            assertThat(r.frames("b2")).endsWith("f4");
        }
    }

    @Test
    void restoringOrShorteningTheDelayReleasesHeldFramesSoonerAndStillInOrder() {
        Recorder r = new Recorder();
        try (LinkControls t = LinkControls.wrap(r)) {
            Transport.Stream s = t.openStream("b2", new Listener());
            t.setLink("b2", LinkMode.SLOW, 10_000);
            long t0 = System.nanoTime();
            s.send("f1");
            s.send("f2");
            t.setLink("b2", LinkMode.SLOW, 50); // f1, f2 now leave 50 ms after they were sent
            s.send("f3");
            t.setLink("b2", LinkMode.UP, 0);
            s.send("f4"); // not delayed, but behind f1..f3 until they have left
            await().atMost(Duration.ofSeconds(5)).until(() -> r.frames("b2").size() == 4);
            assertThat(r.frames("b2")).containsExactly("f1", "f2", "f3", "f4");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
            for (int i = 5; i < 50; i++) { // interleave sends with changes: order holds whatever happens
                t.setLink("b2", LinkMode.SLOW, 1 + (i * 7) % 40);
                s.send("f" + i);
                if (i % 3 == 0) {
                    t.setLink("b2", LinkMode.UP, 0);
                }
            }
            t.setLink("b2", LinkMode.UP, 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.frames("b2").size() == 49);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i < 50; i++) {
                expected.add("f" + i);
            }
            assertThat(r.frames("b2")).isEqualTo(expected);
        }
    }

    @Test
    void aSlowLinkDelaysHeartbeatsBatchesAndOtherCalls() throws IOException {
        Recorder r = new Recorder();
        try (LinkControls t = LinkControls.wrap(r)) {
            t.slow("b2", 150);
            for (Runnable call : List.<Runnable>of(() -> quietly(() -> t.heartbeat("b2", "b1")),
                    () -> quietly(() -> t.sendBatch("b2", "batch")), () -> quietly(() -> t.pass("b2")))) {
                long t0 = System.nanoTime();
                call.run();
                assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
            }
            long t0 = System.nanoTime();
            t.heartbeat("b3", "b1");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(150);
            assertThat(t.link("b2")).isEqualTo(new LinkState("b2", LinkMode.SLOW, 150));
        }
    }

    @Test
    void changesAreReportedOnceAndInvalidShapesRefused() {
        try (LinkControls t = LinkControls.wrap(new Recorder())) {
            List<LinkState> seen = new ArrayList<>();
            t.onLinkChange(seen::add);
            t.setLink("b2", LinkMode.CUT, 0);
            t.setLink("b2", LinkMode.CUT, 0); // no change, no report
            t.setLink("b2", LinkMode.SLOW, 300);
            t.setLink("b2", LinkMode.UP, 0);
            assertThat(seen).extracting(LinkState::describe).containsExactly("CUT", "SLOW 300 ms", "UP");
            assertThatThrownBy(() -> t.setLink("b2", LinkMode.SLOW, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.setLink("b2", LinkMode.UP, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.slow("b2", -1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(seen).hasSize(3);
        }
    }

    interface IoCall {
        void run() throws IOException;
    }

    private static void quietly(IoCall c) {
        try {
            c.run();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
