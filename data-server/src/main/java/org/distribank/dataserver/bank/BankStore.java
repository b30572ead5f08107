package org.distribank.dataserver.bank;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.distribank.common.ApiException;

/**
 * SQL for a bank's durable data: customers, accounts and holders, PIX keys, statements and transaction
 * outcomes. Writes run on the group-commit writer's connection (single writer: check-then-insert is safe);
 * reads on a pooled connection. Results are the JSON the API answers.
 */
public final class BankStore {

    /** A customer as the bank peer registers it; the bcrypt hash is computed by the peer. */
    public record Customer(String cpf, String name, String username, String passwordHash, String email,
            String phone) {
    }

    public record Holder(String cpf, HolderRole role) {
    }

    public record NewAccount(String accountId, AccountType type, String companyName, String companyCnpj,
            List<Holder> holders) {
    }

    public record Outcome(String transactionId, String fingerprint, TransactionStatus status, String reason,
            Integer failedLeg, String orderJson) {
    }

    private BankStore() {
    }

    // ---- customers

    public static JsonObject insertCustomer(Connection c, String business, Customer cu, long now) throws SQLException {
        if (customer(c, business, cu.cpf()) != null) {
            throw ApiException.conflict("CUSTOMER_EXISTS", "A customer with this CPF already exists at this bank.");
        }
        if (customerByUsername(c, business, cu.username()) != null) {
            throw ApiException.conflict("USERNAME_TAKEN", "The username is taken at this bank.");
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO customers (business_id, cpf, name, username,"
                + " password_hash, email, phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, business);
            s.setString(2, cu.cpf());
            s.setString(3, cu.name());
            s.setString(4, cu.username());
            s.setString(5, cu.passwordHash());
            s.setString(6, cu.email());
            s.setString(7, cu.phone());
            s.setLong(8, now);
            s.executeUpdate();
        }
        return customer(c, business, cu.cpf());
    }

    public static JsonObject customer(Connection c, String business, String cpf) throws SQLException {
        return oneCustomer(c, "SELECT cpf, name, username, password_hash, email, phone, created_at FROM customers"
                + " WHERE business_id = ? AND cpf = ?", business, cpf);
    }

    public static JsonObject customerByUsername(Connection c, String business, String username) throws SQLException {
        return oneCustomer(c, "SELECT cpf, name, username, password_hash, email, phone, created_at FROM customers"
                + " WHERE business_id = ? AND username = ?", business, username);
    }

    private static JsonObject oneCustomer(Connection c, String sql, String business, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, business);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                JsonObject o = new JsonObject();
                o.addProperty("cpf", r.getString(1));
                o.addProperty("name", r.getString(2));
                o.addProperty("username", r.getString(3));
                o.addProperty("password_hash", r.getString(4));
                o.addProperty("email", r.getString(5));
                o.addProperty("phone", r.getString(6));
                o.addProperty("created_at", r.getLong(7));
                return o;
            }
        }
    }

    // ---- accounts

    public static JsonObject insertAccount(Connection c, String business, NewAccount a, long now) throws SQLException {
        if (account(c, business, a.accountId()) != null) {
            throw ApiException.conflict("ACCOUNT_EXISTS", "Account " + a.accountId() + " already exists.");
        }
        for (Holder h : a.holders()) {
            requireCustomer(c, business, h.cpf());
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts (business_id, account_id, account_type,"
                + " company_name, company_cnpj, balance, entry_count, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)")) {
            s.setString(1, business);
            s.setString(2, a.accountId());
            s.setString(3, a.type().name());
            s.setString(4, a.companyName());
            s.setString(5, a.companyCnpj());
            s.setLong(6, now);
            s.executeUpdate();
        }
        // holders keep the order they were given in (+1 ms each; the bank's JOINT rules name the first one)
        for (int i = 0; i < a.holders().size(); i++) {
            insertHolder(c, business, a.accountId(), a.holders().get(i), now + i);
        }
        return account(c, business, a.accountId());
    }

    public static JsonObject addHolder(Connection c, String business, String accountId, Holder h, long now)
            throws SQLException {
        if (account(c, business, accountId) == null) {
            throw ApiException.notFound("ACCOUNT_NOT_FOUND", "Account " + accountId + " does not exist.");
        }
        requireCustomer(c, business, h.cpf());
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM account_holders WHERE business_id = ? AND account_id = ? AND cpf = ?")) {
            s.setString(1, business);
            s.setString(2, accountId);
            s.setString(3, h.cpf());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    throw ApiException.conflict("HOLDER_EXISTS", "This CPF is already on the account.");
                }
            }
        }
        insertHolder(c, business, accountId, h, now);
        return account(c, business, accountId);
    }

    /** Takes a holder off an account: 404 for an unknown account or a CPF not on it. */
    public static JsonObject removeHolder(Connection c, String business, String accountId, String cpf)
            throws SQLException {
        if (account(c, business, accountId) == null) {
            throw ApiException.notFound("ACCOUNT_NOT_FOUND", "Account " + accountId + " does not exist.");
        }
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM account_holders WHERE business_id = ? AND account_id = ? AND cpf = ?")) {
            s.setString(1, business);
            s.setString(2, accountId);
            s.setString(3, cpf);
            if (s.executeUpdate() == 0) {
                throw ApiException.notFound("HOLDER_NOT_FOUND", "This CPF is not on the account.");
            }
        }
        return account(c, business, accountId);
    }

    private static void requireCustomer(Connection c, String business, String cpf) throws SQLException {
        if (customer(c, business, cpf) == null) {
            throw ApiException.notFound("CUSTOMER_NOT_FOUND", "No customer with CPF " + cpf + " at this bank.");
        }
    }

    private static void insertHolder(Connection c, String business, String accountId, Holder h, long now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO account_holders (business_id, account_id, cpf,"
                + " holder_role, added_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, business);
            s.setString(2, accountId);
            s.setString(3, h.cpf());
            s.setString(4, h.role().name());
            s.setLong(5, now);
            s.executeUpdate();
        }
    }

    public static JsonObject account(Connection c, String business, String accountId) throws SQLException {
        JsonObject o;
        try (PreparedStatement s = c.prepareStatement("SELECT account_id, account_type, company_name, company_cnpj,"
                + " balance FROM accounts WHERE business_id = ? AND account_id = ?")) {
            s.setString(1, business);
            s.setString(2, accountId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                o = new JsonObject();
                o.addProperty("account_id", r.getString(1));
                o.addProperty("type", r.getString(2));
                if (r.getString(3) != null) {
                    JsonObject company = new JsonObject();
                    company.addProperty("name", r.getString(3));
                    company.addProperty("cnpj", r.getString(4));
                    o.add("company", company);
                }
                o.addProperty("balance", r.getLong(5));
            }
        }
        JsonArray holders = new JsonArray();
        try (PreparedStatement s = c.prepareStatement("SELECT h.cpf, c.name, h.holder_role FROM account_holders h"
                + " JOIN customers c ON c.business_id = h.business_id AND c.cpf = h.cpf"
                + " WHERE h.business_id = ? AND h.account_id = ? ORDER BY h.added_at, h.cpf")) {
            s.setString(1, business);
            s.setString(2, accountId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    JsonObject h = new JsonObject();
                    h.addProperty("cpf", r.getString(1));
                    h.addProperty("name", r.getString(2));
                    h.addProperty("role", r.getString(3));
                    holders.add(h);
                }
            }
        }
        o.add("holders", holders);
        return o;
    }

    public static JsonArray accountsOf(Connection c, String business, String cpf) throws SQLException {
        JsonArray out = new JsonArray();
        try (PreparedStatement s = c.prepareStatement("SELECT account_id FROM account_holders"
                + " WHERE business_id = ? AND cpf = ? ORDER BY account_id")) {
            s.setString(1, business);
            s.setString(2, cpf);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(account(c, business, r.getString(1)));
                }
            }
        }
        return out;
    }

    public static JsonObject total(Connection c, String business) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(SUM(balance), 0), COUNT(*) FROM accounts WHERE business_id = ?")) {
            s.setString(1, business);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                JsonObject o = new JsonObject();
                o.addProperty("total", r.getLong(1));
                o.addProperty("accounts", r.getLong(2));
                return o;
            }
        }
    }

    public static JsonArray statement(Connection c, String business, String accountId, long afterEntry, int limit)
            throws SQLException {
        JsonArray out = new JsonArray();
        try (PreparedStatement s = c.prepareStatement("SELECT entry_no, transaction_id, entry_kind, amount,"
                + " balance_after, created_at, counterparty, operation_id FROM statement_entries"
                + " WHERE business_id = ? AND account_id = ? AND entry_no > ? ORDER BY entry_no")) {
            s.setString(1, business);
            s.setString(2, accountId);
            s.setLong(3, afterEntry);
            s.setMaxRows(limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    JsonObject e = new JsonObject();
                    e.addProperty("entry", r.getLong(1));
                    e.addProperty("transaction", r.getString(2));
                    e.addProperty("kind", r.getString(3));
                    e.addProperty("amount", r.getLong(4));
                    e.addProperty("balance_after", r.getLong(5));
                    e.addProperty("at", r.getLong(6));
                    e.addProperty("counterparty", r.getString(7));
                    e.addProperty("operation_id", r.getString(8));
                    out.add(e);
                }
            }
        }
        return out;
    }

    // ---- PIX keys

    public static JsonObject insertPixKey(Connection c, String business, String key, PixKeyType type,
            String accountId, long now) throws SQLException {
        if (pixKey(c, business, key) != null) {
            throw ApiException.conflict("PIX_KEY_TAKEN", "The PIX key is already registered at this bank.");
        }
        if (account(c, business, accountId) == null) {
            throw ApiException.notFound("ACCOUNT_NOT_FOUND", "Account " + accountId + " does not exist.");
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pix_keys (business_id, pix_key, key_type,"
                + " account_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, business);
            s.setString(2, key);
            s.setString(3, type.name());
            s.setString(4, accountId);
            s.setLong(5, now);
            s.executeUpdate();
        }
        return pixKey(c, business, key);
    }

    public static void deletePixKey(Connection c, String business, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM pix_keys WHERE business_id = ? AND pix_key = ?")) {
            s.setString(1, business);
            s.setString(2, key);
            if (s.executeUpdate() == 0) {
                throw ApiException.notFound("PIX_KEY_NOT_FOUND", "No such PIX key at this bank.");
            }
        }
    }

    public static JsonObject pixKey(Connection c, String business, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT pix_key, key_type, account_id FROM pix_keys WHERE business_id = ? AND pix_key = ?")) {
            s.setString(1, business);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? pixJson(r) : null;
            }
        }
    }

    public static JsonArray pixKeysOf(Connection c, String business, String accountId) throws SQLException {
        JsonArray out = new JsonArray();
        try (PreparedStatement s = c.prepareStatement("SELECT pix_key, key_type, account_id FROM pix_keys"
                + " WHERE business_id = ? AND account_id = ? ORDER BY pix_key")) {
            s.setString(1, business);
            s.setString(2, accountId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(pixJson(r));
                }
            }
        }
        return out;
    }

    private static JsonObject pixJson(ResultSet r) throws SQLException {
        JsonObject o = new JsonObject();
        o.addProperty("key", r.getString(1));
        o.addProperty("type", r.getString(2));
        o.addProperty("account_id", r.getString(3));
        return o;
    }

    // ---- transaction outcomes

    /**
     * Records or updates a transaction's outcome. The fingerprint ties the id to one request; a decided
     * outcome (COMMITTED/ABORTED) is final: writing the same again is a no-op, anything else a 409.
     * Returns true when the record was created.
     */
    public static boolean putOutcome(Connection c, String business, Outcome o, long now) throws SQLException {
        JsonObject existing = outcome(c, business, o.transactionId());
        if (existing != null) {
            if (!existing.get("fingerprint").getAsString().equals(o.fingerprint())) {
                throw ApiException.conflict("TRANSACTION_CONFLICT",
                        "Transaction " + o.transactionId() + " was recorded with a different request fingerprint.");
            }
            TransactionStatus current = TransactionStatus.valueOf(existing.get("status").getAsString());
            if (current != TransactionStatus.PENDING) {
                if (current == o.status() && existing.equals(outcomeJson(o))) {
                    return false;
                }
                throw ApiException.conflict("ALREADY_DECIDED",
                        "Transaction " + o.transactionId() + " is already " + current + ".");
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE transaction_outcomes SET status = ?, reason = ?,"
                    + " failed_leg = ?, order_json = ?, updated_at = ? WHERE business_id = ? AND transaction_id = ?")) {
                bindOutcome(s, o, 1);
                s.setLong(5, now);
                s.setString(6, business);
                s.setString(7, o.transactionId());
                s.executeUpdate();
            }
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO transaction_outcomes (status, reason, failed_leg,"
                + " order_json, updated_at, business_id, transaction_id, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindOutcome(s, o, 1);
            s.setLong(5, now);
            s.setString(6, business);
            s.setString(7, o.transactionId());
            s.setString(8, o.fingerprint());
            s.executeUpdate();
        }
        return true;
    }

    private static void bindOutcome(PreparedStatement s, Outcome o, int from) throws SQLException {
        s.setString(from, o.status().name());
        s.setString(from + 1, o.reason());
        if (o.failedLeg() == null) {
            s.setNull(from + 2, Types.INTEGER);
        } else {
            s.setInt(from + 2, o.failedLeg());
        }
        s.setString(from + 3, o.orderJson());
    }

    public static JsonObject outcome(Connection c, String business, String transactionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT fingerprint, status, reason, failed_leg, order_json"
                + " FROM transaction_outcomes WHERE business_id = ? AND transaction_id = ?")) {
            s.setString(1, business);
            s.setString(2, transactionId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                int leg = r.getInt(4);
                Integer failedLeg = r.wasNull() ? null : leg;
                return outcomeJson(new Outcome(transactionId, r.getString(1),
                        TransactionStatus.valueOf(r.getString(2)), r.getString(3), failedLeg, r.getString(5)));
            }
        }
    }

    private static JsonObject outcomeJson(Outcome o) {
        JsonObject j = new JsonObject();
        j.addProperty("transaction_id", o.transactionId());
        j.addProperty("fingerprint", o.fingerprint());
        j.addProperty("status", o.status().name());
        if (o.reason() != null) {
            j.addProperty("reason", o.reason());
        }
        if (o.failedLeg() != null) {
            j.addProperty("failed_leg", o.failedLeg());
        }
        if (o.orderJson() != null) {
            j.add("order", JsonParser.parseString(o.orderJson()));
        }
        return j;
    }
}
