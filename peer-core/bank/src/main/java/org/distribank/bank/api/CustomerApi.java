package org.distribank.bank.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import org.distribank.bank.account.Account;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.AccountService;
import org.distribank.bank.account.AccountType;
import org.distribank.bank.consent.ConsentService;
import org.distribank.bank.execution.Applier;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.TransactionResult;
import org.distribank.bank.execution.TransactionService;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.bank.pix.InvalidPixKeyException;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.pix.PixEntry;
import org.distribank.bank.pix.PixKey;
import org.distribank.bank.pix.PixKeyType;
import org.distribank.bank.session.Session;
import org.distribank.bank.session.SessionService;
import org.distribank.common.ApiException;
import org.distribank.common.JsonResponses;
import org.distribank.common.StrictJson;

/** The customer API of API.md ({@code /api/v1}, sessions as {@code Authorization: Bearer <token>}). */
public final class CustomerApi {

    private static final long READ_WAIT_MS = 2_000;

    private final String self;
    private final AccountService accountService;
    private final AccountDirectory accounts;
    private final SessionService sessions;
    private final TransactionService transactions;
    private final BankMachine machine;
    private final Applier applier;
    private final PixDirectory pix;
    private final LedgerClient ledger;
    private final ConsentService consents;

    public CustomerApi(String self, AccountService accountService, AccountDirectory accounts, SessionService sessions,
                       TransactionService transactions, BankMachine machine, Applier applier, PixDirectory pix,
                       LedgerClient ledger, ConsentService consents) {
        this.self = self;
        this.accountService = accountService;
        this.accounts = accounts;
        this.sessions = sessions;
        this.transactions = transactions;
        this.machine = machine;
        this.applier = applier;
        this.pix = pix;
        this.ledger = ledger;
        this.consents = consents;
    }

