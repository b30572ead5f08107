package org.distribank.consortium.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.transport.Json;
import org.junit.jupiter.api.Test;

/** View changes as observers get them: the VIEW event, its JSON on the SSE route, and its place in the ShiViz log. */
class ViewEventsTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3", "b4");

    private static VectorClock clock(long b1, long b2) {
        return new VectorClock(Map.of("b1", b1, "b2", b2, "b3", 0L, "b4", 0L));
    }

    @Test
    void aViewEventCarriesTheViewAndSaysInWordsWhoIsInAndOut() {
        EventBus bus = new EventBus("b1", 10);
        bus.publishView(new View(3, List.of("b3", "b1", "b2"), BANKS), clock(5, 4));
        bus.publishView(View.initial(BANKS), clock(6, 4));
        List<ProtocolEvent> kept = bus.recent();
        assertThat(kept).extracting(ProtocolEvent::type).containsExactly(EventType.VIEW, EventType.VIEW);
        ProtocolEvent e = kept.get(0);
        assertThat(e.self()).isEqualTo("b1");
        assertThat(e.view().epoch()).isEqualTo(3);
        assertThat(e.view().members()).containsExactly("b1", "b2", "b3");
        assertThat(e.detail()).isEqualTo("epoch 3: members b1,b2,b3; out b4");
        assertThat(e.describe()).isEqualTo("VIEW epoch 3: members b1,b2,b3; out b4");
        assertThat(kept.get(1).detail()).isEqualTo("epoch 0: members b1,b2,b3,b4");
    }

    @Test
    void theSseRouteWritesTheViewOnViewEventsOnly() throws Exception {
        EventBus bus = new EventBus("b1", 100);
        Javalin web = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            EventStreamRoute.register(cfg, "/api/v1/events", bus);
        }).start("127.0.0.1", 0);
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
        try (Response resp = http.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + web.port() + "/api/v1/events")
                .header("Accept", "text/event-stream").build()).execute()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(resp.body().byteStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith(":"); // subscribed
            bus.emit(EventType.COMMIT, null, "op-1", "", clock(2, 1));
            bus.publishView(new View(1, List.of("b1", "b2", "b3"), BANKS), clock(3, 1));

            Map<String, String> dataByEvent = new LinkedHashMap<>();
            String event = null;
            String line;
            while (dataByEvent.size() < 2 && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    dataByEvent.put(event, line.substring(6));
                }
            }
            assertThat(dataByEvent).containsOnlyKeys("COMMIT", "VIEW");
            assertThat(JsonParser.parseString(dataByEvent.get("COMMIT")).getAsJsonObject().has("view")).isFalse();
            JsonObject view = JsonParser.parseString(dataByEvent.get("VIEW")).getAsJsonObject();
            assertThat(view.get("detail").getAsString()).isEqualTo("epoch 1: members b1,b2,b3; out b4");
            assertThat(view.getAsJsonObject("view").toString())
                    .isEqualTo("{\"epoch\":1,\"members\":[\"b1\",\"b2\",\"b3\"],"
                            + "\"banks\":[\"b1\",\"b2\",\"b3\",\"b4\"]}");
            // and it reads back typed
            ProtocolEvent back = Json.GSON.fromJson(dataByEvent.get("VIEW"), ProtocolEvent.class);
            assertThat(back.type()).isEqualTo(EventType.VIEW);
            assertThat(back.view()).isEqualTo(new View(1, List.of("b1", "b2", "b3"), BANKS));
        } finally {
            web.stop();
        }
    }

    @Test
    void shiVizPutsAViewChangeInTheTextOfTheTickBeforeItAndOneBeforeAnyTickInTheFirst() {
        EventBus bus = new EventBus("b1", 100);
        bus.publishView(View.initial(BANKS), clock(0, 0)); // installed as the node starts: no tick yet
        bus.emit(EventType.SEND, "all", "op-1", "OP seq=1", clock(1, 0));
        bus.publishView(new View(1, List.of("b1", "b2", "b3"), BANKS), clock(1, 0));
        bus.emit(EventType.RECEIVE, "b2", null, "ACK seq=1", clock(2, 1));

        String log = ShiVizExport.format(List.of(bus.recent()));

        assertThat(log.split("\n")).containsExactly(
                "VIEW epoch 0: members b1,b2,b3,b4; then SEND op-1 to all OP seq=1; "
                        + "VIEW epoch 1: members b1,b2,b3; out b4",
                "b1 {\"b1\":1,\"b2\":0,\"b3\":0,\"b4\":0}",
                "RECEIVE from b2 ACK seq=1",
                "b1 {\"b1\":2,\"b2\":1,\"b3\":0,\"b4\":0}");
        Matcher m = Pattern.compile(ShiVizExport.REGEX.replace("{.*}", "\\{.*\\}")).matcher(log);
        int events = 0;
        while (m.find()) {
            events++;
            assertThat(m.group("host")).isEqualTo("b1");
        }
        assertThat(events).as("a view change ticks no clock: still one ShiViz event per tick").isEqualTo(2);
    }
}
