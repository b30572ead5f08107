package org.distribank.bank;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client for the bank tests: raw JSON text in, status and parsed JSON out. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Response(int status, String text) {
        public JsonObject json() {
            JsonElement e = JsonParser.parseString(text.isEmpty() ? "{}" : text);
            return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        }

        public String error() {
            return json().has("error") ? json().get("error").getAsString() : null;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private Http() {
    }

    public static Response call(String method, String url, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request of the test's own making (headers, streamed bodies), answered as the JDK gives it. */
    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Response get(String url, String bearer) {
        return call("GET", url, bearer, null);
    }

    public static Response post(String url, String bearer, String body) {
        return call("POST", url, bearer, body);
    }

    public static Response delete(String url, String bearer) {
        return call("DELETE", url, bearer, null);
    }
}
