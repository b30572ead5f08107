package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.ui.common.UiTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault page's link controls against stand-in banks that speak the operator link endpoint
 * ({@code GET /api/v1/admin/links}, {@code PUT /api/v1/admin/links/{peer}}), or answer 404 like a bank
 * without it; and the bank controls of a consortium this app did not launch.
 */
class FaultsLinksTest {

    /** A bank's outbound links: peer -> {state, delayMs}; only what is not UP is listed, as the real one may. */
    private final Map<String, Map<String, Object[]>> linksOf = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private ConsortiumConnection banks(boolean supported, String... ids) throws IOException {
        List<BankRef> refs = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object[]> links = new TreeMap<>();
            linksOf.put(id, links);
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/api/v1/admin/links", ex -> answer(ex, supported, links));
            s.start();
            servers.add(s);
            refs.add(new BankRef(id, "Bank " + id, "http://127.0.0.1:" + s.getAddress().getPort()));
        }
        return new ConsortiumConnection() {
            @Override
            public String describe() {
                return "stand-ins";
            }

            @Override
            public List<BankRef> banks() {
                return refs;
            }

            @Override
            public Optional<String> operatorToken() {
                return Optional.of("op-token");
            }

            @Override
            public boolean controlsBanks() {
                return false;
            }

            @Override
            public void killBank(String id) {
                throw new UnsupportedOperationException("not ours");
            }

            @Override
            public void restartBank(String id) {
                throw new UnsupportedOperationException("not ours");
            }

            @Override
            public boolean bankRunning(String id) {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    private static void answer(HttpExchange ex, boolean supported, Map<String, Object[]> links) throws IOException {
        int status;
        JsonObject body = new JsonObject();
        if (!supported) {
            status = 404;
            body.addProperty("error", "NOT_FOUND");
            body.addProperty("message", "No such endpoint.");
        } else if (!"Bearer op-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
            body.addProperty("error", "UNAUTHORIZED");
            body.addProperty("message", "The operator token is wrong.");
        } else if ("GET".equals(ex.getRequestMethod())) {
            status = 200;
            JsonArray a = new JsonArray();
            synchronized (links) {
                links.forEach((peer, st) -> a.add(link(peer, (String) st[0], (Long) st[1])));
            }
            body.add("links", a);
        } else {
            String peer = ex.getRequestURI().getPath().substring("/api/v1/admin/links/".length());
            JsonObject req = JsonParser.parseString(new String(ex.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            String state = req.get("state").getAsString();
            long delay = req.has("delayMs") ? req.get("delayMs").getAsLong() : 0;
            synchronized (links) {
                if ("UP".equals(state)) {
                    links.remove(peer);
                } else {
                    links.put(peer, new Object[] {state, delay});
                }
            }
            status = 200;
            body = link(peer, state, delay);
        }
        byte[] out = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private static JsonObject link(String peer, String state, long delay) {
        JsonObject o = new JsonObject();
        o.addProperty("peer", peer);
        o.addProperty("state", state);
        o.addProperty("delayMs", delay);
        return o;
    }

    @Test
    void cuttingBothWaysAsksBothBanksAndTheTableShowsIt() throws Exception {
        FaultsViewModel vm = new FaultsViewModel(banks(true, "b1", "b2", "b3"), UiTasks.direct());
        vm.refreshLinks();
        assertThat(vm.linkSupportProperty().get()).isEqualTo(FaultsViewModel.LinkSupport.SUPPORTED);
        assertThat(vm.links()).extracting(FaultsViewModel.LinkRow::pair)
                .containsExactly("b1 \u2194 b2", "b1 \u2194 b3", "b2 \u2194 b3");
        assertThat(vm.links()).noneMatch(FaultsViewModel.LinkRow::faulty);

        vm.linkFromProperty().set("b1");
        vm.linkToProperty().set("b3");
        vm.cutLink();
        assertThat(linksOf.get("b1")).containsOnlyKeys("b3");
        assertThat(linksOf.get("b3")).containsOnlyKeys("b1");
        assertThat(vm.links().get(1)).isEqualTo(new FaultsViewModel.LinkRow("b1", "b3", "CUT", "CUT"));
        assertThat(vm.lastMessageProperty().get()).startsWith("Cut b1 \u2194 b3");

        vm.linkFromProperty().set("b2");
        vm.linkToProperty().set("b3");
        vm.bothWaysProperty().set(false);
        vm.delayMsProperty().set("250");
        vm.slowLink();
        assertThat(vm.links().get(2)).isEqualTo(new FaultsViewModel.LinkRow("b2", "b3", "SLOW 250 ms", "UP"));
        assertThat(vm.lastMessageProperty().get()).isEqualTo("Slowed b2 \u2192 b3: every message on it waits 250 ms.");

        vm.restoreAllLinks();
        assertThat(vm.links()).noneMatch(FaultsViewModel.LinkRow::faulty);
        assertThat(linksOf.values()).allMatch(Map::isEmpty);
        assertThat(vm.lastMessageProperty().get()).isEqualTo("Restored every link.");
        assertThat(vm.lastErrorProperty().get()).isEmpty();
        assertThat(vm.messages()).hasSize(3);
    }

    @Test
    void theFormRefusesTheSameBankTwiceAndABadDelay() throws Exception {
        FaultsViewModel vm = new FaultsViewModel(banks(true, "b1", "b2", "b3"), UiTasks.direct());
        vm.linkToProperty().set("b1");
        assertThat(vm.pairValidProperty().get()).isFalse();
        assertThat(vm.pairErrorProperty().get()).isEqualTo("Pick two different banks.");
        vm.cutLink();
        assertThat(vm.lastErrorProperty().get()).contains("Pick two different banks.");
        assertThat(linksOf.get("b1")).isEmpty();

        vm.linkToProperty().set("b2");
        for (String bad : new String[] {"0", "60001", "abc", "", "1.5"}) {
            vm.delayMsProperty().set(bad);
            assertThat(vm.delayValidProperty().get()).as(bad).isFalse();
        }
        vm.slowLink();
        assertThat(vm.lastErrorProperty().get()).startsWith("Cannot slow the link: A delay is a whole number");
        assertThat(linksOf.get("b1")).isEmpty();
    }

    @Test
    void banksWithoutTheEndpointAreSaidToHaveNoLinkControls() throws Exception {
        FaultsViewModel vm = new FaultsViewModel(banks(false, "b1", "b2", "b3"), UiTasks.direct());
        vm.refreshLinks();
        assertThat(vm.linkSupportProperty().get()).isEqualTo(FaultsViewModel.LinkSupport.UNSUPPORTED);
        assertThat(vm.linkSupportTextProperty().get()).contains("404");
        vm.cutLink();
        assertThat(vm.lastErrorProperty().get()).contains("b1 has no link controls").contains("b2 has no link controls");
    }

    @Test
    void banksThisAppDidNotLaunchCannotBeKilledFromIt() throws Exception {
        FaultsViewModel vm = new FaultsViewModel(banks(true, "b1", "b2", "b3"), UiTasks.direct());
        assertThat(vm.controlsBanks()).isFalse();
        assertThat(vm.controlsExplanation()).contains("cannot stop or start them");
        vm.kill("b1");
        assertThat(vm.bank("b1").running()).isTrue();
        assertThat(vm.messages()).isEmpty();
    }
}
