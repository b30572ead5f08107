package org.distribank.consortium.transport;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.common.tls.TlsContext;
import org.distribank.consortium.PeerSigner;
import org.distribank.consortium.Transport;
import org.distribank.consortium.auth.SignedRequests;

/**
 * Peer-to-peer HTTP with OkHttp: {@code POST {url}/peer/v1/messages}, {@code POST {url}/peer/v1/heartbeat},
 * and for view changes {@code POST {url}/peer/v1/ballot} and {@code POST {url}/peer/v1/fetch}, all signed by this
 * peer's {@link PeerSigner}.
 * Peer URLs are looked up per call so a restarted in-process peer may come back on a new port. With a
 * {@link TlsContext}, {@code https} peers are trusted by the consortium CA and shown this bank's certificate.
 */
public final class HttpTransport implements Transport {

    public static final String MESSAGES_PATH = "/peer/v1/messages";
    public static final String HEARTBEAT_PATH = "/peer/v1/heartbeat";
    /** One view-ballot message (PROTOCOL.md "Views: the wire"). */
    public static final String BALLOT_PATH = "/peer/v1/ballot";
    /** Relayed messages up to a proposal's cut (PROTOCOL.md "Views: the wire"). */
    public static final String FETCH_PATH = "/peer/v1/fetch";
    public static final String TRANSFER_PATH = "/peer/v1/transfer";
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;
    private final OkHttpClient heartbeatClient;
    /** View-ballot messages: the ballot retries on its own, so one unanswered soon is as good as lost. */
    private final OkHttpClient ballotClient;
    /** Fetches for a view change: a member that does not answer soon is skipped for the next one. */
    private final OkHttpClient fetchClient;
    private final OkHttpClient transferClient;
    private final Function<String, String> urlOf;
    private final PeerSigner signer;
    /** The signed heartbeat last sent to each peer, sent again while fresh (see {@link #heartbeatRequest}). */
    private final java.util.Map<String, SignedHeartbeat> heartbeats = new java.util.concurrent.ConcurrentHashMap<>();

    public HttpTransport(Function<String, String> urlOf, PeerSigner signer) {
        this(urlOf, signer, null);
    }

    public HttpTransport(Function<String, String> urlOf, PeerSigner signer, TlsContext tls) {
        this.urlOf = urlOf;
        this.signer = signer;
        this.client = withTls(new OkHttpClient.Builder(), tls)
                .connectionPool(new ConnectionPool(16, 5, java.util.concurrent.TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(1))
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .readTimeout(Duration.ofSeconds(6))
                .callTimeout(Duration.ofSeconds(8))
                .retryOnConnectionFailure(false)
                .build();
        // A heartbeat that is not answered quickly is as good as missing.
        this.heartbeatClient = client.newBuilder().callTimeout(Duration.ofMillis(900)).build();
        this.ballotClient = client.newBuilder().readTimeout(Duration.ofMillis(1500)).callTimeout(Duration.ofSeconds(2))
                .build();
        this.fetchClient = client.newBuilder().readTimeout(Duration.ofSeconds(3)).callTimeout(Duration.ofSeconds(4))
                .build();
        this.transferClient = client.newBuilder().readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60)).build();
    }

    /** Trusts the consortium CA and presents this bank's certificate on {@code https} URLs; no-op without TLS. */
    static OkHttpClient.Builder withTls(OkHttpClient.Builder b, TlsContext tls) {
        return tls == null ? b : b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
    }

    @Override
    public long sendBatch(String to, String batchJson) throws IOException {
        Request req;
        try {
            req = signed(to, MESSAGES_PATH, batchJson);
        } catch (RuntimeException e) {
            throw new IOException("peer " + to + ": " + e.getMessage(), e);
        }
        try (Response resp = client.newCall(req).execute()) {
            ResponseBody body = resp.body();
            String text = body == null ? "" : body.string();
            if (resp.code() != 200) {
                throw new IOException("peer " + to + " answered " + resp.code() + " " + text);
            }
            return Json.GSON.fromJson(text, JsonObject.class).get("ack").getAsLong();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw failed(to, e);
        }
    }

    @Override
    public void heartbeat(String to, String from) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("from", from);
        Request req;
        try {
            req = heartbeatRequest(to, o.toString());
        } catch (RuntimeException e) {
            throw new IOException("peer " + to + ": " + e.getMessage(), e);
        }
        try (Response resp = heartbeatClient.newCall(req).execute()) {
            if (resp.code() != 200) {
                throw new IOException("peer " + to + " answered heartbeat with " + resp.code());
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw failed(to, e);
        }
    }

    @Override
    public void sendBallot(String to, String json) throws IOException {
        post(ballotClient, to, BALLOT_PATH, json);
    }

    @Override
    public String fetch(String to, String json) throws IOException {
        return post(fetchClient, to, FETCH_PATH, json);
    }

    /** A joining bank's first snapshot: the whole replicated state, so a longer read than a fetch's. */
    @Override
    public String transfer(String to, String json) throws IOException {
        return post(transferClient, to, TRANSFER_PATH, json);
    }

    /** A signed POST that must be answered 2xx; the answer's body. */
    private String post(OkHttpClient via, String to, String path, String json) throws IOException {
        Request req;
        try {
            req = signed(to, path, json);
        } catch (RuntimeException e) {
            throw new IOException("peer " + to + ": " + e.getMessage(), e);
        }
        try (Response resp = via.newCall(req).execute()) {
            ResponseBody body = resp.body();
            String text = body == null ? "" : body.string();
            if (!resp.isSuccessful()) {
                throw new IOException("peer " + to + " answered " + path + " with " + resp.code() + " " + text);
            }
            return text;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw failed(to, e);
        }
    }

    /**
     * A call's failure as an IOException of that call. OkHttp (Kotlin) lets an InterruptedException out undeclared
     * when a stopping node interrupts its sender: it must not escape the sender's thread either.
     */
    private static IOException failed(String to, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new java.io.InterruptedIOException("peer " + to + ": interrupted");
        }
        return new IOException("peer " + to + ": " + e.getMessage(), e);
    }

    /**
     * The heartbeat to {@code to}: the same signed request for {@link SignedRequests#REUSE_MS} (the receiver
     * accepts a repeated heartbeat while recent and verifies each distinct one once), so a heartbeat every
     * second costs a signature every few seconds on each side. The URL is resolved each time.
     */
    private Request heartbeatRequest(String to, String json) {
        long now = System.nanoTime();
        SignedHeartbeat h = heartbeats.get(to);
        if (h == null || !h.json.equals(json) || now - h.signedAtNanos > SignedRequests.REUSE_MS * 1_000_000L) {
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            signer.sign(to, "POST", HEARTBEAT_PATH, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers::put);
            h = new SignedHeartbeat(json, headers, now);
            heartbeats.put(to, h);
        }
        Request.Builder b = new Request.Builder().url(urlOf.apply(to) + HEARTBEAT_PATH).post(RequestBody.create(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8), JSON));
        h.headers.forEach(b::header);
        return b.build();
    }

    private record SignedHeartbeat(String json, java.util.Map<String, String> headers, long signedAtNanos) {
    }

    /** A POST of {@code json} to {@code to}'s {@code path}, signed over the exact bytes sent. */
    private Request signed(String to, String path, String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Request.Builder b = new Request.Builder().url(urlOf.apply(to) + path).post(RequestBody.create(body, JSON));
        signer.sign(to, "POST", path, body, b::header);
        return b.build();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
