package org.distribank.bank.peer;

import com.google.gson.JsonObject;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;
import org.distribank.bank.consent.Consent;
import org.distribank.bank.execution.Applier;
import org.distribank.bank.execution.AuditFigure;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.DecidedOperation;
import org.distribank.bank.execution.DecisionWaiters;
import org.distribank.common.ApiException;
import org.distribank.common.JsonResponses;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.PeerAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank-level routes other banks call (each request signed by the calling bank's own key, checked by the
 * node's {@link PeerAuthenticator}; 401 otherwise), beside the protocol's own
 * {@code /peer/v1/messages} and {@code /peer/v1/heartbeat}:
 * <ul>
 *   <li>{@code GET /peer/v1/bank/transactions/{id}/applied?waitMs=} → {@code {"applied":bool,"position"}}:
 *       waits (bounded) until this bank decided the operation and wrote it to its data server;</li>
 *   <li>{@code GET /peer/v1/bank/applied-position?atLeast=&waitMs=} → {@code {"bank","position"}}: waits (bounded)
 *       until everything up to delivery position {@code atLeast} is durable at this bank's data server, then
 *       answers the position reached (the origin of a transaction follows each leg bank's position with one such
 *       long poll per bank, {@link AppliedTracker}, instead of one call per transaction);</li>
 *   <li>{@code GET /peer/v1/bank/audits/{id}?waitMs=} → {@code {"bank","total","position"}} or 404;</li>
 *   <li>{@code GET /peer/v1/bank/consents/{id}/balance} → {@code {"bank","account","balance"}}: to the consent's
 *       grantee only, while the consent is live and allows reading (a CPF alone reveals nothing here).</li>
 * </ul>
 */
public final class PeerBankRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(PeerBankRoutes.class);
    private static final long MAX_WAIT_MS = 10_000;

    private PeerBankRoutes() {
    }

    /** The request attribute holding the bank that signed a bank-level peer request (never a field it writes). */
    public static final String SENDER = "distribank.peerSender";

    public static void register(JavalinConfig config, PeerAuthenticator authenticator, String self,
                                BankMachine machine, Applier applier, DecisionWaiters waiters) {
        config.routes.before("/peer/v1/bank/*", ctx -> {
            try {
                ctx.attribute(SENDER, ConsortiumRoutes.authenticate(ctx, authenticator, PeerAuthenticator.Replay.HARMLESS));
            } catch (PeerAuthenticator.Refused e) {
                LOG.warn("bank peer request {} {} from {} refused: {}", ctx.method(), ctx.path(), ctx.ip(), e.getMessage());
                throw new ApiException(401, "UNAUTHORIZED", e.getMessage());
            }
        });
        config.routes.get("/peer/v1/bank/transactions/{id}/applied", ctx -> {
            long wait = waitMs(ctx);
            long start = System.nanoTime();
            Optional<DecidedOperation> d = waiters.await(ctx.pathParam("id"), wait);
            JsonObject o = new JsonObject();
            if (d.isEmpty()) {
                o.addProperty("applied", false);
            } else {
                long left = Math.max(0, wait - (System.nanoTime() - start) / 1_000_000);
                long position = d.get().outcome().position();
                o.addProperty("applied", applier.awaitApplied(position, left));
                o.addProperty("position", position);
            }
            send(ctx, 200, o);
        });
        config.routes.get("/peer/v1/bank/applied-position", ctx -> {
            long wait = waitMs(ctx);
            long atLeast = longParam(ctx, "atLeast");
            JsonObject o = new JsonObject();
            o.addProperty("bank", self);
            o.addProperty("position", applier.awaitPosition(atLeast, wait));
            send(ctx, 200, o);
        });
        config.routes.get("/peer/v1/bank/audits/{id}", ctx -> {
            String id = ctx.pathParam("id");
            long wait = waitMs(ctx);
            long start = System.nanoTime();
            waiters.await(id, wait);
            AuditFigure f = machine.audit(id).orElseThrow(() -> ApiException.notFound("AUDIT_NOT_FOUND",
                    "This bank has not decided audit " + id + "."));
            long left = Math.max(0, wait - (System.nanoTime() - start) / 1_000_000);
            Applier.AuditCheck check = applier.awaitAuditCheck(id, f.position(), f.total(), left);
            JsonObject o = new JsonObject();
            o.addProperty("bank", self);
            o.addProperty("total", f.total());
            o.addProperty("position", f.position());
            if (check.dataServerTotal() != null) {
                o.addProperty("dataServerTotal", check.dataServerTotal());
            }
            o.addProperty("reconciled", check.reconciled());
            if (check.problem() != null) {
                o.addProperty("problem", check.problem());
            }
            send(ctx, 200, o);
        });
        config.routes.get("/peer/v1/bank/consents/{id}/balance", ctx -> {
            // only the consent's grantee, and only a live consent that allows reading, sees the balance
            Instant now = machine.now();
            String caller = ctx.attribute(SENDER);
            Consent c = machine.consents().get(ctx.pathParam("id"))
                    .filter(x -> self.equals(x.terms().bank()) && x.terms().read() && !x.revoked()
                            && !x.expiredAt(now) && x.terms().grantee().equals(caller))
                    .orElseThrow(() -> new ApiException(403, "NO_CONSENT", "No live consent lets your bank read it."));
            JsonObject o = new JsonObject();
            o.addProperty("bank", self);
            o.addProperty("account", c.terms().account());
            o.addProperty("balance", machine.balance(c.terms().account()));
            send(ctx, 200, o);
        });
    }

    private static long waitMs(Context ctx) {
        String w = ctx.queryParam("waitMs");
        try {
            return w == null ? 0 : Math.max(0, Math.min(MAX_WAIT_MS, Long.parseLong(w)));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_WAIT", "waitMs must be a number of milliseconds");
        }
    }

    private static long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_POSITION", name + " must be a whole number");
        }
    }

    private static void send(Context ctx, int status, JsonObject body) {
        JsonResponses.send(ctx, status, body);
    }
}
