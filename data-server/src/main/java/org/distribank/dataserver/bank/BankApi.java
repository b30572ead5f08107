package org.distribank.dataserver.bank;

import org.distribank.common.StrictJson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.distribank.common.ApiException;
import org.distribank.dataserver.api.Json;
import org.distribank.dataserver.api.TokenAuth;
import org.distribank.dataserver.balance.EntryKind;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.balance.Posting;
import org.distribank.dataserver.store.Database;
import org.distribank.dataserver.store.GroupCommitWriter;

/**
 * The resource set a bank peer keeps here, under {@code /v1/banks/{businessId}}: customers, accounts and
 * holders, PIX keys, statements, transaction outcomes, the atomic postings batch and the bank's total.
 * Field names are snake_case like the original calls.
 */
public final class BankApi {

    private static final String BASE = "/v1/banks/{businessId}";
    private static final Pattern CPF = Pattern.compile("[0-9]{11}");
    private static final Pattern CNPJ = Pattern.compile("[0-9]{14}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_BATCH = 1_000;
    private static final int MAX_STATEMENT = 1_000;

    private final TokenAuth auth;
    private final Database database;
    private final GroupCommitWriter writer;
    private final Ledger ledger;

    public BankApi(TokenAuth auth, Database database, GroupCommitWriter writer, Ledger ledger) {
        this.auth = auth;
        this.database = database;
        this.writer = writer;
        this.ledger = ledger;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE + "/customers", this::createCustomer);
        routes.get(BASE + "/customers/{cpf}", this::getCustomer);
        routes.get(BASE + "/customers/{cpf}/accounts", this::accountsOfCustomer);
        routes.get(BASE + "/usernames/{username}", this::customerByUsername);
        routes.post(BASE + "/accounts", this::openAccount);
        routes.get(BASE + "/accounts/{accountId}", this::getAccount);
        routes.post(BASE + "/accounts/{accountId}/holders", this::addHolder);
        routes.get(BASE + "/accounts/{accountId}/statement", this::statement);
        routes.get(BASE + "/accounts/{accountId}/pix-keys", this::pixKeysOfAccount);
        routes.post(BASE + "/balances", this::balances);
        routes.post(BASE + "/postings", this::postings);
        routes.get(BASE + "/total", this::total);
        routes.post(BASE + "/pix-keys", this::createPixKey);
        routes.get(BASE + "/pix-keys/{key}", this::getPixKey);
        routes.delete(BASE + "/pix-keys/{key}", this::deletePixKey);
        routes.put(BASE + "/transactions/{transactionId}", this::putTransaction);
        routes.get(BASE + "/transactions/{transactionId}", this::getTransaction);
    }

