package org.distribank.bank.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.distribank.bank.consent.ConsentService;
import org.distribank.bank.session.Session;
import org.distribank.bank.session.SessionService;

/** The consent routes of API.md v1.1 ("Cross-bank authority: consents"), each in a customer's session. */
public final class ConsentApi {

    private final ConsentService consents;
    private final SessionService sessions;

    public ConsentApi(ConsentService consents, SessionService sessions) {
        this.consents = consents;
        this.sessions = sessions;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.post("/api/v1/consents", ctx -> CustomerApi.send(ctx, 201,
                consents.create(session(ctx), Requests.consent(CustomerApi.body(ctx)))));
        r.get("/api/v1/consents", ctx -> CustomerApi.send(ctx, 200, consents.mine(session(ctx))));
        r.delete("/api/v1/consents/{id}", ctx -> {
            consents.revoke(session(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        r.post("/api/v1/linked-accounts", ctx -> CustomerApi.send(ctx, 201,
                consents.link(session(ctx), Requests.link(CustomerApi.body(ctx)))));
        r.delete("/api/v1/linked-accounts/{bank}/{account}", ctx -> {
            consents.unlink(session(ctx), ctx.pathParam("bank"), ctx.pathParam("account"));
            ctx.status(204);
        });
    }

    private Session session(Context ctx) {
        return sessions.authenticate(ctx.header("Authorization"));
    }
}
