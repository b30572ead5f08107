package org.distribank.app.ui.customer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.LinkedAccount;
import org.distribank.app.ui.common.Money;

/**
 * One of the signed-in person's accounts: at the window's bank ({@code here}), or at another bank and linked here
 * with a consent of that bank ({@code link} not null: its remaining limit, expiry and status). {@code balance} is in
 * cents, or null when unknown (a linked account whose consent does not let this bank read it).
 */
public record AccountRow(AccountRef ref, String bankName, String type, Long balance, boolean here,
                         LinkedAccount link) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.ROOT);

    /** An account at the window's bank. */
    public AccountRow(AccountRef ref, String bankName, String type, Long balance) {
        this(ref, bankName, type, balance, true, null);
    }

    /** Accounts at the window's bank as the bank lists them; {@code bankName} names their bank. */
    static List<AccountRow> here(List<AccountView> accounts, Function<String, String> bankName) {
        return accounts.stream().map(a -> new AccountRow(a.ref(), bankName.apply(a.bank()), a.type(), a.balance()))
                .toList();
    }

    /** An account at another bank, linked here. */
    static AccountRow linked(LinkedAccount l, String bankName) {
        return new AccountRow(l.ref(), bankName, null, l.balance(), false, l);
    }

    /** The account's number at its bank. */
    public String number() {
        return ref.account();
    }

    public boolean linked() {
        return link != null;
    }

    public String balanceText() {
        return balance == null ? "—" : Money.format(balance);
    }

    /** What the consent still lets this bank debit; empty for an account here. */
    public String remainingText() {
        return link == null ? "" : Money.format(link.remaining());
    }

    public String expiryText() {
        return link == null ? "" : day(link.expiresAt());
    }

    /** Active, Expired or Revoked for a linked account; empty for an account here. */
    public String statusText() {
        return link == null ? "" : typeText(link.status());
    }

    public String typeText() {
        return link != null ? "Linked" : typeText(type);
    }

    /**
     * {@code 1001 at Bank 1 · Personal}, or {@code 1001 at Bank 2 · Linked, R$ 50,00 left}: how choice boxes show it
     * (balances change; the table shows them).
     */
    public String label() {
        return ref.account() + " at " + bankName + " · " + (link == null ? typeText(type)
                : "Linked, " + remainingText() + " left" + ("ACTIVE".equals(link.status()) ? ""
                : " (" + statusText().toLowerCase(Locale.ROOT) + ")"));
    }

    static String typeText(String type) {
        if (type == null || type.isEmpty()) {
            return "";
        }
        return type.charAt(0) + type.substring(1).toLowerCase(Locale.ROOT);
    }

    /** An ISO-8601 instant as a local day, {@code 05/03/2027}; the text itself when it is not one. */
    static String day(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return DAY.format(Instant.parse(iso).atZone(ZoneId.systemDefault()));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
