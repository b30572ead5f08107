package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distribank.bank.Customers.Customer;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's link controls ({@code /api/v1/admin/links}) on three real banks: a link cut both ways is a
 * partition (the peer goes offline, transfers involving it are refused by name, nothing is lost once restored),
 * a slowed link still commits, and every refused request changes nothing.
 */
class LinkControlTest {

    /** BankCluster's detector limit. */
    private static final long OFFLINE_MS = 2_000;

    @TempDir
    static Path dir;
    static BankCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BankCluster.start(dir, 3, true);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void everyoneOnline() {
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.ids().stream()
                .allMatch(at -> cluster.ids().stream().filter(p -> !p.equals(at)).allMatch(p -> online(at, p))));
    }

    @AfterEach
    void restoreEveryLink() {
        for (String at : cluster.ids()) {
            for (String p : cluster.ids()) {
                if (!p.equals(at)) {
                    assertThat(put(at, p, BankCluster.OPERATOR, "{\"state\":\"UP\"}").status()).isEqualTo(200);
                }
            }
        }
    }

    private static Http.Response put(String at, String peer, String bearer, String body) {
        return Http.call("PUT", cluster.url(at) + "/api/v1/admin/links/" + peer, bearer, body);
    }

    /** peer → that link's JSON, as {@code at} reports it. */
    private static Map<String, JsonObject> links(String at) {
        Http.Response r = Http.get(cluster.url(at) + "/api/v1/admin/links", BankCluster.OPERATOR);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, JsonObject> m = new LinkedHashMap<>();
        for (JsonElement e : r.json().getAsJsonArray("links")) {
            m.put(e.getAsJsonObject().get("peer").getAsString(), e.getAsJsonObject());
        }
        return m;
    }

    private static JsonObject link(String peer, String state, long delayMs) {
        JsonObject o = new JsonObject();
        o.addProperty("peer", peer);
        o.addProperty("state", state);
        o.addProperty("delayMs", delayMs);
        return o;
    }

    private static JsonObject view(String at) {
        Http.Response r = Http.get(cluster.url(at) + "/api/v1/consortium", BankCluster.OPERATOR);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static boolean online(String at, String peer) {
        for (JsonElement e : view(at).getAsJsonArray("peers")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(peer)) {
                return e.getAsJsonObject().get("online").getAsBoolean();
            }
        }
        throw new AssertionError(peer + " is not in " + at + "'s view");
    }

    private static Http.Response transfer(Customer from, Customer to, long amount) {
        return Http.post(from.url() + "/api/v1/transfers", from.token(),
                "{\"legs\":[" + leg(from.bank(), from.account(), to.bank(), to.account(), amount) + "]}");
    }

    private static long delivered(String at) {
        return view(at).get("delivered").getAsLong();
    }

    private static void awaitSameSequenceEverywhere() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject v1 = view("b1");
            for (String b : List.of("b2", "b3")) {
                JsonObject v = view(b);
                assertThat(v.get("delivered").getAsLong()).as(b).isEqualTo(v1.get("delivered").getAsLong());
                assertThat(v.get("logHash").getAsString()).as(b).isEqualTo(v1.get("logHash").getAsString());
            }
        });
    }

    private static List<ProtocolEvent> linkEvents(String at) {
        return cluster.bank(at).node().events().recent().stream().filter(e -> e.type() == EventType.LINK).toList();
    }

    @Test
    void aLinkCutBothWaysIsAPartitionAndRestoringItLosesNothing() {
        long before = MultiBankTransferTestSupport.audit(cluster, "b3").get("total").getAsLong();
        Customer ana = personal("b1", cluster.url("b1"), "Ana Cut");
        Customer beto = personal("b2", cluster.url("b2"), "Beto Cut");
        Customer caio = personal("b3", cluster.url("b3"), "Caio Cut");
        deposit(ana, 10_000);
        deposit(beto, 5_000);
        assertThat(links("b1")).containsExactly(Map.entry("b2", link("b2", "UP", 0)), Map.entry("b3", link("b3", "UP", 0)));

        Http.Response cut12 = put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"CUT\"}");
        assertThat(cut12.status()).as(cut12.toString()).isEqualTo(200);
        assertThat(cut12.json()).isEqualTo(link("b2", "CUT", 0));
        assertThat(put("b2", "b1", BankCluster.OPERATOR, "{\"state\":\"CUT\"}").json()).isEqualTo(link("b1", "CUT", 0));
        assertThat(links("b1").get("b2")).isEqualTo(link("b2", "CUT", 0));
        assertThat(links("b1").get("b3")).isEqualTo(link("b3", "UP", 0));
        assertThat(links("b2").get("b1")).isEqualTo(link("b1", "CUT", 0));

        // within the detector's limit (plus a heartbeat and a check period), each side sees the other offline
        await().atMost(Duration.ofMillis(OFFLINE_MS + 3_000)).until(() -> !online("b1", "b2") && !online("b2", "b1"));
        assertThat(online("b3", "b1")).isTrue();
        assertThat(online("b3", "b2")).isTrue();
        Http.Response refused = transfer(ana, beto, 1_000);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("BANK_OFFLINE");
        assertThat(refused.json().get("message").getAsString()).contains("b2");
        // b3 still hears both: a deposit there is ordered while b1 and b2 cannot hear each other
        Http.Response during = Http.post(caio.url() + "/api/v1/deposits", caio.token(),
                "{\"account\":\"" + caio.account() + "\",\"amount\":700}");
        assertThat(during.status()).as(during.toString()).isEqualTo(200);
        assertThat(during.json().get("status").getAsString()).isEqualTo("COMMITTED");
        String duringId = during.json().get("id").getAsString();
        // ... but b1 cannot deliver it yet: b2's ACK of it is held back by b2's cut
        assertThat(delivered("b1")).isLessThan(delivered("b3"));

        assertThat(put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"UP\"}").json()).isEqualTo(link("b2", "UP", 0));
        assertThat(put("b2", "b1", BankCluster.OPERATOR, "{\"state\":\"UP\"}").json()).isEqualTo(link("b1", "UP", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> online("b1", "b2") && online("b2", "b1"));
        Http.Response ok = transfer(ana, beto, 1_000);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(balance(ana)).isEqualTo(9_000);
        assertThat(balance(beto)).isEqualTo(6_000);
        assertThat(Http.get(caio.url() + "/api/v1/transactions/" + duringId, caio.token()).json().get("status")
                .getAsString()).isEqualTo("COMMITTED");

        // nothing lost: the money is what was deposited, and every bank delivered the same sequence
        long after = MultiBankTransferTestSupport.audit(cluster, "b1").get("total").getAsLong();
        assertThat(after - before).isEqualTo(10_000 + 5_000 + 700);
        awaitSameSequenceEverywhere();
        assertThat(linkEvents("b1")).filteredOn(e -> "b2".equals(e.peer())).extracting(ProtocolEvent::detail)
                .containsSubsequence("CUT", "UP");
    }

    /**
     * A cut shapes only what this bank sends. Cut one way, b2 hears nothing from b1, but b2's own heartbeats
     * still reach b1 and are answered, so neither detector calls the other offline (a heartbeat detector cannot
     * see an asymmetric partition): what b1 sends is held back instead, and delivered once restored.
     */
    @Test
    void aLinkCutOneWayHoldsBackWhatThisBankSendsWithoutAnyoneGoingOffline() {
        Customer caio = personal("b3", cluster.url("b3"), "Caio One Way");
        assertThat(put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"CUT\"}").json()).isEqualTo(link("b2", "CUT", 0));
        Http.Response d = Http.post(caio.url() + "/api/v1/deposits", caio.token(),
                "{\"account\":\"" + caio.account() + "\",\"amount\":300}");
        assertThat(d.json().get("status").getAsString()).as(d.toString()).isEqualTo("COMMITTED");
        // b1 has b2's ACK, so it delivers; b2 lacks b1's ACK, so it cannot
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered("b1") == delivered("b3"));
        assertThat(delivered("b2")).isLessThan(delivered("b3"));
        await().during(Duration.ofMillis(OFFLINE_MS + 1_000)).atMost(Duration.ofMillis(OFFLINE_MS + 5_000))
                .until(() -> online("b1", "b2") && online("b2", "b1"));
        assertThat(delivered("b2")).isLessThan(delivered("b3"));

        assertThat(put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"UP\"}").json()).isEqualTo(link("b2", "UP", 0));
        awaitSameSequenceEverywhere();
    }

    @Test
    void aSlowLinkStillCommitsAndReadsSlowUntilRestored() {
        Customer ana = personal("b1", cluster.url("b1"), "Ana Slow");
        Customer beto = personal("b2", cluster.url("b2"), "Beto Slow");
        deposit(ana, 3_000);
        Http.Response slow = put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"SLOW\",\"delayMs\":300}");
        assertThat(slow.status()).as(slow.toString()).isEqualTo(200);
        assertThat(slow.json()).isEqualTo(link("b2", "SLOW", 300));
        assertThat(links("b1").get("b2")).isEqualTo(link("b2", "SLOW", 300));
        assertThat(links("b2").get("b1")).isEqualTo(link("b1", "UP", 0)); // one direction only

        long t0 = System.nanoTime();
        Http.Response r = transfer(ana, beto, 1_000);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(tookMs).as("b2 cannot acknowledge the operation before it arrives").isGreaterThanOrEqualTo(300);
        assertThat(balance(beto)).isEqualTo(1_000);
        assertThat(online("b1", "b2")).isTrue();
        assertThat(links("b1").get("b2")).isEqualTo(link("b2", "SLOW", 300));

        assertThat(put("b1", "b2", BankCluster.OPERATOR, "{\"state\":\"UP\"}").json()).isEqualTo(link("b2", "UP", 0));
        assertThat(links("b1").get("b2")).isEqualTo(link("b2", "UP", 0));
        Http.Response again = transfer(ana, beto, 500);
        assertThat(again.json().get("status").getAsString()).as(again.toString()).isEqualTo("COMMITTED");
        assertThat(linkEvents("b1")).filteredOn(e -> "b2".equals(e.peer())).extracting(ProtocolEvent::detail)
                .containsSubsequence("SLOW 300 ms", "UP");
    }

    @Test
    void theBoundariesAndAGetEntrySentBackAreAccepted() {
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"state\":\"SLOW\",\"delayMs\":1}").json())
                .isEqualTo(link("b3", "SLOW", 1));
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"state\":\"SLOW\",\"delayMs\":10000}").json())
                .isEqualTo(link("b3", "SLOW", 10_000));
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"peer\":\"b3\",\"state\":\"UP\",\"delayMs\":0}").json())
                .isEqualTo(link("b3", "UP", 0));
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"state\":\"CUT\",\"delayMs\":null}").json())
                .isEqualTo(link("b3", "CUT", 0));
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"state\":\"UP\"}").json()).isEqualTo(link("b3", "UP", 0));
    }

    @Test
    void everyRefusedRequestChangesNothing() {
        assertThat(put("b1", "b3", BankCluster.OPERATOR, "{\"state\":\"SLOW\",\"delayMs\":250}").status()).isEqualTo(200);
        Map<String, JsonObject> expected = links("b1");
        assertThat(expected.get("b3")).isEqualTo(link("b3", "SLOW", 250));
        int events = linkEvents("b1").size();
        String cut = "{\"state\":\"CUT\"}";

        for (String bearer : new String[] {null, "wrong-token", "token-of-b1"}) {
            for (String peer : List.of("b2", "b3")) {
                Http.Response r = put("b1", peer, bearer, cut);
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
                assertThat(r.error()).isEqualTo("UNAUTHORIZED");
            }
            assertThat(Http.get(cluster.url("b1") + "/api/v1/admin/links", bearer).status()).isEqualTo(401);
        }
        for (String peer : List.of("b9", "b1", "B2")) { // unknown, this bank itself, not quite a bank's id
            Http.Response r = put("b1", peer, BankCluster.OPERATOR, cut);
            assertThat(r.status()).as(peer + " " + r).isEqualTo(404);
            assertThat(r.error()).isEqualTo("PEER_NOT_FOUND");
            assertThat(r.json().get("message").getAsString()).isNotBlank();
        }
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("", "MALFORMED_JSON");
        bad.put("not json", "MALFORMED_JSON");
        bad.put("{\"state\":\"CUT\"", "MALFORMED_JSON");
        bad.put("{\"state\":\"CUT\"} {}", "MALFORMED_JSON");
        bad.put("[\"CUT\"]", "MALFORMED_JSON");
        bad.put("{}", "MISSING_FIELD");
        bad.put("{\"delayMs\":300}", "MISSING_FIELD");
        bad.put("{\"state\":null}", "MISSING_FIELD");
        bad.put("{\"state\":5}", "INVALID_FIELD");
        bad.put("{\"state\":[\"CUT\"]}", "INVALID_FIELD");
        bad.put("{\"state\":\"DOWN\"}", "INVALID_ENUM");
        bad.put("{\"state\":\"cut\"}", "INVALID_ENUM");
        bad.put("{\"state\":\"SLOW\"}", "MISSING_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":null}", "MISSING_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":0}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":10001}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":-5}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":1.5}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":300.0}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":3e2}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":\"300\"}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":99999999999999999999999}", "INVALID_FIELD");
        bad.put("{\"state\":\"SLOW\",\"delayMs\":{}}", "INVALID_FIELD");
        bad.put("{\"state\":\"CUT\",\"delayMs\":300}", "INVALID_FIELD");
        bad.put("{\"state\":\"UP\",\"delayMs\":5}", "INVALID_FIELD");
        bad.put("{\"state\":\"UP\",\"delayMs\":\"0\"}", "INVALID_FIELD");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            for (String peer : List.of("b2", "b3")) {
                Http.Response r = put("b1", peer, BankCluster.OPERATOR, b.getKey());
                assertThat(r.status()).as(b.getKey() + " -> " + r).isEqualTo(400);
                assertThat(r.error()).as(b.getKey() + " -> " + r).isEqualTo(b.getValue());
                assertThat(r.json().get("message").getAsString()).isNotBlank();
            }
        }
        assertThat(links("b1")).isEqualTo(expected);
        assertThat(linkEvents("b1")).hasSize(events);
    }
}