    public void register(JavalinConfig config) {
        var r = config.routes;
        r.post("/api/v1/accounts", ctx -> {
            Account a = accountService.open(Requests.openAccount(body(ctx)));
            send(ctx, 201, Views.account(self, a, 0));
        });
        r.post("/api/v1/accounts/{account}/holders", ctx -> {
            Session s = session(ctx);
            Account a = accountService.addHolder(s.cpf(), ctx.pathParam("account"),
                    Requests.holder(body(ctx)));
            send(ctx, 201, Views.account(self, a, machine.balance(a.id())));
        });
        r.delete("/api/v1/accounts/{account}/holders/{cpf}", ctx -> {
            Session s = session(ctx);
            String id = ctx.pathParam("account");
            List<String> keys = pix.ofAccount(self, id).stream().map(PixEntry::key).toList();
            Account a = accountService.removeHolder(s.cpf(), id, ctx.pathParam("cpf"), keys);
            send(ctx, 200, Views.account(self, a, machine.balance(a.id())));
        });
        r.post("/api/v1/sessions", ctx -> {
            JsonObject b = body(ctx);
            Bodies.SessionRequest req = new Bodies.SessionRequest(StrictJson.string(b, "username", 64),
                    StrictJson.string(b, "password", 200));
            Session s = sessions.login(req.username(), req.password(), ctx.ip());
            JsonObject o = new JsonObject();
            o.addProperty("token", s.token());
            o.addProperty("expiresAt", s.expiresAt().toString());
            o.add("holder", Views.holder(s.name(), s.cpf()));
            o.add("accounts", myAccounts(s));
            send(ctx, 201, o);
        });
        r.delete("/api/v1/sessions/current", ctx -> {
            sessions.logout(session(ctx));
            ctx.status(204);
        });
        r.get("/api/v1/me", ctx -> {
            Session s = session(ctx);
            JsonObject o = new JsonObject();
            o.add("holder", Views.holder(s.name(), s.cpf()));
            o.add("accounts", myAccounts(s));
            // accounts at other banks only where their holder linked a consent of that bank here (API.md v1.1)
            o.add("linked", consents.linked(s));
            send(ctx, 200, o);
        });
        r.get("/api/v1/accounts/{account}", ctx -> {
            Account a = heldAccount(session(ctx), ctx.pathParam("account"));
            send(ctx, 200, Views.account(self, a, machine.balance(a.id())));
        });
        r.get("/api/v1/accounts/{account}/statement", ctx -> {
            Session s = session(ctx);
            Account a = heldAccount(s, ctx.pathParam("account"));
            long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
            int limit = (int) longParam(ctx, "limit", 1000, 1, 1000);
            // the statement lives at the data server: let the applier catch up with what was decided here
            applier.awaitApplied(applier.enqueuedPosition(), READ_WAIT_MS);
            JsonArray entries = new JsonArray();
            for (JsonElement e : ledger.statement(a.id(), after, limit)) {
                JsonObject in = e.getAsJsonObject();
                JsonObject out = new JsonObject();
                out.add("entry", in.get("entry"));
                out.add("transaction", transactionIdFor(in.get("transaction")));
                out.add("kind", in.get("kind"));
                out.add("amount", in.get("amount"));
                out.add("balanceAfter", in.get("balance_after"));
                out.add("at", in.get("at"));
                out.add("counterparty", in.get("counterparty"));
                entries.add(out);
            }
            JsonObject o = new JsonObject();
            o.add("entries", entries);
            send(ctx, 200, o);
        });
        r.post("/api/v1/pix-keys", ctx -> {
            Session s = session(ctx);
            JsonObject b = body(ctx);
            Bodies.PixKeyRequest req = new Bodies.PixKeyRequest(StrictJson.string(b, "account", 64),
                    StrictJson.enumValue(b, "type", PixKeyType.class), StrictJson.optString(b, "value", 100));
            String account = req.account();
            PixKeyType type = req.type();
            String value = req.value();
            Account a = heldAccount(s, account);
            if (!a.managesKeys(s.cpf())) {
                throw new ApiException(403, "NOT_ADMIN", "Only the admin manages a business account's PIX keys.");
            }
            PixKey key = pixKeyFor(s, a, type, value);
            String owner = type == PixKeyType.CNPJ ? a.companyName() : s.name();
            PixEntry e = transactions.registerPix(s, account, key, owner);
            send(ctx, 201, Views.pixKey(e));
        });
        r.get("/api/v1/pix-keys", ctx -> {
            Session s = session(ctx);
            JsonArray keys = new JsonArray();
            for (Account a : accounts.heldBy(s.cpf())) {
                pix.ofAccount(self, a.id()).forEach(e -> keys.add(Views.pixKey(e)));
            }
            JsonObject o = new JsonObject();
            o.add("keys", keys);
            send(ctx, 200, o);
        });
        r.get("/api/v1/pix-keys/{key}", ctx -> {
            session(ctx);
            PixEntry e = pix.get(canonicalKey(ctx.pathParam("key"))).orElseThrow(() -> ApiException.notFound(
                    "PIX_KEY_NOT_FOUND", "No account has this PIX key."));
            send(ctx, 200, Views.json(new Bodies.PixResolution(e.key(), e.type(), e.bank(), e.account(),
                    e.maskedName())));
        });
        r.delete("/api/v1/pix-keys/{key}", ctx -> {
            Session s = session(ctx);
            transactions.removePix(s, canonicalKey(ctx.pathParam("key")));
            ctx.status(204);
        });
        r.post("/api/v1/deposits", ctx -> {
            Session s = session(ctx);
            answer(ctx, transactions.deposit(s, Requests.deposit(body(ctx))));
        });
        r.post("/api/v1/withdrawals", ctx -> {
            Session s = session(ctx);
            answer(ctx, transactions.withdraw(s, Requests.withdrawal(body(ctx))));
        });
        r.post("/api/v1/transfers", ctx -> {
            Session s = session(ctx);
            answer(ctx, transactions.transfer(s, Requests.transfer(body(ctx))));
        });
        r.get("/api/v1/transactions/{id}", ctx -> answer(ctx, transactions.get(session(ctx), ctx.pathParam("id"))));
    }

