package org.distribank.dataserver.bank;

import com.google.gson.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.distribank.common.ApiException;

/**
 * One owner per account (API.md v1.1, "Data server"): which bank peer manages a business. A managed business
 * refuses the original API's writes ({@code setBalance}, {@code getLock}, {@code unLock}) with
 * {@code 409 MANAGED_BY_BANK} naming the bank, so nothing but that bank's decided postings moves its balances;
 * reads stay. A business without a row keeps the original behaviour. Claims run on the writer's connection
 * (journaled like every write); checks on either.
 */
public final class Managers {

    public static final String MANAGED_BY_BANK = "MANAGED_BY_BANK";

    /** The bank that manages {@code business}. */
    public record Manager(String business, String bank, String name, long claimedAt) {

        public JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("business_id", business);
            o.addProperty("bank", bank);
            if (name != null) {
                o.addProperty("name", name);
            }
            o.addProperty("claimed_at", claimedAt);
            return o;
        }
    }

    private Managers() {
    }

    /** The manager of {@code business}, or null for a business of the original kind. */
    public static Manager of(Connection c, String business) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT bank_id, bank_name, claimed_at FROM business_managers WHERE business_id = ?")) {
            s.setString(1, business);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Manager(business, r.getString(1), r.getString(2), r.getLong(3)) : null;
            }
        }
    }

    /** 409 MANAGED_BY_BANK when a bank peer manages {@code business}: the original writes are not for it. */
    public static void requireUnmanaged(Connection c, String business) throws SQLException {
        Manager m = of(c, business);
        if (m != null) {
            throw managed(m);
        }
    }

    public static ApiException managed(Manager m) {
        JsonObject extra = new JsonObject();
        extra.addProperty("bank", m.bank());
        return new ApiException(409, MANAGED_BY_BANK, "Business " + m.business() + " is managed by bank " + m.bank()
                + (m.name() == null ? "" : " (" + m.name() + ")") + ": its balances and locks change only through"
                + " that bank's consortium; reads stay open.", extra);
    }

    /**
     * {@code bank} claims {@code business}: created, or the same bank again (its name refreshed); another bank's
     * claim is {@code 409 MANAGED_BY_BANK} (it must be released first). No name keeps the one held.
     */
    public static Manager claim(Connection c, String business, String bank, String name, long now)
            throws SQLException {
        Manager current = of(c, business);
        if (current != null && !current.bank().equals(bank)) {
            throw managed(current);
        }
        if (current == null) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO business_managers "
                    + "(business_id, bank_id, bank_name, claimed_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, business);
                s.setString(2, bank);
                s.setString(3, name);
                s.setLong(4, now);
                s.executeUpdate();
            }
            return new Manager(business, bank, name, now);
        }
        if (name == null || name.equals(current.name())) {
            return current;
        }
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE business_managers SET bank_name = ? WHERE business_id = ?")) {
            s.setString(1, name);
            s.setString(2, business);
            s.executeUpdate();
        }
        return new Manager(business, bank, name, current.claimedAt());
    }

    /** Releases {@code business} to the original behaviour; true when it was managed. */
    public static boolean release(Connection c, String business) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM business_managers WHERE business_id = ?")) {
            s.setString(1, business);
            return s.executeUpdate() > 0;
        }
    }
}
