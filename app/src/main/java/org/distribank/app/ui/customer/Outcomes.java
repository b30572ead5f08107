package org.distribank.app.ui.customer;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.ui.common.Money;

/**
 * A transaction's outcome in plain words: its status, why it was aborted (the bank's reason code and
 * failed leg turned into a sentence about the person's own accounts), and where it sits in the total
 * order (origin bank and vector clock).
 */
public final class Outcomes {

    public static final String PENDING = "PENDING";
    public static final String COMMITTED = "COMMITTED";
    public static final String ABORTED = "ABORTED";

    private final Function<String, String> bankName;

    /** {@code bankName}: a bank id to the name people know it by (b1 to "Bank 1"). */
    public Outcomes(Function<String, String> bankName) {
        this.bankName = bankName;
    }

    /** {@code account 1001 at Bank 1}. */
    public String account(AccountRef r) {
        return r == null ? "an account" : "account " + r.account() + " at " + bankName.apply(r.bank());
    }

    private String from(TransferLeg leg) {
        String a = account(leg.from());
        return Character.toUpperCase(a.charAt(0)) + a.substring(1);
    }

    /** One line for a decided or pending transaction: the status and, when aborted, why. */
    public String sentence(TransactionResult r, List<TransferLeg> legs) {
        if (r == null || r.status() == null) {
            return "";
        }
        return switch (r.status()) {
            case PENDING -> "Pending: the consortium is still deciding.";
            case COMMITTED -> legs.size() > 1 ? "Committed: all " + legs.size() + " legs were applied together."
                    : "Committed.";
            case ABORTED -> "Aborted, nothing was moved. " + reason(r.reason(), r.failedLeg(), legs);
            default -> r.status();
        };
    }

    /**
     * Why the banks voted no, about the leg that failed ({@code failedLeg} 0-based, as the bank gives it;
     * people read "leg 2"). A withdrawal is a leg with only {@code from}, a deposit one with only {@code to}.
     */
    public String reason(String reason, Integer failedLeg, List<TransferLeg> legs) {
        TransferLeg leg = failedLeg != null && failedLeg >= 0 && failedLeg < legs.size() ? legs.get(failedLeg) : null;
        String where = leg != null && legs.size() > 1 ? " (leg " + (failedLeg + 1) + ")" : "";
        if (reason == null || reason.isBlank()) {
            return "The banks did not say why" + where + ".";
        }
        return switch (reason) {
            case "INSUFFICIENT_FUNDS" -> leg == null ? "Not enough money in the account paying."
                    : "Not enough money in " + account(leg.from()) + " to pay " + Money.format(leg.amount()) + where + ".";
            case "ACCOUNT_NOT_FOUND" -> leg == null ? "One of the accounts does not exist."
                    : leg.pixKey() != null ? "The account of PIX key " + leg.pixKey() + " no longer exists" + where + "."
                    : leg.to() != null ? "There is no " + account(leg.to()) + where + ", or the paying account is gone."
                    : "There is no " + account(leg.from()) + where + ".";
            case "PIX_KEY_NOT_FOUND" -> leg == null || leg.pixKey() == null ? "That PIX key names no account any more."
                    : "The PIX key " + leg.pixKey() + " names no account any more" + where + ".";
            case "NOT_A_HOLDER" -> leg == null ? "You are not a holder of the account paying."
                    : "You are not a holder of " + account(leg.from()) + ", so you cannot pay from it" + where + ".";
            case "BALANCE_LIMIT" -> leg == null ? "The receiving account cannot hold that much money."
                    : "The receiving " + account(leg.to()) + " cannot hold that much money" + where + ".";
            case "INVALID_AMOUNT" -> "An amount is not valid" + where + ".";
            // the owning bank of a linked account judges each debit of it against the consent it gave (API.md v1.1)
            case "NO_CONSENT" -> leg == null ? "An account at another bank is not linked here with a live consent."
                    : from(leg) + " has no live consent for this bank to debit it" + where
                    + ": it was revoked or never given. Link it again with a new consent.";
            case "CONSENT_LIMIT" -> leg == null ? "That goes beyond what is left of a linked account's consent."
                    : "Paying " + Money.format(leg.amount()) + " from " + account(leg.from())
                    + " goes beyond what is left of its consent's limit" + where + ".";
            case "CONSENT_EXPIRED" -> leg == null ? "The consent of a linked account has expired."
                    : "The consent for " + account(leg.from()) + " has expired" + where
                    + ". Link it again with a new consent.";
            default -> "The consortium refused it (" + reason + ")" + where + ".";
        };
    }

    /** {@code Ordered by Bank 1 at vector clock b1:4 b2:2 b3:2}, or empty when the bank gave no order. */
    public String order(TransactionResult r) {
        if (r == null || r.origin() == null) {
            return "";
        }
        return "Ordered by " + bankName.apply(r.origin()) + " at vector clock " + clock(r.clock());
    }

    /** {@code b1:4 b2:2 b3:2} in bank order. */
    public static String clock(Map<String, Long> clock) {
        if (clock == null || clock.isEmpty()) {
            return "(none)";
        }
        Map<String, Long> sorted = new TreeMap<>(Comparator.comparingInt(String::length).thenComparing(k -> k));
        sorted.putAll(clock);
        return sorted.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** The style class of a status label (distribank.css). */
    public static String styleClass(String status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case PENDING -> "status-pending";
            case COMMITTED -> "status-committed";
            case ABORTED -> "status-aborted";
            default -> "";
        };
    }
}
