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
import java.util.List;
import org.distribank.common.ApiException;
import org.distribank.dataserver.api.Json;
import org.distribank.dataserver.api.TokenAuth;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.store.Database;
import org.distribank.dataserver.store.GroupCommitWriter;

/**
 * The resource set a bank peer keeps here, under {@code /v1/banks/{businessId}}: customers, accounts and
 * holders, PIX keys, statements, transaction outcomes, the atomic postings batch and the bank's total.
 * Field names are snake_case like the original calls.
 */
public final class BankApi {

    private static final String BASE = "/v1/banks/{businessId}";
    private static final int MAX_BATCH = Writes.MAX_BATCH;
    private static final int MAX_STATEMENT = 1_000;

    private final TokenAuth auth;
    private final Database database;
    private final GroupCommitWriter writer;
    private final Writes writes;

    public BankApi(TokenAuth auth, Database database, GroupCommitWriter writer, Writes writes) {
        this.auth = auth;
        this.database = database;
        this.writer = writer;
        this.writes = writes;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE + "/customers", this::createCustomer);
        routes.get(BASE + "/customers/{cpf}", this::getCustomer);
        routes.get(BASE + "/customers/{cpf}/accounts", this::accountsOfCustomer);
        routes.get(BASE + "/usernames/{username}", this::customerByUsername);
        routes.post(BASE + "/accounts", this::openAccount);
        routes.get(BASE + "/accounts/{accountId}", this::getAccount);
        routes.post(BASE + "/accounts/{accountId}/holders", this::addHolder);
        routes.delete(BASE + "/accounts/{accountId}/holders/{cpf}", this::removeHolder);
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
        routes.put(BASE + "/manager", this::claimManager);
        routes.get(BASE + "/manager", this::getManager);
        routes.delete(BASE + "/manager", this::releaseManager);
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
        Json.send(ctx, 201, writer.execute(Writes.CUSTOMER, bank, b, writes.customer(bank, b)));
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
        Json.send(ctx, 201, writer.execute(Writes.ACCOUNT, bank, b, writes.account(bank, b)));
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
        JsonObject b = StrictJson.parseObject(ctx.body());
        b.addProperty("account_id", accountId);
        Json.send(ctx, 201, writer.execute(Writes.HOLDER, bank, b, writes.holder(bank, b)));
    }

    private void removeHolder(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = new JsonObject();
        b.addProperty("account_id", StrictJson.checkId(ctx.pathParam("accountId"), "accountId"));
        b.addProperty("cpf", ctx.pathParam("cpf"));
        Json.send(ctx, 200, writer.execute(Writes.HOLDER_REMOVE, bank, b, writes.holderRemove(bank, b)));
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
        b.addProperty(Writes.OWNER, ownerOf(ctx, bank));
        List<Ledger.Applied> applied = writer.execute(Writes.POSTINGS, bank, b, writes.postings(bank, b));
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
        Json.send(ctx, 201, writer.execute(Writes.PIX_CREATE, bank, b, writes.pixCreate(bank, b)));
    }

    private void getPixKey(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String key = ctx.pathParam("key");
        Json.send(ctx, 200, found(read(c -> BankStore.pixKey(c, bank, key)), "PIX_KEY_NOT_FOUND",
                "No such PIX key at this bank."));
    }

    private void deletePixKey(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = new JsonObject();
        b.addProperty("key", ctx.pathParam("key"));
        writer.execute(Writes.PIX_DELETE, bank, b, writes.pixDelete(bank, b));
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

    // ---- the managing bank (one owner per account)

    private void claimManager(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = StrictJson.parseObject(ctx.body());
        Json.send(ctx, 200, writer.execute(Writes.MANAGER_CLAIM, bank, b, writes.managerClaim(bank, b)).json());
    }

    private void getManager(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        Json.send(ctx, 200, found(read(c -> Managers.of(c, bank)), "NOT_MANAGED",
                "No bank peer manages this business: the original calls write to it.").json());
    }

    private void releaseManager(Context ctx) {
        String bank = auth.bank(ctx);
        JsonObject b = new JsonObject();
        writer.execute(Writes.MANAGER_RELEASE, bank, b, writes.managerRelease(bank, b));
        ctx.status(204);
    }

    // ---- transaction outcomes

    private void putTransaction(Context ctx) {
        String bank = auth.bank(ctx);
        String id = StrictJson.checkId(ctx.pathParam("transactionId"), "transactionId");
        JsonObject b = StrictJson.parseObject(ctx.body());
        b.addProperty("transaction_id", id);
        Writes.StoredOutcome stored = writer.execute(Writes.OUTCOME, bank, b, writes.outcome(bank, b));
        Json.send(ctx, stored.created() ? 201 : 200, stored.outcome());
    }

    private void getTransaction(Context ctx) throws SQLException {
        String bank = auth.bank(ctx);
        String id = ctx.pathParam("transactionId");
        Json.send(ctx, 200, found(read(c -> BankStore.outcome(c, bank, id)), "TRANSACTION_NOT_FOUND",
                "No such transaction at this bank."));
    }
}
