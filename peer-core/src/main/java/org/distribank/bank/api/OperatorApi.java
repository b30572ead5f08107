package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.Holder;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.DecidedOperation;
import org.distribank.bank.execution.Reason;
import org.distribank.bank.execution.TransactionService;
import org.distribank.common.ApiException;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.PeerStatus;
import org.distribank.consortium.entity.QueueEntry;
import org.distribank.consortium.observe.EventStreamRoute;

/** The operator API of API.md ({@code Authorization: Bearer <operator token>}). */
public final class OperatorApi {

    private final String self;
    private final byte[] expected;
    private final ConsortiumNode node;
    private final BankMachine machine;
    private final TransactionService transactions;
    private final AccountDirectory accounts;

    public OperatorApi(String self, String operatorToken, ConsortiumNode node, BankMachine machine,
                       TransactionService transactions, AccountDirectory accounts) {
        this.self = self;
        this.expected = ("Bearer " + operatorToken).getBytes(StandardCharsets.UTF_8);
        this.node = node;
        this.machine = machine;
        this.transactions = transactions;
        this.accounts = accounts;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.before("/api/v1/events", this::operator);
        EventStreamRoute.register(config, "/api/v1/events", node.events());
        r.get("/api/v1/consortium", ctx -> {
            operator(ctx);
            CustomerApi.send(ctx, 200, view(node.view()));
        });
        r.post("/api/v1/audits", ctx -> {
            operator(ctx);
            CustomerApi.send(ctx, 200, transactions.audit());
        });
        r.get("/api/v1/admin/clients", ctx -> {
            operator(ctx);
            Map<String, JsonObject> byCpf = new TreeMap<>();
            for (Account a : accounts.all()) {
                for (Holder h : a.holders()) {
                    JsonObject c = byCpf.computeIfAbsent(h.cpf(), cpf -> {
                        JsonObject o = new JsonObject();
                        o.addProperty("cpf", cpf);
                        o.addProperty("name", h.name());
                        o.add("accounts", new JsonArray());
                        return o;
                    });
                    JsonObject ao = new JsonObject();
                    ao.addProperty("account", a.id());
                    ao.addProperty("type", a.type().name());
                    ao.addProperty("role", h.role().name());
                    ao.addProperty("balance", machine.balance(a.id()));
                    c.getAsJsonArray("accounts").add(ao);
                }
            }
            JsonArray clients = new JsonArray();
            byCpf.values().forEach(clients::add);
            JsonObject o = new JsonObject();
            o.add("clients", clients);
            CustomerApi.send(ctx, 200, o);
        });
        r.get("/api/v1/admin/operations", ctx -> {
            operator(ctx);
            JsonArray ops = new JsonArray();
            for (DecidedOperation d : machine.history()) {
                JsonObject o = TransactionService.result(d.outcome());
                o.addProperty("kind", d.operation() == null ? "UNREADABLE" : d.operation().kind().name());
                if (!d.outcome().committed()) {
                    o.addProperty("voter", d.outcome().voter());
                    o.addProperty("rawReason", Reason.parse(d.outcome().reason()).code());
                }
                ops.add(o);
            }
            JsonObject o = new JsonObject();
            o.addProperty("bank", self);
            o.add("operations", ops);
            CustomerApi.send(ctx, 200, o);
        });
    }

    /** API.md's shape of the consortium view: clocks as plain {"b1":3,...} maps. */
    static JsonObject view(ConsortiumView v) {
        JsonObject o = new JsonObject();
        o.addProperty("self", v.self());
        JsonArray peers = new JsonArray();
        for (PeerStatus p : v.peers()) {
            JsonObject po = new JsonObject();
            po.addProperty("id", p.id());
            po.addProperty("name", p.name());
            po.addProperty("url", p.url());
            po.addProperty("online", p.online());
            po.addProperty("lastSeenMs", p.lastSeenMs());
            peers.add(po);
        }
        o.add("peers", peers);
        o.add("clock", BankMachine.clockJson(v.clock()));
        JsonArray queue = new JsonArray();
        for (QueueEntry q : v.queue()) {
            JsonObject qo = new JsonObject();
            qo.addProperty("id", q.id());
            qo.addProperty("origin", q.origin());
            qo.add("clock", BankMachine.clockJson(q.clock()));
            JsonArray acks = new JsonArray();
            q.acks().forEach(acks::add);
            qo.add("acks", acks);
            qo.addProperty("state", q.state());
            queue.add(qo);
        }
        o.add("queue", queue);
        o.addProperty("delivered", v.delivered());
        o.addProperty("logHash", v.logHash());
        return o;
    }

    private void operator(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !MessageDigest.isEqual(expected, h.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "UNAUTHORIZED", h == null ? "The operator token is missing."
                    : "The operator token is wrong.");
        }
    }
}
