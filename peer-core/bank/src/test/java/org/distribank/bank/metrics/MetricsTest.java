package org.distribank.bank.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distribank.bank.BankCluster;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real bank: operator only, Prometheus text with the counters, histograms and gauges of
 * API.md after a few operations; and every metric the Grafana dashboard in packaging/ queries is one it exposes.
 */
class MetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:distribank|jvm|process|system)_[A-Za-z0-9_]+)");
    private static final Path DASHBOARD = Path.of("../../packaging/grafana/distribank.json");

    @TempDir
    Path dir;

    @Test
    void metricsAreForTheOperatorAndCountWhatHappened() throws Exception {
        try (BankCluster cluster = BankCluster.start(dir, 2, true)) {
            Customer a = personal("b1", cluster.url("b1"), "Nina Costa");
            Customer b = personal("b2", cluster.url("b2"), "Caio Lima");
            deposit(a, 5_000);
            Http.Response ok = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"legs\":[" + leg("b1", a.account(), "b2", b.account(), 1_000) + "]}");
            assertThat(ok.json().get("status").getAsString()).isEqualTo("COMMITTED");
            Http.Response no = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"legs\":[" + leg("b1", a.account(), "b2", b.account(), 999_999) + "]}");
            assertThat(no.json().get("status").getAsString()).isEqualTo("ABORTED");

            String url = cluster.url("b1") + BankMetrics.PATH;
            assertThat(Http.get(url, null).status()).isEqualTo(401);
            assertThat(Http.get(url, a.token()).status()).isEqualTo(401); // a customer's session is no operator
            Http.Response r = Http.get(url, BankCluster.OPERATOR);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String text = r.text();

            assertThat(value(text, "distribank_operations_committed_total{bank=\"b1\"}")).isGreaterThanOrEqualTo(2);
            assertThat(value(text, "distribank_operations_aborted_total{bank=\"b1\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "distribank_operations_ordered_total{bank=\"b1\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "distribank_decision_latency_seconds_count{bank=\"b1\",decision=\"committed\"}"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(text).contains("distribank_decision_latency_seconds_bucket{bank=\"b1\",decision=\"committed\"");
            assertThat(value(text, "distribank_holdback_queue_length{bank=\"b1\"}")).isZero();
            assertThat(value(text, "distribank_node_up{bank=\"b1\"}")).isEqualTo(1);
            assertThat(text).containsPattern("distribank_dataserver_requests_seconds_count\\{bank=\"b1\",method=\"POST\","
                    + "outcome=\"SUCCESS\",resource=\"postings\"} [1-9]");
            assertThat(text).contains("jvm_memory_used_bytes{", "distribank_applier_applied_position{bank=\"b1\"}");
            assertThat(value(text, "distribank_applier_stalled{bank=\"b1\"}")).isZero();
            assertThat(value(text, "distribank_applier_refusals_total{bank=\"b1\"}")).isZero();
            assertThat(text).contains("distribank_applier_outcome_records_pending{bank=\"b1\"}");
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposed() throws Exception {
        JsonObject dashboard = JsonParser.parseString(Files.readString(DASHBOARD)).getAsJsonObject();
        Set<String> queried = new LinkedHashSet<>();
        JsonArray panels = dashboard.getAsJsonArray("panels");
        assertThat(panels).isNotEmpty();
        for (JsonElement p : panels) {
            JsonArray targets = p.getAsJsonObject().getAsJsonArray("targets");
            assertThat(targets).as("panel %s", p.getAsJsonObject().get("title")).isNotEmpty();
            for (JsonElement t : targets) {
                Set<String> names = names(t.getAsJsonObject().get("expr").getAsString());
                assertThat(names).as("a metric in %s", t).isNotEmpty();
                queried.addAll(names);
            }
        }
        queried.addAll(names(dashboard.getAsJsonObject("templating").toString()));

        try (BankCluster cluster = BankCluster.start(dir, 2, true)) {
            Customer a = personal("b1", cluster.url("b1"), "Rui Alves");
            deposit(a, 100);
            Http.Response r = Http.get(cluster.url("b1") + BankMetrics.PATH, BankCluster.OPERATOR);
            Set<String> exposed = new LinkedHashSet<>();
            for (String line : r.text().split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exposed.add(line.split("[{ ]", 2)[0]);
                }
            }
            assertThat(exposed).containsAll(queried);
        }
    }

    private static Set<String> names(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The sample's value on the line starting with {@code series}. */
    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + text);
    }
}
