package org.distribank.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.core.Ballot;
import org.distribank.consortium.core.BallotMessage;
import org.distribank.consortium.core.ViewProposal;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.WebSocketTransport;
import org.distribank.consortium.wire.BallotCodec;
import org.distribank.consortium.wire.FetchAnswer;
import org.distribank.consortium.wire.FetchRequest;
import org.distribank.consortium.wire.RelayFetcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire of view changes between two real peers: b1 sends ballot messages to b2 and fetches relayed messages from
 * it over signed HTTP ({@link HttpTransport}, {@link WebSocketTransport}) through its {@link LinkControls}; b2 is a
 * real Javalin on 127.0.0.1 with the peer routes and a small endpoint of this test's own.
 */
class ViewWireRoutesTest {

    private static final Map<String, KeyPair> KEYS = new LinkedHashMap<>();

    static {
        for (String id : List.of("b1", "b2", "b3")) {
            KEYS.put(id, PeerKeys.generate());
        }
    }

    private final Map<String, String> urls = new HashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final OkHttpClient http = new OkHttpClient();

    private static List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>();
        KEYS.forEach((id, k) -> out.add(new PeerInfo(id, "Bank " + id, "http://127.0.0.1/" + id,
                PeerKeys.encode(k.getPublic()))));
        return out;
    }

    private static SignedRequests signer(String id) {
        return SignedRequests.of(id, PeerKeys.encode(KEYS.get(id).getPrivate()), peers());
    }

    /**
     * b2's endpoint: records ballot messages; answers fetches from the messages it holds of each origin (1..held),
     * at most {@code maxBytes} per answer, as a node would.
     */
    static class Endpoint implements PeerEndpoint {
        final SignedRequests auth;
        final List<String[]> ballots = new CopyOnWriteArrayList<>();
        final List<String> fetches = new CopyOnWriteArrayList<>();
        final Map<String, Long> held = new java.util.concurrent.ConcurrentHashMap<>();
        volatile long maxBytes = 1 << 20;
        volatile boolean stopping;

        Endpoint() {
            this("b2");
        }

        Endpoint(String id) {
            auth = signer(id);
        }

        @Override
        public PeerAuthenticator authenticator() {
            return auth;
        }

        @Override
        public CompletableFuture<LinkAck> onBatch(String sender, String batchJson) {
            return CompletableFuture.failedFuture(new UnavailableException("no links in this test"));
        }

        @Override
        public void onHeartbeat(String sender) {
        }

        @Override
        public void onBallot(String sender, String json) {
            if (stopping) {
                throw new UnavailableException("stopping");
            }
            ballots.add(new String[] {sender, json});
        }

        @Override
        public String fetch(String sender, String json) {
            if (stopping) {
                throw new UnavailableException("stopping");
            }
            fetches.add(json);
            return FetchAnswer.answer(BallotCodec.readFetch(json), maxBytes,
                    (origin, seq) -> seq <= held.getOrDefault(origin, 0L) ? message(origin, seq) : null).toJson();
        }
    }

    /** Message {@code seq} of {@code origin} as its origin sent it (an OP with a payload, so answers have weight). */
    static String message(String origin, long seq) {
        return "{\"seq\":" + seq + ",\"type\":\"OP\",\"clock\":[" + seq + ",0,0],\"id\":\"" + origin + "-" + seq
                + "\",\"payload\":\"key=x;delta=" + seq + "\"}";
    }

    private Endpoint serve(PeerEndpoint endpoint) {
        return serve("b2", endpoint);
    }

    private Endpoint serve(String id, PeerEndpoint endpoint) {
        Javalin server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            ConsortiumRoutes.registerEndpoint(cfg, endpoint);
        }).start("127.0.0.1", 0);
        closing.add(server::stop);
        urls.put(id, "http://127.0.0.1:" + server.port());
        return endpoint instanceof Endpoint e ? e : null;
    }

    private LinkControls b1() {
        LinkControls t = LinkControls.wrap(new HttpTransport(urls::get, signer("b1")));
        closing.add(t);
        return t;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static final Ballot B = new Ballot(1, "b1");
    private static final ViewProposal P = new ViewProposal(new View(1, List.of("b1", "b2"), List.of("b1", "b2", "b3")),
            Map.of("b1", 4L, "b3", 17L));

    @Test
    void ballotMessagesReachThePeerFromTheirSignerOverHttpAndAlongsideAWebSocketLink() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        String accept = BallotCodec.write("b1", new BallotMessage.Accept(1, B, P));
        b1().sendBallot("b2", accept);
        try (WebSocketTransport ws = new WebSocketTransport(urls::get, signer("b1"))) {
            ws.sendBallot("b2", BallotCodec.write("b1", new BallotMessage.Query(0)));
        }
        assertThat(b2.ballots).hasSize(2);
        assertThat(b2.ballots.get(0)[0]).isEqualTo("b1");
        assertThat(BallotCodec.read(b2.ballots.get(0)[1]).message()).isEqualTo(new BallotMessage.Accept(1, B, P));
        assertThat(BallotCodec.read(b2.ballots.get(1)[1]).message()).isEqualTo(new BallotMessage.Query(0));
    }

    @Test
    void anAskerFetchesUpToTheCutInAnswersOfAtMostOneFrameAskingAgainFromWhereEachStopped() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        b2.held.put("b3", 200L);
        b2.held.put("b1", 3L); // less than the cut asks: b2 answers what it holds, the asker asks someone else
        b2.maxBytes = 2048;
        LinkControls t = b1();
        Map<String, Long> cut = Map.of("b1", 4L, "b3", 150L);
        Map<String, Long> after = new HashMap<>(Map.of("b1", 0L, "b3", 10L));
        Map<String, List<String>> got = new TreeMap<>();
        int asked = 0;
        while (asked < 1000) { // bounded; ~20 answers expected
            FetchRequest request = new FetchRequest("b1", cut, after);
            String json = t.fetch("b2", BallotCodec.write(request));
            asked++;
            assertThat((long) json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(b2.maxBytes);
            FetchAnswer answer = FetchAnswer.read(json);
            answer.check(request);
            if (answer.isEmpty()) {
                break; // b2 holds nothing more of what is asked
            }
            answer.messages().forEach((origin, list) -> {
                list.forEach(r -> got.computeIfAbsent(origin, o -> new ArrayList<>()).add(r.json()));
                after.put(origin, answer.upTo(origin, after.get(origin)));
            });
        }
        assertThat(asked).isBetween(3, 999);
        assertThat(after).isEqualTo(Map.of("b1", 3L, "b3", 150L));
        List<String> b3 = new ArrayList<>();
        for (long seq = 11; seq <= 150; seq++) {
            b3.add(message("b3", seq));
        }
        assertThat(got.get("b3")).isEqualTo(b3); // every message as its origin sent it, none twice, none missing
        assertThat(got.get("b1")).containsExactly(message("b1", 1), message("b1", 2), message("b1", 3));
    }

    /** What a {@link RelayFetcher} handed its sink, per origin, in order. */
    private static RelayFetcher.Sink into(Map<String, List<String>> got) {
        return (origin, messages) -> messages.forEach(m -> got.computeIfAbsent(origin, o -> new ArrayList<>()).add(m.json()));
    }

    private static List<String> messages(String origin, long from, long to) {
        List<String> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            out.add(message(origin, seq));
        }
        return out;
    }

    @Test
    void aMemberFetchesTheWholeCutFromWhicheverMembersHoldItAndPastACutLinkOrAWrongAnswer() throws Exception {
        Endpoint b2 = serve("b2", new Endpoint("b2"));
        Endpoint b3 = serve("b3", new Endpoint("b3"));
        b2.held.putAll(Map.of("b3", 60L, "b2", 30L)); // b2 is behind on b3's messages
        b3.held.putAll(Map.of("b3", 150L, "b2", 20L)); // b3 is behind on b2's
        b2.maxBytes = 2048;
        b3.maxBytes = 2048;
        LinkControls t = b1();
        Map<String, Long> cut = Map.of("b2", 30L, "b3", 150L);

        Map<String, List<String>> got = new TreeMap<>();
        RelayFetcher.Result r = new RelayFetcher(t, "b1", 100)
                .fetch(cut, Map.of("b3", 10L), List.of("b1", "b2", "b3"), into(got));
        assertThat(r.complete()).isTrue();
        assertThat(r.held()).isEqualTo(cut);
        assertThat(r.requests()).isBetween(4, 100);
        assertThat(got.get("b2")).isEqualTo(messages("b2", 1, 30)); // each message once, in order
        assertThat(got.get("b3")).isEqualTo(messages("b3", 11, 150));
        assertThat(b3.fetches).allSatisfy(f -> assertThat(BallotCodec.readFetch(f).cut()).containsOnlyKeys("b3"));

        // b1's link to b2 cut: b3 alone has only 20 of b2's: incomplete, and says how far it got
        t.cut("b2");
        got.clear();
        r = new RelayFetcher(t, "b1", 100).fetch(cut, Map.of(), List.of("b2", "b3"), into(got));
        assertThat(r.complete()).isFalse();
        assertThat(r.held()).isEqualTo(Map.of("b2", 20L, "b3", 150L));
        assertThat(got.get("b2")).isEqualTo(messages("b2", 1, 20));
        t.heal("b2");

        // a peer that answers what was not asked is left for the next
        serve("b2", new Endpoint("b2") {
            @Override
            public String fetch(String sender, String json) {
                return "{\"messages\":{\"b3\":[" + message("b3", 99) + "]}}";
            }
        });
        got.clear();
        r = new RelayFetcher(t, "b1", 100).fetch(Map.of("b3", 12L), Map.of("b3", 10L), List.of("b2", "b3"), into(got));
        assertThat(r.complete()).isTrue();
        assertThat(got.get("b3")).isEqualTo(messages("b3", 11, 12));
    }

    @Test
    void aBallotMessageOrFetchThatNamesAnotherSenderThanItsSignerIs401AndReachesNothing() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        LinkControls t = b1();
        assertThatThrownBy(() -> t.sendBallot("b2", BallotCodec.write("b3", new BallotMessage.Join(0))))
                .isInstanceOf(IOException.class).hasMessageContaining("401").hasMessageContaining("UNAUTHORIZED");
        assertThatThrownBy(() -> t.fetch("b2", BallotCodec.write(new FetchRequest("b3", Map.of("b1", 2L), Map.of()))))
                .isInstanceOf(IOException.class).hasMessageContaining("401").hasMessageContaining("UNAUTHORIZED");
        assertThat(b2.ballots).isEmpty();
        assertThat(b2.fetches).isEmpty();
    }

    /** A POST of {@code body} to b2's {@code path} with {@code headers} (the signature, or none). */
    private Response post(String path, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Request.Builder b = new Request.Builder().url(urls.get("b2") + path)
                .post(RequestBody.create(bytes, MediaType.get("application/json")));
        headers.forEach(b::header);
        return http.newCall(b.build()).execute();
    }

    private static Map<String, String> signedByB1(String path, String body) {
        Map<String, String> h = new HashMap<>();
        signer("b1").sign("b2", "POST", path, body.getBytes(StandardCharsets.UTF_8), h::put);
        return h;
    }

    private static JsonObject error(Response r, int status, String code) throws IOException {
        assertThat(r.code()).isEqualTo(status);
        assertThat(r.header("Content-Type")).contains("application/json");
        JsonObject o = JsonParser.parseString(r.body().string()).getAsJsonObject();
        assertThat(o.get("error").getAsString()).isEqualTo(code);
        assertThat(o.get("message").getAsString()).isNotBlank();
        return o;
    }

    @Test
    void malformedIs400UnsignedIs401AndNeitherReachesTheNode() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        String ballot = HttpTransport.BALLOT_PATH;
        String fetch = HttpTransport.FETCH_PATH;
        String elect = "{\"from\":\"b1\",\"type\":\"ELECT\",\"epoch\":1}";
        try (Response r = post(ballot, elect, signedByB1(ballot, elect))) {
            assertThat(error(r, 400, "BAD_REQUEST").get("message").getAsString()).contains("unknown ballot message type");
        }
        String minority = "{\"from\":\"b1\",\"type\":\"DECIDED\",\"epoch\":1,\"proposal\":{\"view\":{\"epoch\":1,"
                + "\"members\":[\"b1\"],\"banks\":[\"b1\",\"b2\",\"b3\"]},\"cut\":{}}}";
        try (Response r = post(ballot, minority, signedByB1(ballot, minority))) {
            assertThat(error(r, 400, "BAD_REQUEST").get("message").getAsString()).contains("not a majority");
        }
        String pastCut = "{\"from\":\"b1\",\"cut\":{\"b3\":5},\"after\":{\"b3\":6}}";
        try (Response r = post(fetch, pastCut, signedByB1(fetch, pastCut))) {
            assertThat(error(r, 400, "BAD_REQUEST").get("message").getAsString()).contains("past its cut");
        }
        String join = BallotCodec.write("b1", new BallotMessage.Join(0));
        try (Response r = post(ballot, join, Map.of())) {
            error(r, 401, "UNAUTHORIZED");
        }
        Map<String, String> signedByB3AsB1 = new HashMap<>();
        signer("b3").sign("b2", "POST", ballot, join.getBytes(StandardCharsets.UTF_8), signedByB3AsB1::put);
        signedByB3AsB1.put(SignedRequests.PEER, "b1");
        try (Response r = post(ballot, join, signedByB3AsB1)) {
            error(r, 401, "UNAUTHORIZED");
        }
        assertThat(b2.ballots).isEmpty();
        assertThat(b2.fetches).isEmpty();
    }

    @Test
    void aCopyOfABallotMessageIsRefusedWhileAFetchMayBeRepeated() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        b2.held.put("b3", 5L);
        String join = BallotCodec.write("b1", new BallotMessage.Join(0));
        Map<String, String> once = signedByB1(HttpTransport.BALLOT_PATH, join);
        try (Response r = post(HttpTransport.BALLOT_PATH, join, once)) {
            assertThat(r.code()).isEqualTo(200);
        }
        try (Response r = post(HttpTransport.BALLOT_PATH, join, once)) {
            assertThat(error(r, 401, "UNAUTHORIZED").get("message").getAsString()).contains("replayed");
        }
        assertThat(b2.ballots).hasSize(1);
        String ask = BallotCodec.write(new FetchRequest("b1", Map.of("b3", 5L), Map.of()));
        Map<String, String> read = signedByB1(HttpTransport.FETCH_PATH, ask);
        for (int i = 0; i < 2; i++) {
            try (Response r = post(HttpTransport.FETCH_PATH, ask, read)) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(FetchAnswer.read(r.body().string()).upTo("b3", 0)).isEqualTo(5);
            }
        }
    }

    @Test
    void aNodeWithoutViewChangesAnswers503NotReadyAndAStoppingOne503Unavailable() throws Exception {
        serve(new PeerEndpoint() { // an endpoint that keeps the interface's defaults (views not served)
            private final SignedRequests auth = signer("b2");

            @Override
            public PeerAuthenticator authenticator() {
                return auth;
            }

            @Override
            public CompletableFuture<LinkAck> onBatch(String sender, String batchJson) {
                return CompletableFuture.failedFuture(new UnavailableException("no links in this test"));
            }

            @Override
            public void onHeartbeat(String sender) {
            }
        });
        String join = BallotCodec.write("b1", new BallotMessage.Join(0));
        try (Response r = post(HttpTransport.BALLOT_PATH, join, signedByB1(HttpTransport.BALLOT_PATH, join))) {
            assertThat(error(r, 503, "NOT_READY").get("message").getAsString())
                    .isEqualTo("this node takes no part in view changes");
        }
        String ask = BallotCodec.write(new FetchRequest("b1", Map.of("b3", 5L), Map.of()));
        try (Response r = post(HttpTransport.FETCH_PATH, ask, signedByB1(HttpTransport.FETCH_PATH, ask))) {
            error(r, 503, "NOT_READY");
        }
        assertThatThrownBy(() -> b1().sendBallot("b2", join)).isInstanceOf(IOException.class).hasMessageContaining("503");

        Endpoint stopping = serve(new Endpoint());
        stopping.stopping = true;
        try (Response r = post(HttpTransport.BALLOT_PATH, join, signedByB1(HttpTransport.BALLOT_PATH, join))) {
            error(r, 503, "UNAVAILABLE");
        }
        try (Response r = post(HttpTransport.FETCH_PATH, ask, signedByB1(HttpTransport.FETCH_PATH, ask))) {
            error(r, 503, "UNAVAILABLE");
        }
    }

    @Test
    void aCutLinkCutsBallotMessagesAndFetchesUntilHealed() throws Exception {
        Endpoint b2 = serve(new Endpoint());
        b2.held.put("b3", 2L);
        LinkControls t = b1();
        String prepare = BallotCodec.write("b1", new BallotMessage.Prepare(1, B));
        String ask = BallotCodec.write(new FetchRequest("b1", Map.of("b3", 2L), Map.of()));
        t.cut("b2");
        assertThatThrownBy(() -> t.sendBallot("b2", prepare)).isInstanceOf(IOException.class)
                .hasMessageContaining("partitioned from b2");
        assertThatThrownBy(() -> t.fetch("b2", ask)).isInstanceOf(IOException.class)
                .hasMessageContaining("partitioned from b2");
        assertThat(b2.ballots).isEmpty();
        assertThat(b2.fetches).isEmpty();
        t.heal("b2");
        t.sendBallot("b2", prepare);
        assertThat(FetchAnswer.read(t.fetch("b2", ask)).upTo("b3", 0)).isEqualTo(2);
        assertThat(b2.ballots).hasSize(1);
    }

    @Test
    void aTransportWithoutTheBallotWireSaysSoRatherThanDroppingMessages() {
        Transport bare = new Transport() {
            @Override
            public long sendBatch(String to, String batchJson) {
                return 0;
            }

            @Override
            public void heartbeat(String to, String from) {
            }

            @Override
            public void close() {
            }
        };
        LinkControls t = LinkControls.wrap(bare);
        closing.add(t);
        assertThatThrownBy(() -> t.sendBallot("b2", "{}")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.fetch("b2", "{}")).isInstanceOf(UnsupportedOperationException.class);
    }
}
