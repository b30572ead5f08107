package org.distribank.dataserver.api;

import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;
import com.google.gson.JsonObject;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.bank.Managers;
import org.distribank.dataserver.bank.Writes;
import org.distribank.dataserver.lock.LockTable;
import org.distribank.dataserver.store.Database;
import org.distribank.dataserver.store.GroupCommitWriter;

/** The original project's four calls (API.md, "Data server"), with real semantics. */
public final class LegacyApi {

    /** Optional header naming the lock holder (one business server runs many transactions at once). */
    public static final String LOCK_OWNER_HEADER = "lock-owner";
    /** Optional header asking for a lease other than the configured default. */
    public static final String LEASE_HEADER = "lock-lease-ms";
    private static final long MAX_LEASE_MS = 600_000;

    private final TokenAuth auth;
    private final Database database;
    private final GroupCommitWriter writer;
    private final LockTable locks;
    private final Writes writes;
    private final long defaultLeaseMs;

    public LegacyApi(TokenAuth auth, Database database, GroupCommitWriter writer, LockTable locks, Writes writes,
            long defaultLeaseMs) {
        this.auth = auth;
        this.database = database;
        this.writer = writer;
        this.locks = locks;
        this.writes = writes;
        this.defaultLeaseMs = defaultLeaseMs;
    }

    public void register(RoutesConfig routes) {
        routes.get("/getbalance/{business_id}/{account_id}", this::getBalance);
        routes.post("/setBalance", this::setBalance);
        routes.get("/getLock/{business_id}/{account_id}", this::getLock);
        routes.post("/unLock", this::unlock);
    }

    private void getBalance(Context ctx) throws SQLException {
        TokenAuth.requireSame(auth.authenticate(ctx), ctx.pathParam("business_id"));
        String business = ctx.pathParam("business_id");
        String account = StrictJson.checkId(ctx.pathParam("account_id"), "account_id");
        JsonObject out = new JsonObject();
        out.addProperty("balance", existingBalance(business, account));
        Json.send(ctx, 200, out);
    }

    private void setBalance(Context ctx) {
        String authenticated = auth.authenticate(ctx);
        JsonObject body = StrictJson.parseObject(ctx.body());
        String business = StrictJson.id(body, "business_id");
        TokenAuth.requireSame(authenticated, business);
        body.addProperty(Writes.OWNER, owner(ctx, business));
        Ledger.Applied applied = writer.execute(Writes.SET_BALANCE, business, body, writes.setBalance(business, body));
        JsonObject out = new JsonObject();
        out.addProperty("balance", applied.balanceAfter());
        out.addProperty("operation_id", applied.operationId());
        Json.send(ctx, 200, out);
    }

    private void getLock(Context ctx) throws SQLException {
        TokenAuth.requireSame(auth.authenticate(ctx), ctx.pathParam("business_id"));
        String business = ctx.pathParam("business_id");
        String account = StrictJson.checkId(ctx.pathParam("account_id"), "account_id");
        String owner = owner(ctx, business);
        long leaseMs = leaseMs(ctx);
        existingBalance(business, account);
        requireUnmanaged(business);
        LockTable.Outcome outcome = locks.acquire(business, account, owner, leaseMs);
        JsonObject out = new JsonObject();
        out.addProperty("locked", outcome.granted());
        out.addProperty("owner", outcome.owner());
        out.addProperty("leaseMs", outcome.leaseMs());
        if (!outcome.granted()) {
            throw new ApiException(423, "LOCKED", "Account " + account + " is locked by another holder.", out);
        }
        Json.send(ctx, 200, out);
    }

    private void unlock(Context ctx) throws SQLException {
        String authenticated = auth.authenticate(ctx);
        JsonObject body = StrictJson.parseObject(ctx.body());
        String business = StrictJson.id(body, "business_id");
        TokenAuth.requireSame(authenticated, business);
        String account = StrictJson.id(body, "account_id");
        String bodyOwner = StrictJson.optId(body, "owner");
        String owner = bodyOwner != null ? bodyOwner : owner(ctx, business);
        requireUnmanaged(business);
        try {
            locks.release(business, account, owner);
        } catch (LockTable.HeldByOther e) {
            JsonObject extra = new JsonObject();
            extra.addProperty("owner", e.owner());
            extra.addProperty("leaseMs", e.leaseMs());
            throw new ApiException(423, "LOCKED_BY_OTHER",
                    "Account " + account + " is locked by another holder; only its owner can unlock it.", extra);
        }
        JsonObject out = new JsonObject();
        out.addProperty("locked", false);
        out.addProperty("account_id", account);
        Json.send(ctx, 200, out);
    }

    /** The original writes are refused on a business that a bank peer manages (API.md v1.1). */
    private void requireUnmanaged(String business) throws SQLException {
        try (Connection c = database.connection()) {
            Managers.requireUnmanaged(c, business);
        }
    }

    private long existingBalance(String business, String account) throws SQLException {
        Long balance;
        try (Connection c = database.connection()) {
            balance = Ledger.balance(c, business, account);
        }
        if (balance == null) {
            throw ApiException.notFound("ACCOUNT_NOT_FOUND", "Account " + account + " does not exist.");
        }
        return balance;
    }

    /** The lock holder identity: the lock-owner header, else the business itself. */
    static String owner(Context ctx, String business) {
        String header = ctx.header(LOCK_OWNER_HEADER);
        return header == null || header.isEmpty() ? business : StrictJson.checkId(header, LOCK_OWNER_HEADER);
    }

    private long leaseMs(Context ctx) {
        String header = ctx.header(LEASE_HEADER);
        if (header == null || header.isEmpty()) {
            return defaultLeaseMs;
        }
        if (!header.matches("[1-9][0-9]{0,6}") || Long.parseLong(header) > MAX_LEASE_MS) {
            throw ApiException.badRequest("INVALID_LEASE", LEASE_HEADER + " must be an integer from 1 to "
                    + MAX_LEASE_MS + ".");
        }
        return Long.parseLong(header);
    }
}
