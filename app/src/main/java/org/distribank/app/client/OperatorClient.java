package org.distribank.app.client;

import com.google.gson.JsonObject;
import java.util.List;
import org.distribank.bank.execution.TransactionService;

/** The operator API of one bank (API.md, "Bank peer: operator API"), with the bank's operator token. */
public final class OperatorClient {

    private final String bank;
    private final HttpJson http;
    private final String token;

    public OperatorClient(String bank, String url, String token) {
        this.bank = bank;
        this.http = new HttpJson(url);
        this.token = token;
    }

    public String bank() {
        return bank;
    }

    public String url() {
        return http.baseUrl();
    }

    String token() {
        return token;
    }

    /** {@code GET /health}: true when the bank answers. */
    public boolean healthy() {
        try {
            http.get("/health", null);
            return true;
        } catch (BankApiException e) {
            return false;
        }
    }

    public ConsortiumSnapshot consortium() {
        JsonObject o = http.get("/api/v1/consortium", token);
        JsonObject view = o.has("view") && o.get("view").isJsonObject() ? o.getAsJsonObject("view") : null;
        return new ConsortiumSnapshot(Parse.str(o, "self"),
                Parse.list(o, "peers", p -> new PeerState(Parse.str(p, "id"), Parse.str(p, "name"), Parse.str(p, "url"),
                        p.has("online") && p.get("online").getAsBoolean(), Parse.num(p, "lastSeenMs"))),
                Parse.longs(o, "clock"),
                Parse.list(o, "queue", q -> new QueueItem(shownId(Parse.str(q, "id")), Parse.str(q, "origin"),
                        Parse.longs(q, "clock"), Parse.strings(q, "acks"), Parse.str(q, "state"))),
                Parse.num(o, "delivered"), Parse.str(o, "logHash"),
                view == null ? -1 : Parse.num(view, "epoch"),
                view == null ? List.of() : Parse.strings(view, "members"),
                view == null ? List.of() : Parse.strings(view, "banks"));
    }

    /** An AUDIT in the total order: every bank's total at one position. */
    public AuditResult audit() {
        JsonObject o = http.post("/api/v1/audits", token, new JsonObject());
        return new AuditResult(Parse.num(o, "total"), Parse.longs(o, "perBank"), Parse.num(o, "position"),
                Parse.strings(o, "discrepancies"));
    }

    /**
     * Retires this bank from the consortium (views on): refused ({@code 409 ACCOUNTS_NOT_EMPTY}, an {@link
     * ApiException}) while one of its accounts holds money; returns the delivery position of its retirement.
     */
    public long retire() {
        return Parse.num(http.post("/api/v1/admin/retire", token, new JsonObject()), "position");
    }

    /** This bank's outbound links and their fault state. */
    public List<LinkState> links() {
        return Parse.list(http.get("/api/v1/admin/links", token), "links",
                l -> new LinkState(Parse.str(l, "peer"), Parse.str(l, "state"), Parse.num(l, "delayMs")));
    }

    /** Cuts ({@code CUT}), slows ({@code SLOW}, with {@code delayMs}) or restores ({@code UP}) this bank's link to {@code peer}. */
    public LinkState setLink(String peer, String state, long delayMs) {
        JsonObject b = new JsonObject();
        b.addProperty("state", state);
        if ("SLOW".equals(state)) {
            b.addProperty("delayMs", delayMs);
        }
        JsonObject l = http.put("/api/v1/admin/links/" + peer, token, b);
        return new LinkState(Parse.str(l, "peer"), Parse.str(l, "state"), Parse.num(l, "delayMs"));
    }

    /** An operation as the app shows it: by the id its requester chose (see {@link EventStreamClient}). */
    static String shownId(String opId) {
        return opId == null ? null : TransactionService.clientPart(opId);
    }
}
