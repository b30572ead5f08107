package org.distribank.bank.peer;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.distribank.common.ApiException;
import org.distribank.common.tls.Pki;
import org.distribank.common.tls.TlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS on the peer routes of a bank that serves HTTPS. The port is shared with customers, whose browsers and
 * apps have no client certificate, so the handshake only <em>asks</em> for one (verified against the consortium CA
 * when given); every {@code /peer/...} request, the link's WebSocket upgrade included, must then have come with a
 * certificate from that CA whose subject CN is a bank of the consortium, and equal to the bank the request claims
 * to come from where it names one (the {@code "from"} of a heartbeat or a message batch). Otherwise
 * {@code 401 PEER_CERTIFICATE_REQUIRED} or {@code 403 PEER_CERTIFICATE_MISMATCH}, before any route runs.
 *
 * <p>The verified bank id is left in the request attribute {@value #ATTRIBUTE} for the routes (e.g. for checking
 * that a signed message's signer is the bank on the other end of the connection). A link's later frames travel on
 * the connection whose upgrade was checked here; the attribute is in the WebSocket's context as well
 * ({@code WsContext.attribute}), where the link route can compare each frame's own {@code "from"} with it.
 */
public final class PeerCertificates {

    /** Request attribute: the id (certificate CN) of the bank on the other end of this TLS connection. */
    public static final String ATTRIBUTE = org.distribank.consortium.ConsortiumRoutes.PEER_CERTIFICATE_ATTRIBUTE;
    private static final Logger LOG = LoggerFactory.getLogger(PeerCertificates.class);
    /** The bodies whose top-level {@code "from"} names the sending bank. */
    private static final Set<String> CLAIMING_PATHS = Set.of("/peer/v1/messages", "/peer/v1/heartbeat",
            "/peer/v1/ballot", "/peer/v1/fetch");

    private PeerCertificates() {
    }

    /** Registers the check; call before the peer routes are registered so it runs first. */
    public static void register(JavalinConfig config, Set<String> banks) {
        config.routes.before("/peer/*", ctx -> {
            Refusal r = refusal(ctx, banks, CLAIMING_PATHS.contains(ctx.path()));
            if (r != null) {
                throw new ApiException(r.status, r.code, r.message);
            }
        });
        config.routes.wsBeforeUpgrade("/peer/*", ctx -> {
            Refusal r = refusal(ctx, banks, false);
            if (r != null) {
                // no upgrade; Javalin writes no result on this path, so the body goes out here
                ctx.status(r.status).contentType("application/json");
                ctx.res().getOutputStream().write(new ApiException(r.status, r.code, r.message).body().toString()
                        .getBytes(StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
            }
        });
    }

    private record Refusal(int status, String code, String message) {
    }

    private static Refusal refusal(Context ctx, Set<String> banks, boolean claims) {
        X509Certificate cert = TlsContext.clientCertificate(ctx.req());
        if (cert == null) {
            return new Refusal(401, "PEER_CERTIFICATE_REQUIRED",
                    "peer requests need the calling bank's certificate from the consortium CA");
        }
        String cn = Pki.commonName(cert);
        if (cn == null || !banks.contains(cn)) {
            LOG.warn("peer request {} {} from {} with a certificate for {}, not a bank of the consortium",
                    ctx.method(), ctx.path(), ctx.ip(), cn);
            return new Refusal(403, "PEER_CERTIFICATE_MISMATCH", "the certificate names no bank of the consortium");
        }
        if (claims) {
            String from = claimedSender(ctx.bodyAsBytes());
            if (from != null && !from.equals(cn)) {
                LOG.warn("peer request {} from {}: certificate of {} claims to be {}", ctx.path(), ctx.ip(), cn, from);
                return new Refusal(403, "PEER_CERTIFICATE_MISMATCH",
                        "the request claims another bank than its certificate");
            }
        }
        ctx.attribute(ATTRIBUTE, cn);
        return null;
    }

    /**
     * The top-level {@code "from"} of a JSON body, or null (no such member, or not JSON: the route answers
     * {@code 400}). Senders write it first, so this reads a few bytes, not the batch.
     */
    static String claimedSender(byte[] body) {
        // read from the bytes Javalin keeps for the route: no copy of a large batch as a String
        try (JsonReader r = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body),
                StandardCharsets.UTF_8))) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                return null;
            }
            r.beginObject();
            while (r.hasNext()) {
                if (r.nextName().equals("from") && r.peek() == JsonToken.STRING) {
                    return r.nextString();
                }
                r.skipValue();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
