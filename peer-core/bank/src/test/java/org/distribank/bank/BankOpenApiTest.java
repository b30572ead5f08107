package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route a bank serves is in its OpenAPI document, and every bank route documented is served. */
class BankOpenApiTest {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    @Test
    void everyRouteIsDocumented(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 1, true)) {
            Set<String> served = new TreeSet<>();
            for (String r : cluster.bank("b1").routes()) {
                String method = r.substring(0, r.indexOf(' '));
                if (METHODS.contains(method)) {
                    served.add(r);
                }
            }
            JsonObject doc = Http.get(cluster.url("b1") + "/openapi.json", null).json();
            Set<String> documented = new TreeSet<>();
            doc.getAsJsonObject("paths").entrySet().forEach(p -> p.getValue().getAsJsonObject().keySet()
                    .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
            assertThat(served).isNotEmpty().contains("POST /api/v1/transfers", "GET /api/v1/events");
            assertThat(documented).containsAll(served);
            // the protocol's own peer routes belong to the library, which may add or drop transports
            Set<String> ours = new TreeSet<>(documented);
            ours.removeIf(r -> r.contains(" /peer/v1/") && !r.contains(" /peer/v1/bank/"));
            assertThat(served).containsAll(ours);
        }
    }
}
