package org.distribank.app.ui.customer;

import org.distribank.app.client.AccountRef;
import org.distribank.app.ui.common.Money;

/**
 * One of the signed-in person's accounts: at the window's bank ({@code here}) or at another bank of the
 * consortium. {@code balance} is in cents, or null when unknown (an account elsewhere without a session
 * at its bank).
 */
public record AccountRow(AccountRef ref, String bankName, String type, Long balance, boolean here) {

    public String balanceText() {
        return balance == null ? "—" : Money.format(balance);
    }

    /** {@code 1001 at Bank 1 · Personal}: how choice boxes show it (balances change; the table shows them). */
    public String label() {
        return ref.account() + " at " + bankName + " · " + typeText(type);
    }

    static String typeText(String type) {
        if (type == null || type.isEmpty()) {
            return "";
        }
        return type.charAt(0) + type.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
