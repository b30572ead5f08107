package org.distribank.bank.ledger;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.common.StrictJson;

/**
 * The bank's client of its data server's resource set ({@code /v1/banks/{businessId}/...}, data-server/README.md).
 * The token travels only in the {@code auth-token} header and is never logged. A 2xx answer to a write means
 * the write is durable. Failures are {@link LedgerException}s carrying the server's error code. Every data-server
 * JSON shape of the bank lives here and in {@link LedgerJson}.
 */
public final class LedgerClient implements Ledger, AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final String base;
    private final String token;
    private volatile RoundTripObserver roundTrips = RoundTripObserver.NONE;

    public LedgerClient(DataServerLink link) {
        this(link, null);
    }

    /**
     * With {@code tls}: an {@code https} data server is trusted by the consortium CA and shown the bank's own
     * certificate (a data server with {@code trustedCa} requires it).
     */
    public LedgerClient(DataServerLink link, org.distribank.common.tls.TlsContext tls) {
        OkHttpClient.Builder b = new OkHttpClient.Builder();
        if (tls != null) {
            b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
        }
        this.http = b
                .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES)) // >= concurrent callers: no reconnects
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(30))
                .build();
        String url = link.url().endsWith("/") ? link.url().substring(0, link.url().length() - 1) : link.url();
        this.base = url + "/v1/banks/" + enc(link.businessId());
        this.token = link.token();
    }

    // ---- customers

    public Optional<JsonObject> customer(String cpf) {
        return getOptional("/customers/" + enc(cpf));
    }

    public Optional<JsonObject> customerByUsername(String username) {
        return getOptional("/usernames/" + enc(username));
    }

    public JsonObject createCustomer(String cpf, String name, String username, String passwordHash, String email,
                                     String phone) {
        JsonObject b = new JsonObject();
        b.addProperty("cpf", cpf);
        b.addProperty("name", name);
        b.addProperty("username", username);
        b.addProperty("password_hash", passwordHash);
        if (email != null) {
            b.addProperty("email", email);
        }
        if (phone != null) {
            b.addProperty("phone", phone);
        }
        return send("POST", "/customers", b);
    }

    // ---- accounts and holders

    public Optional<JsonObject> account(String accountId) {
        return getOptional("/accounts/" + enc(accountId));
    }

    /** {@code holders}: [{"cpf","role"}]; {@code company} null unless BUSINESS. */
    public JsonObject openAccount(String accountId, String type, JsonObject company, JsonArray holders) {
        JsonObject b = new JsonObject();
        b.addProperty("account_id", accountId);
        b.addProperty("type", type);
        if (company != null) {
            b.add("company", company);
        }
        b.add("holders", holders);
        return send("POST", "/accounts", b);
    }

    public JsonObject addHolder(String accountId, String cpf, String role) {
        JsonObject b = new JsonObject();
        b.addProperty("cpf", cpf);
        b.addProperty("role", role);
        return send("POST", "/accounts/" + enc(accountId) + "/holders", b);
    }

    public JsonObject removeHolder(String accountId, String cpf) {
        return send("DELETE", "/accounts/" + enc(accountId) + "/holders/" + enc(cpf), null);
    }

    public JsonArray statement(String accountId, long after, int limit) {
        return send("GET", "/accounts/" + enc(accountId) + "/statement?after=" + after + "&limit=" + limit, null)
                .getAsJsonArray("entries");
    }

    // ---- balances, postings, total

    /** Many balances in one read; missing accounts are left out. */
    public Map<String, Long> balances(Collection<String> accountIds) {
        JsonObject b = new JsonObject();
        JsonArray ids = new JsonArray();
        accountIds.forEach(ids::add);
        b.add("account_ids", ids);
        JsonObject r = send("POST", "/balances", b);
        Map<String, Long> out = new HashMap<>();
        r.getAsJsonObject("balances").entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsLong()));
        return out;
    }

    @Override
    public void post(List<Posting> postings, List<OutcomeRecord> outcomes) {
        JsonObject b = new JsonObject();
        b.add("postings", LedgerJson.postings(postings));
        if (outcomes != null && !outcomes.isEmpty()) {
            JsonArray a = new JsonArray(outcomes.size());
            outcomes.forEach(o -> a.add(LedgerJson.outcome(o)));
            b.add("outcomes", a);
        }
        send("POST", "/postings", b);
    }

    /** {@code {"total","accounts"}}. */
    public JsonObject total() {
        return send("GET", "/total", null);
    }

    @Override
    public long durableTotal() {
        return total().get("total").getAsLong();
    }

    // ---- PIX keys and transactions

    @Override
    public void createPixKey(PixKeyCreated key) {
        send("POST", "/pix-keys", LedgerJson.pixKey(key));
    }

    @Override
    public void deletePixKey(PixKeyDeleted key) {
        send("DELETE", "/pix-keys/" + enc(key.key()), null);
    }

    @Override
    public void recordOutcome(OutcomeRecord outcome) {
        send("PUT", "/transactions/" + enc(outcome.transactionId()), LedgerJson.outcomeBody(outcome));
    }

    public Optional<JsonObject> transaction(String id) {
        return getOptional("/transactions/" + enc(id));
    }

    /** {@code observer} is told of each request to the data server from now on (the bank's metrics). */
    public void observeRoundTrips(RoundTripObserver observer) {
        this.roundTrips = observer == null ? RoundTripObserver.NONE : observer;
    }

    // ---- the managing bank

    /**
     * Claims this business for bank {@code bank} (one owner per account, API.md v1.1): the data server then refuses
     * the original API's writes on it ({@code 409 MANAGED_BY_BANK}). Idempotent for the same bank; another bank's
     * claim is a {@link LedgerException} with that code.
     */
    public JsonObject claimManager(String bank, String name) {
        JsonObject b = new JsonObject();
        b.addProperty("bank", bank);
        if (name != null) {
            b.addProperty("name", name);
        }
        return send("PUT", "/manager", b);
    }

    // ---- plumbing

    private Optional<JsonObject> getOptional(String path) {
        try {
            return Optional.of(send("GET", path, null));
        } catch (LedgerException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private JsonObject send(String method, String path, JsonObject body) {
        Request.Builder rb = new Request.Builder().url(base + path).header("auth-token", token);
        RequestBody rbody = body == null ? null : RequestBody.create(StrictJson.GSON.toJson(body), JSON);
        if (rbody == null && ("POST".equals(method) || "PUT".equals(method))) {
            rbody = RequestBody.create("{}", JSON);
        }
        rb.method(method, rbody);
        long t0 = System.nanoTime();
        int status = 0;
        try (Response response = http.newCall(rb.build()).execute()) {
            status = response.code();
            ResponseBody rBody = response.body();
            String text = rBody == null ? "" : rBody.string();
            JsonObject json = parse(text);
            if (!response.isSuccessful()) {
                String code = json.has("error") ? json.get("error").getAsString() : "HTTP_" + response.code();
                String message = json.has("message") ? json.get("message").getAsString() : "data server " + response.code();
                throw new LedgerException(response.code(), code, message);
            }
            return json;
        } catch (IOException e) {
            // the URL holds no secret (the token is a header), so naming the path is fine
            throw new LedgerException("data server unreachable on " + method + " " + path + ": " + e.getMessage(), e);
        } finally {
            roundTrips.roundTrip(method, resource(path), status, System.nanoTime() - t0);
        }
    }

    /** {@code /accounts/123/statement} → {@code accounts}: what a metric may be tagged with (no ids). */
    static String resource(String path) {
        int from = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', from);
        int q = path.indexOf('?', from);
        if (end < 0 || (q >= 0 && q < end)) {
            end = q;
        }
        return end < 0 ? path.substring(from) : path.substring(from, end);
    }

    private static JsonObject parse(String text) {
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
