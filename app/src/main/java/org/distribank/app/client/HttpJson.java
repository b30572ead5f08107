package org.distribank.app.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.common.tls.TlsContext;

/**
 * JSON over HTTP to one bank: one shared OkHttp client (connection pool, dispatcher) for the whole
 * app, a bearer token per call, and every failure turned into a {@link BankApiException} whose
 * message a person understands. Calls block: callers are on background threads, never the FX thread.
 */
public final class HttpJson {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpJson.class); // before SHARED
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /**
     * How long an idle pooled connection is kept: below the banks' Jetty idle timeout (30 s), so the pool drops a
     * connection before the bank closes it (with OkHttp's 5 minutes, the first call after 30 s of quiet failed with
     * "unexpected end of stream").
     */
    static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(20);
    /**
     * Long enough for a transfer that waits for its outcome (the bank answers 202 after a few seconds). A call on a
     * pooled connection the bank closed meanwhile is retried on a fresh one: the bank never read it, and every write
     * carries its id anyway (a repeated transfer, deposit or withdrawal is answered with the first one's outcome).
     */
    private static final OkHttpClient SHARED = trustedCa(new OkHttpClient.Builder())
            .socketFactory(NoDelaySocketFactory.INSTANCE)
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(15))
            .callTimeout(Duration.ofSeconds(20))
            .connectionPool(new okhttp3.ConnectionPool(5, POOL_KEEP_ALIVE.toSeconds(),
                    java.util.concurrent.TimeUnit.SECONDS))
            .retryOnConnectionFailure(true)
            .build();

    /**
     * The environment variable naming the consortium CA's certificate (PEM) that banks serving HTTPS with the
     * consortium's own certificates are trusted by, besides the JDK's usual authorities (DEPLOYMENT.md).
     */
    public static final String TRUSTED_CA_ENV = "DISTRIBANK_TRUSTED_CA";

    private final String baseUrl;

    private static OkHttpClient.Builder trustedCa(OkHttpClient.Builder b) {
        String ca = System.getenv(TRUSTED_CA_ENV);
        if (ca == null || ca.isBlank()) {
            return b;
        }
        try {
            TlsContext tls = TlsContext.trustingAlso(java.nio.file.Path.of(ca));
            return b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
        } catch (IOException e) {
            LOG.warn("{}={} is not usable, trusting the JDK's authorities only: {}", TRUSTED_CA_ENV, ca,
                    e.getMessage());
            return b;
        }
    }

    public HttpJson(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    static OkHttpClient client() {
        return SHARED;
    }

    public JsonObject get(String path, String token) {
        return call(new Request.Builder().url(baseUrl + path).get(), token);
    }

    public JsonObject post(String path, String token, JsonElement body) {
        return call(new Request.Builder().url(baseUrl + path).post(RequestBody.create(body.toString(), JSON)), token);
    }

    public JsonObject put(String path, String token, JsonElement body) {
        return call(new Request.Builder().url(baseUrl + path).put(RequestBody.create(body.toString(), JSON)), token);
    }

    public JsonObject delete(String path, String token) {
        return call(new Request.Builder().url(baseUrl + path).delete(), token);
    }

    /** Sends the request; 2xx gives the body (an empty object for 204), anything else throws. */
    private JsonObject call(Request.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        Request req = b.header("Accept", "application/json").build();
        try (Response r = SHARED.newCall(req).execute()) {
            ResponseBody body = r.body();
            String text = body == null ? "" : body.string();
            JsonObject json = parse(text);
            if (r.isSuccessful()) {
                return json == null ? new JsonObject() : json;
            }
            String code = json != null && json.has("error") ? json.get("error").getAsString() : "HTTP_" + r.code();
            String message = json != null && json.has("message") ? json.get("message").getAsString()
                    : "The bank answered " + r.code() + ".";
            throw new BankApiException(r.code(), code, message);
        } catch (IOException e) {
            throw new BankApiException("The bank at " + baseUrl + " is not answering (" + e.getMessage() + ").", e);
        }
    }

    private static JsonObject parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }
}
