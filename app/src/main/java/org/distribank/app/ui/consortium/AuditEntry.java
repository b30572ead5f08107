package org.distribank.app.ui.consortium;

import java.util.Map;
import org.distribank.app.ui.common.Money;

/**
 * One audit the app made: when, at which position of the total order, the consortium's total and
 * each bank's part, and how the total moved since the previous audit ({@code change} null for the first).
 */
public record AuditEntry(long atMs, long position, long total, Map<String, Long> perBank, Long change) {

    public String totalText() {
        return Money.format(total);
    }

    /** "first audit", "unchanged", or the signed difference. */
    public String changeText() {
        if (change == null) {
            return "first audit";
        }
        return change == 0 ? "unchanged" : Money.signed(change);
    }

    public boolean constant() {
        return change == null || change == 0;
    }
}
