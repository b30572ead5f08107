package org.distribank.dataserver;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small real-HTTP client for the tests (JDK HttpClient, HTTP/1.1, loopback). */
final class Client {

    record Response(int status, String text) {
        JsonObject json() {
            JsonElement e = JsonParser.parseString(text);
            return e.getAsJsonObject();
        }

        String error() {
            return json().get("error").getAsString();
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;
    private final String token;
    private final String owner;

    Client(String base, String token) {
        this(base, token, null);
    }

    private Client(String base, String token, String owner) {
        this.base = base;
        this.token = token;
        this.owner = owner;
    }

    Client as(String lockOwner) {
        return new Client(base, token, lockOwner);
    }

    Client withToken(String otherToken) {
        return new Client(base, otherToken, owner);
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    Response post(String path, String json) {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String json) {
        return send(request(path).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("auth-token", token);
        }
        if (owner != null) {
            b.header("lock-owner", owner);
        }
        return b;
    }

    private static Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- shortcuts for the original calls

    long balance(String business, String account) {
        Response r = get("/getbalance/" + business + "/" + account);
        if (r.status() != 200) {
            throw new AssertionError("getbalance answered " + r.status() + " " + r.text());
        }
        return r.json().get("balance").getAsLong();
    }

    Response setBalance(String business, String account, long value, String operationId) {
        return post("/setBalance", "{\"business_id\":\"" + business + "\",\"account_id\":\"" + account
                + "\",\"value\":" + value + ",\"operation_id\":\"" + operationId + "\"}");
    }

    Response getLock(String business, String account) {
        return get("/getLock/" + business + "/" + account);
    }

    Response unlock(String business, String account) {
        return post("/unLock", "{\"business_id\":\"" + business + "\",\"account_id\":\"" + account + "\"}");
    }

    /** Registers a customer and opens a PERSONAL account for it. */
    void openAccount(String business, String account, String cpf) {
        Response c = post("/v1/banks/" + business + "/customers", "{\"cpf\":\"" + cpf + "\",\"name\":\"Ana " + cpf
                + "\",\"username\":\"u" + cpf + "\",\"password_hash\":\"$2a$10$abcdefghijklmnopqrstuv\"}");
        if (c.status() != 201 && c.status() != 409) {
            throw new AssertionError("customer: " + c.status() + " " + c.text());
        }
        Response a = post("/v1/banks/" + business + "/accounts", "{\"account_id\":\"" + account
                + "\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"" + cpf + "\",\"role\":\"HOLDER\"}]}");
        if (a.status() != 201) {
            throw new AssertionError("account: " + a.status() + " " + a.text());
        }
    }
}