    /** A read on a pooled connection (never the writer: reads take no locks and wait for no batch). */
    @FunctionalInterface
    private interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> read) throws SQLException {
        try (Connection c = database.connection()) {
            return read.apply(c);
        }
    }

    private static <T> T found(T value, String code, String message) {
        if (value == null) {
            throw ApiException.notFound(code, message);
        }
        return value;
    }

    // ---- customers

    private void createCustomer(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = StrictJson.parseObject(ctx.body());
        BankStore.Customer cu = new BankStore.Customer(
                StrictJson.matching(b, "cpf", CPF, "11 digits"),
                StrictJson.string(b, "name", 200),
                StrictJson.matching(b, "username", USERNAME, "1-64 letters, digits, '.', '_' or '-'"),
                StrictJson.string(b, "password_hash", 200),
                StrictJson.optString(b, "email", 200),
                StrictJson.optString(b, "phone", 40));
        Json.send(ctx, 201, writer.execute(c -> BankStore.insertCustomer(c, bank, cu)));
    }

    private void getCustomer(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String cpf = ctx.pathParam("cpf");
        Json.send(ctx, 200, found(read(c -> BankStore.customer(c, bank, cpf)), "CUSTOMER_NOT_FOUND",
                "No customer with that CPF at this bank."));
    }

    private void customerByUsername(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String username = ctx.pathParam("username");
        Json.send(ctx, 200, found(read(c -> BankStore.customerByUsername(c, bank, username)), "CUSTOMER_NOT_FOUND",
                "No customer with that username at this bank."));
    }

    private void accountsOfCustomer(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String cpf = ctx.pathParam("cpf");
        JsonObject out = new JsonObject();
        out.add("accounts", read(c -> {
            found(BankStore.customer(c, bank, cpf), "CUSTOMER_NOT_FOUND", "No customer with that CPF at this bank.");
            return BankStore.accountsOf(c, bank, cpf);
        }));
        Json.send(ctx, 200, out);
    }

    // ---- accounts

    private void openAccount(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = StrictJson.parseObject(ctx.body());
        String accountId = StrictJson.id(b, "account_id");
        AccountType type = StrictJson.enumValue(b, "type", AccountType.class);
        JsonObject company = StrictJson.optObject(b, "company");
        String companyName = null;
        String companyCnpj = null;
        if (type == AccountType.BUSINESS) {
            if (company == null) {
                throw ApiException.badRequest("MISSING_FIELD", "A BUSINESS account needs a company {name, cnpj}.");
            }
            companyName = StrictJson.string(company, "name", 200);
            companyCnpj = StrictJson.matching(company, "cnpj", CNPJ, "14 digits");
        } else if (company != null) {
            throw ApiException.badRequest("INVALID_FIELD", "Only a BUSINESS account has a company.");
        }
        JsonArray holdersJson = StrictJson.array(b, "holders", 100);
        List<BankStore.Holder> holders = new ArrayList<>();
        Set<String> cpfs = new HashSet<>();
        for (int i = 0; i < holdersJson.size(); i++) {
            BankStore.Holder h = holder(StrictJson.element(holdersJson, i, "holders"));
            if (!cpfs.add(h.cpf())) {
                throw ApiException.badRequest("DUPLICATE_HOLDER", "A CPF appears twice in holders.");
            }
            holders.add(h);
        }
        BankStore.NewAccount account = new BankStore.NewAccount(accountId, type, companyName, companyCnpj, holders);
        Json.send(ctx, 201, writer.execute(c -> BankStore.insertAccount(c, bank, account)));
    }

    private static BankStore.Holder holder(JsonObject o) {
        return new BankStore.Holder(StrictJson.matching(o, "cpf", CPF, "11 digits"),
                StrictJson.enumValue(o, "role", HolderRole.class));
    }

    private void getAccount(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String accountId = ctx.pathParam("accountId");
        Json.send(ctx, 200, found(read(c -> BankStore.account(c, bank, accountId)), "ACCOUNT_NOT_FOUND",
                "Account " + accountId + " does not exist."));
    }

    private void addHolder(Context ctx) {
        String bank = auth.bank(ctx);
        String accountId = StrictJson.checkId(ctx.pathParam("accountId"), "accountId");
        BankStore.Holder h = holder(StrictJson.parseObject(ctx.body()));
        Json.send(ctx, 201, writer.execute(c -> BankStore.addHolder(c, bank, accountId, h)));
    }

    private void statement(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String accountId = ctx.pathParam("accountId");
        long after = queryLong(ctx, "after", 0, Long.MAX_VALUE);
        int limit = (int) queryLong(ctx, "limit", MAX_STATEMENT, MAX_STATEMENT);
        if (limit == 0) {
            throw ApiException.badRequest("INVALID_QUERY", "Query parameter 'limit' must be from 1 to " + MAX_STATEMENT
                    + ".");
        }
        JsonObject out = new JsonObject();
        out.add("entries", read(c -> {
            found(BankStore.account(c, bank, accountId), "ACCOUNT_NOT_FOUND", "Account " + accountId + " does not exist.");
            return BankStore.statement(c, bank, accountId, after, limit);
        }));
        Json.send(ctx, 200, out);
    }

    private static long queryLong(Context ctx, String name, long dflt, long max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        if (!v.matches("[0-9]{1,18}") || Long.parseLong(v) > max) {
            throw ApiException.badRequest("INVALID_QUERY", "Query parameter '" + name + "' must be an integer from 0 to "
                    + max + ".");
        }
        return Long.parseLong(v);
    }

    private void balances(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        JsonArray ids = StrictJson.array(StrictJson.parseObject(ctx.body()), "account_ids", MAX_BATCH);
        List<String> accounts = new ArrayList<>();
        for (JsonElement e : ids) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw ApiException.badRequest("INVALID_FIELD", "account_ids must be strings.");
            }
            accounts.add(StrictJson.checkId(e.getAsString(), "account_ids"));
        }
        JsonObject balances = new JsonObject();
        JsonArray missing = new JsonArray();
        read(c -> {
            for (String a : accounts) {
                Long balance = Ledger.balance(c, bank, a);
                if (balance == null) {
                    missing.add(a);
                } else {
                    balances.addProperty(a, balance);
                }
            }
            return null;
        });
        JsonObject out = new JsonObject();
        out.add("balances", balances);
        out.add("missing", missing);
        Json.send(ctx, 200, out);
    }

    private void total(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        Json.send(ctx, 200, read(c -> BankStore.total(c, bank)));
    }

    // ---- postings

    private void postings(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = StrictJson.parseObject(ctx.body());
        JsonArray items = StrictJson.array(b, "postings", MAX_BATCH);
        List<Posting> postings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject p = StrictJson.element(items, i, "postings");
            long value = StrictJson.signedCents(p, "value");
            if (value == 0) {
                throw ApiException.badRequest("INVALID_AMOUNT", "postings[" + i + "].value must not be zero.");
            }
            postings.add(new Posting(StrictJson.id(p, "operation_id"), StrictJson.id(p, "account_id"), value,
                    StrictJson.enumValue(p, "kind", EntryKind.class), StrictJson.optId(p, "transaction"),
                    StrictJson.optString(p, "counterparty", 200)));
        }
        Ledger.requireDistinctOperations(postings);
        // the outcome records written with the postings: "outcome" (one) and/or "outcomes" (many), same transaction
        List<BankStore.Outcome> outcomes = new ArrayList<>();
        JsonObject outcomeJson = StrictJson.optObject(b, "outcome");
        if (outcomeJson != null) {
            outcomes.add(outcome(StrictJson.id(outcomeJson, "transaction_id"), outcomeJson));
        }
        if (b.has("outcomes") && !b.get("outcomes").isJsonNull()) {
            JsonArray many = StrictJson.array(b, "outcomes", MAX_BATCH);
            for (int i = 0; i < many.size(); i++) {
                JsonObject o = StrictJson.element(many, i, "outcomes");
                outcomes.add(outcome(StrictJson.id(o, "transaction_id"), o));
            }
        }
        String owner = ownerOf(ctx, bank);
        List<Ledger.Applied> applied = writer.execute(c -> {
            List<Ledger.Applied> result = ledger.post(c, bank, postings, owner);
            for (BankStore.Outcome outcome : outcomes) {
                BankStore.putOutcome(c, bank, outcome);
            }
            return result;
        });
        JsonArray results = new JsonArray();
        for (Ledger.Applied a : applied) {
            JsonObject r = new JsonObject();
            r.addProperty("operation_id", a.operationId());
            r.addProperty("account_id", a.accountId());
            r.addProperty("balance_after", a.balanceAfter());
            results.add(r);
        }
        JsonObject out = new JsonObject();
        out.add("postings", results);
        Json.send(ctx, 200, out);
    }

    private static String ownerOf(Context ctx, String bank) {
        String header = ctx.header("lock-owner");
        return header == null || header.isEmpty() ? bank : StrictJson.checkId(header, "lock-owner");
    }

    // ---- PIX keys

    private void createPixKey(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = StrictJson.parseObject(ctx.body());
        String key = StrictJson.id(b, "key");
        PixKeyType type = StrictJson.enumValue(b, "type", PixKeyType.class);
        String accountId = StrictJson.id(b, "account_id");
        Json.send(ctx, 201, writer.execute(c -> BankStore.insertPixKey(c, bank, key, type, accountId)));
    }

    private void getPixKey(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String key = ctx.pathParam("key");
        Json.send(ctx, 200, found(read(c -> BankStore.pixKey(c, bank, key)), "PIX_KEY_NOT_FOUND",
                "No such PIX key at this bank."));
    }

    private void deletePixKey(Context ctx) {
        String bank = auth.bank(ctx);
        String key = ctx.pathParam("key");
        writer.execute(c -> {
            BankStore.deletePixKey(c, bank, key);
            return null;
        });
        ctx.status(204);
    }

    private void pixKeysOfAccount(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String accountId = ctx.pathParam("accountId");
        JsonObject out = new JsonObject();
        out.add("keys", read(c -> {
            found(BankStore.account(c, bank, accountId), "ACCOUNT_NOT_FOUND", "Account " + accountId + " does not exist.");
            return BankStore.pixKeysOf(c, bank, accountId);
        }));
        Json.send(ctx, 200, out);
    }

    // ---- transaction outcomes

    private void putTransaction(Context ctx) {
        String bank = auth.bank(ctx);
        String id = StrictJson.checkId(ctx.pathParam("transactionId"), "transactionId");
        BankStore.Outcome outcome = outcome(id, StrictJson.parseObject(ctx.body()));
        Stored stored = writer.execute(c -> new Stored(BankStore.putOutcome(c, bank, outcome),
                BankStore.outcome(c, bank, id)));
        Json.send(ctx, stored.created() ? 201 : 200, stored.outcome());
    }

    private record Stored(boolean created, JsonObject outcome) {
    }

    private static BankStore.Outcome outcome(String id, JsonObject b) {
        String fingerprint = StrictJson.string(b, "fingerprint", 200);
        TransactionStatus status = StrictJson.enumValue(b, "status", TransactionStatus.class);
        String reason = StrictJson.optId(b, "reason");
        Integer failedLeg = null;
        if (b.has("failed_leg") && !b.get("failed_leg").isJsonNull()) {
            long leg = StrictJson.integer(b, "failed_leg");
            if (leg < 0 || leg > 10_000) {
                throw ApiException.badRequest("INVALID_FIELD", "failed_leg must be from 0 to 10000.");
            }
            failedLeg = (int) leg;
        }
        JsonObject order = StrictJson.optObject(b, "order");
        String orderJson = order == null ? null : StrictJson.GSON.toJson(order);
        if (orderJson != null && orderJson.length() > 20_000) {
            throw ApiException.badRequest("INVALID_FIELD", "order is too large.");
        }
        return new BankStore.Outcome(id, fingerprint, status, reason, failedLeg, orderJson);
    }

    private void getTransaction(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String id = ctx.pathParam("transactionId");
        Json.send(ctx, 200, found(read(c -> BankStore.outcome(c, bank, id)), "TRANSACTION_NOT_FOUND",
                "No such transaction at this bank."));
    }
}
