package org.distribank.consortium.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.distribank.consortium.core.Ballot;
import org.distribank.consortium.core.BallotMessage;
import org.distribank.consortium.core.BallotReady;
import org.distribank.consortium.core.ViewBallot;
import org.distribank.consortium.core.ViewProposal;
import org.distribank.consortium.entity.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The view ballot's JSON: every message round-trips; what no honest peer sends is refused with a clear reason. */
class BallotCodecTest {

    private static final Ballot B = new Ballot(2, "b1");
    /** Epoch 4 of four banks without b4, b4's messages cut at 40 (b10 sorts after b2: canonical order). */
    private static final ViewProposal P = new ViewProposal(
            new View(4, List.of("b2", "b1", "b10"), List.of("b1", "b2", "b4", "b10")),
            Map.of("b1", 12L, "b4", 40L, "b10", 0L));

    static Stream<BallotMessage> everyVariant() {
        return Stream.of(
                new BallotMessage.Prepare(4, B),
                new BallotMessage.Promise(4, B, null, Map.of("b1", 12L, "b4", 39L)),
                new BallotMessage.Promise(4, new Ballot(3, "b2"), new BallotMessage.AcceptedProposal(B, P),
                        Map.of("b10", 7L, "b2", 0L)),
                new BallotMessage.Promise(4, B, null, Map.of()),
                new BallotMessage.Reject(4, new Ballot(9, "b10")),
                new BallotMessage.Accept(4, B, P),
                new BallotMessage.Accepted(4, B, P),
                new BallotMessage.Decided(P),
                new BallotMessage.Decided(ViewProposal.initial(View.initial(List.of("b1", "b2", "b3")))),
                new BallotMessage.Join(3),
                new BallotMessage.Query(0));
    }

    @ParameterizedTest
    @MethodSource("everyVariant")
    void everyMessageComesBackAsItWasSent(BallotMessage m) {
        String json = BallotCodec.write("b2", m);
        BallotCodec.Received back = BallotCodec.read(json);
        assertThat(back.from()).isEqualTo("b2");
        assertThat(back.message()).isEqualTo(m);
        assertThat(BallotCodec.write("b2", back.message())).isEqualTo(json); // and writes the same bytes again
    }

    @Test
    void theJsonIsWhatProtocolMdShows() {
        assertThat(BallotCodec.write("b1", new BallotMessage.Prepare(4, B)))
                .isEqualTo("{\"from\":\"b1\",\"type\":\"PREPARE\",\"epoch\":4,\"ballot\":{\"round\":2,\"proposer\":\"b1\"}}");
        assertThat(BallotCodec.write("b1", new BallotMessage.Accept(4, B, P))).isEqualTo(
                "{\"from\":\"b1\",\"type\":\"ACCEPT\",\"epoch\":4,\"ballot\":{\"round\":2,\"proposer\":\"b1\"},"
                        + "\"proposal\":{\"view\":{\"epoch\":4,\"members\":[\"b1\",\"b2\",\"b10\"],"
                        + "\"banks\":[\"b1\",\"b2\",\"b4\",\"b10\"]},\"cut\":{\"b1\":12,\"b4\":40,\"b10\":0}}}");
        assertThat(BallotCodec.write("b4", new BallotMessage.Join(3)))
                .isEqualTo("{\"from\":\"b4\",\"type\":\"JOIN\",\"epoch\":3}");
        // a promise without an accepted proposal may say so with null, or leave it out
        assertThat(BallotCodec.read("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":4,\"accepted\":null,"
                + "\"ballot\":{\"round\":2,\"proposer\":\"b1\"},\"held\":{\"b1\":3},\"later\":[1,{\"x\":2}]}").message())
                .isEqualTo(new BallotMessage.Promise(4, B, null, Map.of("b1", 3L)));
    }

    @Test
    void aProposalAloneRoundTrips() {
        assertThat(BallotCodec.readProposal(BallotCodec.write(P))).isEqualTo(P);
    }

