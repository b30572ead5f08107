package org.distribank.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.observe.EventBus;
import org.distribank.consortium.observe.EventStreamRoute;
import org.junit.jupiter.api.Test;

/** The app's event stream client against the protocol's real SSE route on a loopback Javalin. */
class EventStreamClientTest {

    @Test
    void theFirstConnectionGetsTheEventsRetainedBeforeItThenTheLiveOnes() throws Exception {
        EventBus bus = new EventBus("b1", 100);
        VectorClock clock = new VectorClock(Map.of("b1", 1L));
        bus.emit(EventType.DELIVER, "b2", "before-1", "position=1", clock);
        bus.emit(EventType.COMMIT, null, "before-1", "committed", clock);
        CountDownLatch subscribed = new CountDownLatch(1);
        Javalin web = serve(bus, subscribed);
        List<ProtocolEvent> got = new CopyOnWriteArrayList<>();
        try (EventStreamClient client = new EventStreamClient(
                new OperatorClient("b1", "http://127.0.0.1:" + web.port(), "operator-token"), got::add, up -> { })) {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("the client's stream is open").isTrue();
            bus.emit(EventType.DELIVER, "b2", "after-1", "position=2", clock);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
            assertThat(got).extracting(ProtocolEvent::opId).containsExactly("before-1", "before-1", "after-1");
        } finally {
            web.stop();
        }
    }

    private static Javalin serve(EventBus bus, CountDownLatch subscribed) {
        EventSource source = new EventSource() {
            @Override
            public AutoCloseable subscribe(Consumer<ProtocolEvent> listener) {
                AutoCloseable sub = bus.subscribe(listener);
                subscribed.countDown();
                return sub;
            }

            @Override
            public List<ProtocolEvent> recent() {
                return bus.recent();
            }
        };
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            EventStreamRoute.register(cfg, "/api/v1/events", source);
        }).start("127.0.0.1", 0);
    }

    @Test
    void aViewChangeComesBackTypedWithItsEpochMembersAndBanks() throws Exception {
        EventBus bus = new EventBus("b1", 100);
        CountDownLatch subscribed = new CountDownLatch(1);
        Javalin web = serve(bus, subscribed);
        List<ProtocolEvent> got = new CopyOnWriteArrayList<>();
        try (EventStreamClient client = new EventStreamClient(
                new OperatorClient("b1", "http://127.0.0.1:" + web.port(), "operator-token"), got::add, up -> { })) {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("the client's stream is open").isTrue();
            VectorClock clock = new VectorClock(Map.of("b1", 7L, "b2", 5L, "b3", 5L, "b4", 2L));
            bus.emit(EventType.DELIVER, "b2", "pay-1@0a1b", "position=3", clock);
            View v = new View(2, List.of("b1", "b2", "b3"), List.of("b1", "b2", "b3", "b4"));
            bus.publishView(v, clock);

            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
            assertThat(got.get(0).type()).isEqualTo(EventType.DELIVER);
            assertThat(got.get(0).opId()).as("shown by the customer's id").isEqualTo("pay-1");
            assertThat(got.get(0).view()).isNull();
            ProtocolEvent e = got.get(1);
            assertThat(e.type()).isEqualTo(EventType.VIEW);
            assertThat(e.self()).isEqualTo("b1");
            assertThat(e.view()).isEqualTo(v);
            assertThat(e.view().isMember("b4")).isFalse();
            assertThat(e.detail()).isEqualTo("epoch 2: members b1,b2,b3; out b4");
            assertThat(e.clock()).isEqualTo(clock);
        } finally {
            web.stop();
        }
    }
}