    private PixKey pixKeyFor(Session s, Account a, PixKeyType type, String value) {
        try {
            switch (type) {
                case CPF -> {
                    if (value != null && !PixKey.parse(PixKeyType.CPF, value).value().equals(s.cpf())) {
                        throw ApiException.badRequest("NOT_YOUR_CPF", "A CPF key is your own CPF.");
                    }
                    return new PixKey(PixKeyType.CPF, s.cpf());
                }
                case CNPJ -> {
                    if (a.type() != AccountType.BUSINESS) {
                        throw ApiException.badRequest("NOT_A_BUSINESS", "A CNPJ key belongs to a business account.");
                    }
                    if (value != null && !PixKey.parse(PixKeyType.CNPJ, value).value().equals(a.cnpj())) {
                        throw ApiException.badRequest("NOT_YOUR_CNPJ", "A CNPJ key is the company's own CNPJ.");
                    }
                    return new PixKey(PixKeyType.CNPJ, a.cnpj());
                }
                case EMAIL, PHONE -> {
                    // no proof of ownership is asked, so only what the holder registered at opening can be a key
                    PixKey k = PixKey.parse(type, value);
                    String field = type == PixKeyType.EMAIL ? "email" : "phone";
                    if (!k.value().equals(registeredContact(s.cpf(), type, field))) {
                        String what = type == PixKeyType.EMAIL ? "e-mail" : "phone number";
                        throw ApiException.badRequest("NOT_YOUR_" + type.name(), "This key must be the " + what
                                + " you registered when you became a customer of this bank.");
                    }
                    return k;
                }
                case RANDOM -> {
                    if (value != null) {
                        throw ApiException.badRequest("RANDOM_KEY_VALUE", "The bank chooses a random key's value.");
                    }
                    return PixKey.random();
                }
                default -> {
                    return PixKey.parse(type, value);
                }
            }
        } catch (InvalidPixKeyException e) {
            throw ApiException.badRequest("INVALID_PIX_KEY", e.getMessage());
        }
    }

    /** The customer's registered e-mail or phone in a key's canonical form, or null. */
    private String registeredContact(String cpf, PixKeyType type, String field) {
        return ledger.customer(cpf).map(c -> c.get(field)).filter(e -> e != null && !e.isJsonNull()).map(e -> {
            try {
                return PixKey.parse(type, e.getAsString()).value();
            } catch (InvalidPixKeyException x) {
                return null; // registered before contacts were checked: cannot be a key
            }
        }).orElse(null);
    }

    /** A statement's transaction: the id its requester chose (the payee sees the payer's id too). */
    private static JsonElement transactionIdFor(JsonElement opId) {
        if (opId == null || opId.isJsonNull()) {
            return opId;
        }
        return new com.google.gson.JsonPrimitive(TransactionService.clientPart(opId.getAsString()));
    }

    private static String canonicalKey(String text) {
        try {
            return PixKey.parseAny(text).value();
        } catch (InvalidPixKeyException e) {
            throw ApiException.badRequest("INVALID_PIX_KEY", e.getMessage());
        }
    }

    private JsonArray myAccounts(Session s) {
        JsonArray list = new JsonArray();
        for (Account a : accounts.heldBy(s.cpf())) {
            list.add(Views.accountSummary(self, a, machine.balance(a.id())));
        }
        return list;
    }

    /** One of the session's accounts; an unknown account and someone else's get the same 404 (no probing). */
    private Account heldAccount(Session s, String id) {
        return accounts.get(id).filter(a -> a.heldBy(s.cpf())).orElseThrow(() -> AccountService.noSuchAccount(id));
    }

    private Session session(Context ctx) {
        return sessions.authenticate(ctx.header("Authorization"));
    }

    static JsonObject body(Context ctx) {
        return StrictJson.parseObject(RequestLimits.body(ctx));
    }

    private static long longParam(Context ctx, String name, long dflt, long min, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_QUERY", "'" + name + "' must be a whole number from " + min
                    + " to " + max + ".");
        }
    }

    /** 200 once decided, 202 while PENDING. */
    private static void answer(Context ctx, TransactionResult r) {
        send(ctx, r.status() == TransactionResult.Status.PENDING ? 202 : 200, Views.json(r));
    }

    static void send(Context ctx, int status, JsonObject body) {
        JsonResponses.send(ctx, status, body);
    }
}
