package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.Holder;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.DecidedOperation;
import org.distribank.bank.execution.Reason;
import org.distribank.bank.execution.TransactionResult;
import org.distribank.bank.execution.TransactionService;
import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.LinkControls;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;
import org.distribank.consortium.entity.ConsortiumView;
import org.distribank.consortium.entity.PeerStatus;
import org.distribank.consortium.entity.QueueEntry;

/**
 * The operator API of API.md ({@code Authorization: Bearer <operator token>}), plus this bank's link controls
 * ({@code /api/v1/admin/links}: cut, slow or restore its outbound traffic to one other bank; BANK.md).
 */
public final class OperatorApi {

    /** The longest delay {@code PUT /api/v1/admin/links/{peer}} accepts for SLOW. */
    public static final long MAX_LINK_DELAY_MS = 10_000;
    /** Operations per page of /admin/operations when no limit is given, and the most one page holds. */
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1_000;
    private static final Pattern DELAY = Pattern.compile("0|[1-9][0-9]{0,5}");

    private final String self;
    private final byte[] expected;
    private final ConsortiumNode node;
    private final BankMachine machine;
    private final TransactionService transactions;
    private final AccountDirectory accounts;
    private final LinkControls links;
    /** Every other bank, in the configuration's order. */
    private final List<String> others;

