package org.distribank.app.launch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the launcher tests: JSON text in, status and JSON out; I/O errors are thrown. */
final class Http {

    private static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** The client of every call; {@link #useTls} swaps it for one with the consortium's PKI. */
    private static volatile HttpClient client = PLAIN;

    /**
     * Until {@link #plain()}: calls trust the consortium CA and present a client certificate from it (a data
     * server with {@code trustedCa} requires one; a bank only asks).
     */
    static void useTls(javax.net.ssl.SSLContext context) {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .sslContext(context).build();
    }

    static void plain() {
        client = PLAIN;
    }

    record Response(int status, String text) {
        JsonObject json() {
            try {
                JsonElement e = JsonParser.parseString(text == null || text.isEmpty() ? "{}" : text);
                return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
            } catch (RuntimeException e) {
                return new JsonObject();
            }
        }

        String field(String name) {
            JsonObject j = json();
            return j.has(name) && !j.get(name).isJsonNull() ? j.get(name).getAsString() : null;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private Http() {
    }

    static Response call(String method, String url, String bearer, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /**
     * Streams {@code url} (Server-Sent Events) into {@code file} as it arrives, until the server closes it or the
     * returned future is cancelled.
     */
    static java.util.concurrent.CompletableFuture<?> stream(String url, String bearer, java.nio.file.Path file) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofFile(file));
    }

    static Response get(String url, String bearer) throws IOException, InterruptedException {
        return call("GET", url, bearer, null, Duration.ofSeconds(15));
    }

    static Response post(String url, String bearer, String body) throws IOException, InterruptedException {
        return call("POST", url, bearer, body, Duration.ofSeconds(15));
    }
}
