package org.distribank.bank.ledger;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** The data server's snake_case JSON of the applier's typed writes (data-server/README.md, "/postings"). */
final class LedgerJson {

    private LedgerJson() {
    }

    static JsonObject posting(Posting p) {
        JsonObject o = new JsonObject();
        o.addProperty("operation_id", p.operationId());
        o.addProperty("account_id", p.account());
        o.addProperty("value", p.amount());
        o.addProperty("kind", p.kind().name());
        o.addProperty("transaction", p.transaction());
        if (p.counterparty() != null) {
            o.addProperty("counterparty", p.counterparty());
        }
        return o;
    }

    static JsonArray postings(List<Posting> postings) {
        JsonArray a = new JsonArray(postings.size());
        postings.forEach(p -> a.add(posting(p)));
        return a;
    }

    /** The record inside a postings batch ({@code outcomes[]}): with its {@code transaction_id}. */
    static JsonObject outcome(OutcomeRecord r) {
        JsonObject o = outcomeBody(r);
        JsonObject withId = new JsonObject();
        withId.addProperty("transaction_id", r.transactionId());
        o.entrySet().forEach(e -> withId.add(e.getKey(), e.getValue()));
        return withId;
    }

    /** The body of {@code PUT /transactions/{id}}: the record without its id (the path names it). */
    static JsonObject outcomeBody(OutcomeRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("fingerprint", r.fingerprint() == null ? "none" : r.fingerprint());
        o.addProperty("status", r.status());
        if (r.reason() != null) {
            o.addProperty("reason", r.reason());
            if (r.failedLeg() != null) {
                o.addProperty("failed_leg", r.failedLeg());
            }
        }
        JsonObject order = new JsonObject();
        order.addProperty("origin", r.origin());
        JsonObject clock = new JsonObject();
        r.clock().forEach(clock::addProperty);
        order.add("clock", clock);
        o.add("order", order);
        return o;
    }

    static JsonObject pixKey(PixKeyCreated k) {
        JsonObject o = new JsonObject();
        o.addProperty("key", k.key());
        o.addProperty("type", k.type());
        o.addProperty("account_id", k.account());
        return o;
    }
}