    /**
     * Every message real ballots send, carried only as JSON: four banks, b4 down; b1 suspects it, the rest decide
     * epoch 1 without it; then b4 asks to join and all four decide epoch 2 with it.
     */
    @Test
    void realBallotsDecideWithEveryMessageCarriedAsJson() {
        List<String> ids = List.of("b1", "b2", "b3", "b4");
        View initial = View.initial(ids);
        Map<String, ViewBallot> nodes = new LinkedHashMap<>();
        for (String id : ids) {
            Map<String, Long> held = Map.of(id, 10L * Integer.parseInt(id.substring(1)));
            nodes.put(id, new ViewBallot(id, initial, ViewBallot.Options.builder().build(), () -> held));
        }
        Set<String> down = new HashSet<>(Set.of("b4"));
        ArrayDeque<String[]> wire = new ArrayDeque<>(); // {to, json}
        Set<String> types = new TreeSet<>();
        Consumer<String> drain = id -> {
            for (int i = 0; i < 10; i++) { // a fetch completes at once here; its Ready is drained too
                BallotReady r = nodes.get(id).ready();
                for (BallotReady.Envelope e : r.messages()) {
                    String json = BallotCodec.write(id, e.message());
                    assertThat(BallotCodec.read(json)).isEqualTo(new BallotCodec.Received(id, e.message()));
                    types.add(JsonParser.parseString(json).getAsJsonObject().get("type").getAsString());
                    wire.add(new String[] {e.to(), json});
                }
                if (r.fetch() == null) {
                    return;
                }
                nodes.get(id).fetched(r.fetch().epoch(), r.fetch().ballot());
            }
        };
        Predicate<Long> everyLiveNodeAt = epoch -> nodes.entrySet().stream()
                .filter(e -> !down.contains(e.getKey())).allMatch(e -> e.getValue().view().epoch() == epoch);
        Predicate<Long> run = epoch -> {
            for (int step = 0; step < 10_000; step++) {
                if (everyLiveNodeAt.test(epoch)) {
                    return true;
                }
                String[] next = wire.poll();
                if (next == null) {
                    nodes.keySet().stream().filter(id -> !down.contains(id)).forEach(id -> {
                        nodes.get(id).tick();
                        drain.accept(id);
                    });
                } else if (!down.contains(next[0])) {
                    BallotCodec.Received r = BallotCodec.read(next[1]);
                    nodes.get(next[0]).receive(r.from(), r.message());
                    drain.accept(next[0]);
                }
            }
            return false;
        };

        nodes.get("b1").suspect();
        drain.accept("b1");
        assertThat(run.test(1L)).isTrue();
        assertThat(nodes.get("b2").view()).isEqualTo(new View(1, List.of("b1", "b2", "b3"), ids));

        down.clear(); // b4 is back: it hears of epoch 1, asks for it, finds itself out, and asks to join
        wire.clear();
        nodes.get("b4").heard("b1", 1);
        drain.accept("b4");
        assertThat(run.test(1L)).isTrue();
        nodes.get("b4").join();
        drain.accept("b4");
        assertThat(run.test(2L)).isTrue();
        assertThat(nodes.get("b4").view()).isEqualTo(new View(2, ids, ids));
        assertThat(types).contains(BallotCodec.PREPARE, BallotCodec.PROMISE, BallotCodec.ACCEPT, BallotCodec.ACCEPTED,
                BallotCodec.DECIDED, BallotCodec.JOIN, BallotCodec.QUERY);
    }

