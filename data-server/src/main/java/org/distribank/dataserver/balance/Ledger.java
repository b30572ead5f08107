package org.distribank.dataserver.balance;

import com.google.gson.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distribank.common.ApiException;
import org.distribank.dataserver.lock.LockTable;

/**
 * Balance changes. The write methods run on the group-commit writer's connection (one writer, so each
 * check-then-write is free of races); a refusal throws {@link ApiException} before or after writing and the
 * writer rolls the request back to its savepoint, so a refused request changes nothing.
 * Only applied operations are recorded: a refused operation_id may be retried and is evaluated afresh.
 */
public final class Ledger {

    /** One applied operation: its id, account and the balance right after it. */
    public record Applied(String operationId, String accountId, long balanceAfter) {
    }

    private final LockTable locks;

    public Ledger(LockTable locks) {
        this.locks = locks;
    }

    /** The balance, or null when the account does not exist (a zero balance is a balance). */
    public static Long balance(Connection c, String business, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT balance FROM accounts WHERE business_id = ? AND account_id = ?")) {
            s.setString(1, business);
            s.setString(2, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    /** The original setBalance: adds a signed value, idempotent by operation_id, never below zero. */
    public Applied setBalance(Connection c, String business, String account, long value, String operationId,
            String owner, long now) throws SQLException {
        String fingerprint = "set|" + account + "|" + value;
        Applied previous = previous(c, business, operationId, fingerprint);
        if (previous != null) {
            return previous;
        }
        Long balance = balance(c, business, account);
        if (balance == null) {
            throw ApiException.notFound("ACCOUNT_NOT_FOUND", "Account " + account + " does not exist.");
        }
        refuseIfLocked(business, account, owner);
        long after = checkedSum(balance, value, account, operationId, -1);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE accounts SET balance = ? WHERE business_id = ? AND account_id = ?")) {
            s.setLong(1, after);
            s.setString(2, business);
            s.setString(3, account);
            s.executeUpdate();
        }
        recordOperation(c, business, operationId, fingerprint, account, after, now);
        return new Applied(operationId, account, after);
    }

    /**
     * Applies every posting or none: balances and statement entries in the caller's transaction. A batch
     * whose every operation_id was applied before (with the same content) returns the recorded results.
     */
    public List<Applied> post(Connection c, String business, List<Posting> postings, String owner, long now)
            throws SQLException {
        List<Applied> replayed = new ArrayList<>();
        for (Posting p : postings) {
            Applied previous = previous(c, business, p.operationId(), p.fingerprint());
            if (previous != null) {
                replayed.add(previous);
            }
        }
        if (replayed.size() == postings.size()) {
            return replayed;
        }
        if (!replayed.isEmpty()) {
            throw new ApiException(409, "OPERATION_CONFLICT", "Operation " + replayed.get(0).operationId()
                    + " was already applied in another batch; a batch is retried whole or not at all.",
                    detail(-1, replayed.get(0).operationId()));
        }
        Map<String, long[]> accounts = new LinkedHashMap<>(); // account -> {balance, entry_count}
        for (Posting p : postings) {
            if (!accounts.containsKey(p.accountId())) {
                long[] state = accountState(c, business, p.accountId());
                if (state == null) {
                    throw new ApiException(404, "ACCOUNT_NOT_FOUND", "Account " + p.accountId()
                            + " does not exist.", detail(postings.indexOf(p), p.operationId()));
                }
                refuseIfLocked(business, p.accountId(), owner);
                accounts.put(p.accountId(), state);
            }
        }
        List<Applied> applied = new ArrayList<>(postings.size());
        try (PreparedStatement entry = c.prepareStatement("INSERT INTO statement_entries (business_id, account_id,"
                + " entry_no, transaction_id, entry_kind, amount, balance_after, created_at, counterparty, operation_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < postings.size(); i++) {
                Posting p = postings.get(i);
                long[] state = accounts.get(p.accountId());
                state[0] = checkedSum(state[0], p.value(), p.accountId(), p.operationId(), i);
                state[1]++;
                entry.setString(1, business);
                entry.setString(2, p.accountId());
                entry.setLong(3, state[1]);
                entry.setString(4, p.transaction());
                entry.setString(5, p.kind().name());
                entry.setLong(6, p.value());
                entry.setLong(7, state[0]);
                entry.setLong(8, now);
                entry.setString(9, p.counterparty());
                entry.setString(10, p.operationId());
                entry.addBatch();
                recordOperation(c, business, p.operationId(), p.fingerprint(), p.accountId(), state[0], now);
                applied.add(new Applied(p.operationId(), p.accountId(), state[0]));
            }
            entry.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE accounts SET balance = ?, entry_count = ? WHERE business_id = ? AND account_id = ?")) {
            for (Map.Entry<String, long[]> e : accounts.entrySet()) {
                s.setLong(1, e.getValue()[0]);
                s.setLong(2, e.getValue()[1]);
                s.setString(3, business);
                s.setString(4, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        }
        return applied;
    }

    /** Checks a batch for duplicate operation ids before it reaches the writer. */
    public static void requireDistinctOperations(List<Posting> postings) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < postings.size(); i++) {
            if (!seen.add(postings.get(i).operationId())) {
                throw new ApiException(400, "DUPLICATE_OPERATION", "operation_id "
                        + postings.get(i).operationId() + " appears twice in the batch.",
                        detail(i, postings.get(i).operationId()));
            }
        }
    }

    private void refuseIfLocked(String business, String account, String owner) {
        LockTable.Outcome other = locks.heldByOther(business, account, owner);
        if (other != null) {
            JsonObject extra = new JsonObject();
            extra.addProperty("account_id", account);
            extra.addProperty("owner", other.owner());
            extra.addProperty("leaseMs", other.leaseMs());
            throw new ApiException(423, "LOCKED", "Account " + account + " is locked by another holder.", extra);
        }
    }

    private static long checkedSum(long balance, long value, String account, String operationId, int index) {
        long after;
        try {
            after = Math.addExact(balance, value);
        } catch (ArithmeticException e) {
            throw new ApiException(409, "BALANCE_OVERFLOW", "The balance of " + account + " would overflow.",
                    detail(index, operationId));
        }
        if (after < 0) {
            throw new ApiException(409, "INSUFFICIENT_FUNDS", "The balance of " + account
                    + " would go below zero" + (index >= 0 ? " at posting " + index : "") + ".",
                    detail(index, operationId));
        }
        return after;
    }

    private static JsonObject detail(int index, String operationId) {
        JsonObject o = new JsonObject();
        if (index >= 0) {
            o.addProperty("posting", index);
        }
        o.addProperty("operation_id", operationId);
        return o;
    }

    private static Applied previous(Connection c, String business, String operationId, String fingerprint)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT fingerprint, account_id, balance_after FROM operations"
                + " WHERE business_id = ? AND operation_id = ?")) {
            s.setString(1, business);
            s.setString(2, operationId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                if (!r.getString(1).equals(fingerprint)) {
                    throw new ApiException(409, "OPERATION_CONFLICT", "operation_id " + operationId
                            + " was already used with a different request.", detail(-1, operationId));
                }
                return new Applied(operationId, r.getString(2), r.getLong(3));
            }
        }
    }

    private static long[] accountState(Connection c, String business, String account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT balance, entry_count FROM accounts WHERE business_id = ? AND account_id = ?")) {
            s.setString(1, business);
            s.setString(2, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new long[] {r.getLong(1), r.getLong(2)} : null;
            }
        }
    }

    private static void recordOperation(Connection c, String business, String operationId, String fingerprint,
            String account, long balanceAfter, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO operations (business_id, operation_id,"
                + " fingerprint, account_id, balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, business);
            s.setString(2, operationId);
            s.setString(3, fingerprint);
            s.setString(4, account);
            s.setLong(5, balanceAfter);
            s.setLong(6, now);
            s.executeUpdate();
        }
    }
}