    public OperatorApi(String self, String operatorToken, ConsortiumNode node, BankMachine machine,
                       TransactionService transactions, AccountDirectory accounts, LinkControls links,
                       List<String> peerIds) {
        this.self = self;
        this.expected = ("Bearer " + operatorToken).getBytes(StandardCharsets.UTF_8);
        this.node = node;
        this.machine = machine;
        this.transactions = transactions;
        this.accounts = accounts;
        this.links = links;
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.before("/api/v1/events", this::operator);
        ConsortiumRoutes.registerEvents(config, "/api/v1/events", node.events());
        r.get("/api/v1/consortium", ctx -> {
            operator(ctx);
            JsonObject view = view(node.view());
            JsonObject snapshot = new JsonObject(); // API.md: the latest durable snapshot's position and time
            snapshot.addProperty("position", node.snapshotPosition());
            snapshot.addProperty("at", node.snapshotAt().map(Object::toString).orElse(null));
            view.add("snapshot", snapshot);
            CustomerApi.send(ctx, 200, view);
        });
        r.post("/api/v1/audits", ctx -> {
            operator(ctx);
            CustomerApi.send(ctx, 200, Views.json(transactions.audit()));
        });
        r.post("/api/v1/admin/retire", ctx -> {
            operator(ctx);
            // this bank leaves the consortium: only empty (else 409 ACCOUNTS_NOT_EMPTY), see BANK.md
            var o = transactions.retireThisBank();
            CustomerApi.send(ctx, 200, StrictJson.GSON.toJsonTree(new Bodies.Retired(self, true, o.id(),
                    o.position())).getAsJsonObject());
        });
        r.post("/api/v1/admin/add-bank", ctx -> {
            operator(ctx);
            // a configured slot joins the running consortium (BANK.md "Adding a bank"): this member asks the view
            // ballot to add it; the bank, started with an empty data directory, takes its first snapshot from a member
            String bank = StrictJson.id(StrictJson.parseObject(RequestLimits.body(ctx)), "bank");
            if (!others.contains(bank)) {
                throw ApiException.notFound("BANK_NOT_FOUND", bank.equals(self) ? bank + " is this bank."
                        : "No other bank of this consortium is called " + abbreviate(bank) + ".");
            }
            if (machine.retiredBanks().contains(bank)) {
                throw ApiException.conflict(BankMachine.BANK_RETIRED, "Bank " + bank + " has retired from the "
                        + "consortium: it is not added again.");
            }
            if (node.view().view().isMember(bank)) {
                throw ApiException.conflict("ALREADY_MEMBER", "Bank " + bank + " is a member of the view already.");
            }
            node.admit(bank);
            CustomerApi.send(ctx, 202, StrictJson.GSON.toJsonTree(new Bodies.Admitted(bank, node.view().view()
                    .epoch())).getAsJsonObject());
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
        r.get("/api/v1/admin/links", ctx -> {
            operator(ctx);
            JsonArray list = new JsonArray();
            for (String p : others) {
                list.add(linkJson(links.link(p)));
            }
            JsonObject o = new JsonObject();
            o.add("links", list);
            CustomerApi.send(ctx, 200, o);
        });
        r.put("/api/v1/admin/links/{peer}", ctx -> {
            operator(ctx);
            String peer = ctx.pathParam("peer");
            if (!others.contains(peer)) {
                throw ApiException.notFound("PEER_NOT_FOUND", peer.equals(self)
                        ? peer + " is this bank: a link goes from here to another bank."
                        : "No other bank of this consortium is called " + abbreviate(peer) + ".");
            }
            LinkChange change = linkChange(RequestLimits.body(ctx));
            CustomerApi.send(ctx, 200, linkJson(links.setLink(peer, change.mode(), change.delayMs())));
        });
        r.get("/api/v1/admin/operations", ctx -> {
            operator(ctx);
            long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
            int limit = (int) longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
            JsonArray ops = new JsonArray();
            List<DecidedOperation> page = machine.decidedAfter(after, limit);
            for (DecidedOperation d : page) {
                JsonObject o = Views.json(TransactionResult.of(d.outcome()));
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
            // the position to ask after for the next page; absent once this page is the last
            if (page.size() == limit) {
                o.addProperty("next", page.get(page.size() - 1).outcome().position());
            }
            CustomerApi.send(ctx, 200, o);
        });
    }

    /** A whole-number query parameter in [min, max], {@code absent} when not given; else a 400. */
    private static long longParam(Context ctx, String name, long absent, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("INVALID_" + name.toUpperCase(java.util.Locale.ROOT), "'" + name
                + "' is a whole number from " + min + " to " + max + ".");
    }

    /** {"peer","state":"UP"|"CUT"|"SLOW","delayMs"}. */
    static JsonObject linkJson(LinkState l) {
        JsonObject o = new JsonObject();
        o.addProperty("peer", l.peer());
        o.addProperty("state", l.mode().name());
        o.addProperty("delayMs", l.delayMs());
        return o;
    }

    /** A link change as asked: the whole body is checked before anything changes. */
    private record LinkChange(LinkMode mode, long delayMs) {
    }

    /**
     * {@code {"state":"UP"}}, {@code {"state":"CUT"}} or {@code {"state":"SLOW","delayMs":N}} with 1 <= N <=
     * MAX_LINK_DELAY_MS. UP and CUT take no delay: {@code delayMs} absent, null or 0 (so a GET entry can be sent
     * back as it is), anything else is a 400. Other fields are ignored.
     */
    static LinkChange linkChange(String body) {
        JsonObject o = StrictJson.parseObject(body);
        LinkMode mode = StrictJson.enumValue(o, "state", LinkMode.class);
        JsonElement d = o.get("delayMs");
        boolean given = d != null && !d.isJsonNull();
        if (mode != LinkMode.SLOW) {
            if (given && delayLiteral(d) != 0) {
                throw ApiException.badRequest("INVALID_FIELD",
                        "Field 'delayMs' is only for SLOW; " + mode + " takes none (or 0).");
            }
            return new LinkChange(mode, 0);
        }
        if (!given) {
            throw ApiException.badRequest("MISSING_FIELD",
                    "Field 'delayMs' is required for SLOW (1 to " + MAX_LINK_DELAY_MS + " ms).");
        }
        long ms = delayLiteral(d);
        if (ms < 1 || ms > MAX_LINK_DELAY_MS) {
            throw ApiException.badRequest("INVALID_FIELD",
                    "Field 'delayMs' must be from 1 to " + MAX_LINK_DELAY_MS + " ms, got " + ms + ".");
        }
        return new LinkChange(mode, ms);
    }

    /** A non-negative JSON integer literal (no fraction, exponent, sign or string), at most 6 digits. */
    private static long delayLiteral(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !DELAY.matcher(e.getAsString()).matches()) {
            throw ApiException.badRequest("INVALID_FIELD",
                    "Field 'delayMs' must be an integer number of milliseconds from 1 to " + MAX_LINK_DELAY_MS + ".");
        }
        return Long.parseLong(e.getAsString());
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
        o.add("clock", clockJson(v.clock()));
        JsonArray queue = new JsonArray();
        for (QueueEntry q : v.queue()) {
            JsonObject qo = new JsonObject();
            qo.addProperty("id", q.id());
            qo.addProperty("origin", q.origin());
            qo.add("clock", clockJson(q.clock()));
            JsonArray acks = new JsonArray();
            q.acks().forEach(acks::add);
            qo.add("acks", acks);
            qo.addProperty("state", q.state());
            queue.add(qo);
        }
        o.add("queue", queue);
        o.addProperty("delivered", v.delivered());
        o.addProperty("logHash", v.logHash());
        JsonObject view = new JsonObject(); // API.md: the banks now ordering together (DESIGN.md "Views")
        view.addProperty("epoch", v.view().epoch());
        JsonArray members = new JsonArray();
        v.view().members().forEach(members::add);
        view.add("members", members);
        JsonArray banks = new JsonArray(); // every configured bank: those not among the members are out of the view
        v.view().banks().forEach(banks::add);
        view.add("banks", banks);
        o.add("view", view);
        return o;
    }

    private static JsonObject clockJson(org.distribank.consortium.entity.VectorClock clock) {
        JsonObject c = new JsonObject();
        if (clock != null) {
            clock.entries().forEach(c::addProperty);
        }
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private void operator(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !MessageDigest.isEqual(expected, h.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "UNAUTHORIZED", h == null ? "The operator token is missing."
                    : "The operator token is wrong.");
        }
    }
}
