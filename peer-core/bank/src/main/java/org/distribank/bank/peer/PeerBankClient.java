package org.distribank.bank.peer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.distribank.bank.execution.Applier;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.consortium.PeerSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bank's calls to the other banks' bank-level peer routes ({@link PeerBankRoutes}), each signed with this
 * bank's own key ({@link PeerSigner}). Every call is bounded; an unreachable bank is an empty answer, never an exception.
 */
public final class PeerBankClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerBankClient.class);

    /**
     * What every call to another bank goes through first: the operator's link controls (a cut link fails the
     * call, a slowed one delays it), so these calls see the same link as the protocol's.
     */
    @FunctionalInterface
    public interface Gate {
        void pass(String bank) throws IOException;
    }

    private final OkHttpClient http;
    private final Function<String, String> urlOf;
    private final PeerSigner signer;
    private final Gate gate;

    public PeerBankClient(Function<String, String> urlOf, PeerSigner signer) {
        this(urlOf, signer, bank -> { });
    }

    public PeerBankClient(Function<String, String> urlOf, PeerSigner signer, Gate gate) {
        this(urlOf, signer, gate, null);
    }

    /** With {@code tls}: {@code https} peers trusted by the consortium CA, shown this bank's certificate. */
    public PeerBankClient(Function<String, String> urlOf, PeerSigner signer, Gate gate,
                          org.distribank.common.tls.TlsContext tls) {
        this.gate = gate;
        OkHttpClient.Builder b = new OkHttpClient.Builder();
        if (tls != null) {
            b.sslSocketFactory(tls.socketFactory(), tls.trustManager());
        }
        this.http = b
                .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES)) // >= concurrent callers: no reconnects
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(15)).build();
        this.urlOf = urlOf;
        this.signer = signer;
    }

    /** Whether {@code bank} has decided {@code opId} and written it durably to its data server. */
    public boolean applied(String bank, String opId, long waitMs) {
        return get(bank, "/peer/v1/bank/transactions/" + enc(opId) + "/applied?waitMs=" + waitMs)
                .map(o -> o.has("applied") && o.get("applied").getAsBoolean()).orElse(false);
    }

    /**
     * {@code bank}'s applied position once it reaches {@code atLeast} (or whatever it reached after
     * {@code waitMs}); -1 when it does not answer.
     */
    public long appliedPosition(String bank, long atLeast, long waitMs) {
        return get(bank, "/peer/v1/bank/applied-position?atLeast=" + atLeast + "&waitMs=" + waitMs)
                .filter(o -> o.has("position")).map(o -> o.get("position").getAsLong()).orElse(-1L);
    }

    /**
     * {@code bank}'s total at the audit's position, once it has decided it, with its data server's durable total
     * there and whether they reconcile.
     */
    public Optional<Applier.AuditCheck> audit(String bank, String auditId, long waitMs) {
        return get(bank, "/peer/v1/bank/audits/" + enc(auditId) + "?waitMs=" + waitMs)
                .filter(o -> o.has("total") && o.has("position"))
                .map(o -> new Applier.AuditCheck(auditId, o.get("position").getAsLong(), o.get("total").getAsLong(),
                        o.has("dataServerTotal") ? o.get("dataServerTotal").getAsLong() : null,
                        o.has("reconciled") && o.get("reconciled").getAsBoolean() ? null
                                : o.has("problem") ? o.get("problem").getAsString() : "not reconciled"));
    }

    /**
     * The balance of the account that consent {@code consentId} covers at {@code bank}, which answers only the
     * consent's grantee and only when the consent allows reading.
     */
    public Optional<Long> consentBalance(String bank, String consentId) {
        return get(bank, "/peer/v1/bank/consents/" + enc(consentId) + "/balance")
                .filter(o -> o.has("balance")).map(o -> o.get("balance").getAsLong());
    }

    /** Every bank-level peer call is a GET: signed over its target, with an empty body. */
    private Optional<JsonObject> get(String bank, String path) {
        String base = urlOf.apply(bank);
        if (base == null) {
            return Optional.empty();
        }
        HttpUrl url = HttpUrl.parse(base + path);
        if (url == null) {
            return Optional.empty();
        }
        Request.Builder rb = new Request.Builder().url(url);
        // signed over the target exactly as sent (still encoded)
        String target = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
        signer.sign(bank, "GET", target, new byte[0], rb::header);
        try {
            gate.pass(bank);
        } catch (IOException e) {
            LOG.debug("bank {} not called for {}: {}", bank, path, e.getMessage());
            return Optional.empty();
        }
        try (Response r = http.newCall(rb.build()).execute()) {
            ResponseBody rBody = r.body();
            String text = rBody == null ? "" : rBody.string();
            if (!r.isSuccessful()) {
                return Optional.empty();
            }
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("bank {} did not answer {}: {}", bank, path, e.toString());
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