    static Stream<Arguments> refused() {
        String ballot = "\"ballot\":{\"round\":2,\"proposer\":\"b1\"}";
        String view = "\"view\":{\"epoch\":4,\"members\":[\"b1\",\"b2\",\"b3\"],\"banks\":[\"b1\",\"b2\",\"b3\",\"b4\"]}";
        String proposal = "\"proposal\":{" + view + ",\"cut\":{\"b1\":12}}";
        return Stream.of(
                Arguments.of("", "malformed ballot message"),
                Arguments.of("not json", "malformed ballot message"),
                Arguments.of("[1,2]", "malformed ballot message"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\",\"epoch\":3} {}", "malformed ballot message"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"ELECT\",\"epoch\":3}", "unknown ballot message type ELECT"),
                Arguments.of("{\"type\":\"JOIN\",\"epoch\":3}", "needs \"from\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"\",\"epoch\":3}", "unknown ballot message type"),
                Arguments.of("{\"from\":\"b1\",\"epoch\":3}", "needs \"type\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\"}", "needs \"epoch\""),
                Arguments.of("{\"from\":\" \",\"type\":\"JOIN\",\"epoch\":3}", "is a bank id"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\",\"epoch\":-1}", "an epoch is 0..9007199254740991, not -1"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\",\"epoch\":9007199254740992}", "an epoch is 0.."),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\",\"epoch\":1.5}", "an epoch is an integer"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"JOIN\",\"epoch\":\"3\"}", "an epoch is a number"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"PREPARE\",\"epoch\":4}", "a PREPARE needs \"ballot\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"PREPARE\",\"epoch\":4,\"ballot\":{\"round\":-2,\"proposer\":\"b1\"}}",
                        "a ballot's round is 0.."),
                Arguments.of("{\"from\":\"b1\",\"type\":\"PREPARE\",\"epoch\":4,\"ballot\":{\"round\":2}}",
                        "a ballot needs \"proposer\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"PREPARE\",\"epoch\":4,\"ballot\":{\"round\":2,\"proposer\":\"\"}}",
                        "a ballot's proposer is a bank id"),
                Arguments.of("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":4," + ballot + "}", "a PROMISE needs \"held\""),
                Arguments.of("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":4," + ballot + ",\"held\":{\"b1\":-3}}",
                        "held of b1 is 0.."),
                Arguments.of("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":4," + ballot + ",\"held\":{\"b1\":3,\"b1\":4}}",
                        "b1 twice in held"),
                Arguments.of("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":5," + ballot + ",\"held\":{},\"accepted\":{"
                        + ballot + "," + proposal + "}}", "of epoch 5 carries in its accepted proposal a view of epoch 4"),
                Arguments.of("{\"from\":\"b2\",\"type\":\"PROMISE\",\"epoch\":4," + ballot + ",\"held\":{},\"accepted\":{"
                        + ballot + "}}", "an accepted proposal needs \"proposal\""),
                Arguments.of("{\"from\":\"b2\",\"type\":\"REJECT\",\"epoch\":4}", "a REJECT needs \"promised\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"ACCEPT\",\"epoch\":4," + ballot + "}", "an ACCEPT needs \"proposal\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"ACCEPT\",\"epoch\":4," + proposal + "}", "needs \"ballot\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"ACCEPTED\",\"epoch\":5," + ballot + "," + proposal + "}",
                        "of epoch 5 carries in its proposal a view of epoch 4"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4}", "needs \"proposal\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{" + view + "}}",
                        "a proposal needs \"cut\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"cut\":{}}}",
                        "a proposal needs \"view\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":[\"b1\",\"b2\"],\"banks\":[\"b1\",\"b2\",\"b3\",\"b4\"]},\"cut\":{}}}",
                        "members [b1, b2] are not a majority of the banks [b1, b2, b3, b4]"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":[\"b1\",\"b5\"],\"banks\":[\"b1\",\"b2\",\"b3\"]},\"cut\":{}}}",
                        "members [b1, b5] are not all among the banks"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":[\"b1\",\"b1\"],\"banks\":[\"b1\"]},\"cut\":{}}}", "duplicate b1"),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":[\"b1\"],\"banks\":[\"b1\"]},\"cut\":{\"b1\":-1}}}", "cut of b1 is 0.."),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":[\"b1\"]},\"cut\":{}}}", "a view needs \"banks\""),
                Arguments.of("{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":4,\"proposal\":{\"view\":{\"epoch\":4,"
                        + "\"members\":\"b1\",\"banks\":[\"b1\"]},\"cut\":{}}}", "malformed ballot message"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void whatNoHonestPeerSendsIsRefusedSayingWhy(String json, String why) {
        assertThatThrownBy(() -> BallotCodec.read(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void aFetchRequestRoundTripsAndSaysWhatItWants() {
        FetchRequest r = new FetchRequest("b1", Map.of("b1", 12L, "b4", 40L), Map.of("b1", 10L, "b4", 31L));
        String json = BallotCodec.write(r);
        assertThat(json).isEqualTo("{\"from\":\"b1\",\"cut\":{\"b1\":12,\"b4\":40},\"after\":{\"b1\":10,\"b4\":31}}");
        assertThat(BallotCodec.readFetch(json)).isEqualTo(r);
        assertThat(r.wants("b4", 31)).isFalse();
        assertThat(r.wants("b4", 32)).isTrue();
        assertThat(r.wants("b4", 40)).isTrue();
        assertThat(r.wants("b4", 41)).isFalse();
        assertThat(r.wants("b2", 1)).isFalse();
        // "after" may be left out: from the first message on
        FetchRequest all = BallotCodec.readFetch("{\"from\":\"b1\",\"cut\":{\"b3\":2}}");
        assertThat(all.after("b3")).isZero();
        assertThat(all.wants("b3", 1)).isTrue();
    }

    @Test
    void aFetchRequestThatCannotBeAnsweredIsRefused() {
        assertThatThrownBy(() -> BallotCodec.readFetch("{\"from\":\"b1\",\"cut\":{\"b1\":12},\"after\":{\"b1\":13}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past its cut 12");
        assertThatThrownBy(() -> BallotCodec.readFetch("{\"from\":\"b1\",\"cut\":{\"b1\":12},\"after\":{\"b2\":1}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in its cut");
        assertThatThrownBy(() -> BallotCodec.readFetch("{\"from\":\"b1\",\"after\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a fetch request needs \"cut\"");
        assertThatThrownBy(() -> BallotCodec.readFetch("{\"cut\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs \"from\"");
        assertThatThrownBy(() -> BallotCodec.readFetch("{\"from\":\"b1\",\"cut\":{\"b1\":-1}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut of b1 is 0..");
    }

    private static String message(long seq) {
        return "{\"seq\":" + seq + ",\"type\":\"ACK\",\"clock\":[" + seq + ",0,0]}";
    }

    @Test
    void aFetchAnswerRelaysMessagesAsTheirOriginSentThem() {
        FetchRequest r = new FetchRequest("b1", Map.of("b2", 5L, "b3", 2L), Map.of("b2", 2L));
        FetchAnswer.Builder b = FetchAnswer.builder(r, 1 << 20);
        assertThat(b.add("b2", 3, message(3))).isTrue();
        assertThat(b.add("b2", 4, message(4))).isTrue();
        assertThat(b.add("b3", 1, message(1))).isTrue();
        String json = b.build().toJson();
        assertThat(json).isEqualTo("{\"messages\":{\"b2\":[" + message(3) + "," + message(4) + "],\"b3\":["
                + message(1) + "]}}");
        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) b.bytes());
        FetchAnswer back = FetchAnswer.read(json);
        back.check(r);
        assertThat(back.messages().get("b2")).containsExactly(new FetchAnswer.Relayed(3, message(3)),
                new FetchAnswer.Relayed(4, message(4)));
        assertThat(back.upTo("b2", 2)).isEqualTo(4); // ask again after 4
        assertThat(back.upTo("b3", 0)).isEqualTo(1);
        assertThat(new WireCodec(List.of("b1", "b2", "b3")).readMessage(back.messages().get("b3").get(0).json()).seq())
                .isEqualTo(1);
    }

    @Test
    void aFetchAnswerStopsAtItsSizeBoundButNeverAnswersNothingForWantOfRoom() {
        FetchRequest r = new FetchRequest("b1", Map.of("b2", 1000L), Map.of());
        String big = message(1).replace("\"ACK\"", "\"ACK\",\"pad\":\"" + "x".repeat(500) + "\"");
        FetchAnswer.Builder alone = FetchAnswer.builder(r, 100);
        assertThat(alone.add("b2", 1, big)).isTrue(); // larger than the bound, alone: it goes
        assertThat(alone.add("b2", 2, message(2))).isFalse();
        assertThat(alone.isFull()).isTrue();

        long max = 4096;
        FetchAnswer.Builder b = FetchAnswer.builder(r, max);
        long seq = 1;
        while (b.add("b2", seq, message(seq))) {
            seq++;
        }
        assertThat(seq).isBetween(2L, 999L); // stopped by the bound, not by running out
        assertThat(b.add("b2", seq, message(seq))).as("full: nothing more goes in").isFalse();
        String json = b.build().toJson();
        assertThat((long) json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
        assertThat(FetchAnswer.read(json).upTo("b2", 0)).isEqualTo(seq - 1);
    }

    @Test
    void aNodeAnswersWhatItHoldsOfEachOriginUpToItsFirstGap() {
        FetchRequest r = new FetchRequest("b1", Map.of("b2", 9L, "b3", 4L), Map.of("b2", 2L));
        // holds b2's 1..5 and 7 (6 not yet), b3's none
        FetchAnswer a = FetchAnswer.answer(r, 1 << 20, (origin, seq) ->
                origin.equals("b2") && seq != 6 && seq <= 7 ? message(seq) : null);
        a.check(r);
        assertThat(a.messages()).containsOnlyKeys("b2");
        assertThat(a.messages().get("b2")).extracting(FetchAnswer.Relayed::seq).containsExactly(3L, 4L, 5L);
        assertThat(FetchAnswer.answer(r, 1 << 20, (origin, seq) -> null).toJson()).isEqualTo("{\"messages\":{}}");
    }

    @Test
    void aFetchAnswerThatDoesNotAnswerTheRequestIsRefused() {
        FetchRequest r = new FetchRequest("b1", Map.of("b2", 5L), Map.of("b2", 2L));
        assertThatThrownBy(() -> FetchAnswer.builder(r, 4096).add("b2", 2, message(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not asked for");
        assertThatThrownBy(() -> FetchAnswer.builder(r, 4096).add("b2", 4, message(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("where 3 is due");
        // read, then checked against what was asked
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[" + message(3) + "," + message(5) + "]}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 follows 3");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[" + message(4) + "]}}").check(r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relays 4..4 of b2 for (2, 5]");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[" + message(3) + "," + message(4) + ","
                + message(5) + "," + message(6) + "]}}").check(r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relays 3..6 of b2 for (2, 5]");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b3\":[" + message(1) + "]}}").check(r))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not asked for");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[{\"type\":\"ACK\"}]}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a numeric \"seq\"");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[{\"seq\":0}]}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq is 1..");
        assertThatThrownBy(() -> FetchAnswer.read("{\"messages\":{\"b2\":[3]}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a JSON object");
        assertThatThrownBy(() -> FetchAnswer.read("{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs \"messages\"");
        assertThat(FetchAnswer.read("{\"messages\":{}}").isEmpty()).isTrue();
    }
}
