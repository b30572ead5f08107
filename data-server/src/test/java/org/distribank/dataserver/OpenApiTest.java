package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document lists exactly the registered routes. */
class OpenApiTest {

    @TempDir
    Path dir;

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        try (DataServer server = TestServers.start(dir)) {
            Client anonymous = new Client(server.url(), null);
            Client.Response r = anonymous.get("/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonObject doc = r.json();
            assertThat(doc.get("openapi").getAsString()).startsWith("3.");
            Set<String> documented = new TreeSet<>();
            doc.getAsJsonObject("paths").entrySet().forEach(path -> path.getValue().getAsJsonObject().keySet()
                    .forEach(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
            Set<String> registered = new TreeSet<>(server.routes());
            assertThat(registered).hasSizeGreaterThan(20);
            assertThat(documented).isEqualTo(registered);
        }
    }
}
