package org.distribank.app.client;

import java.util.List;
import java.util.Map;

/**
 * A consistent cut: the consortium's total in cents and each bank's part, at one position of the order, and the
 * banks whose data server's durable total there differs from their figure ({@code discrepancies}, one sentence
 * each; empty when every bank reconciles).
 */
public record AuditResult(long total, Map<String, Long> perBank, long position, List<String> discrepancies) {

    public AuditResult {
        discrepancies = discrepancies == null ? List.of() : List.copyOf(discrepancies);
    }

    public AuditResult(long total, Map<String, Long> perBank, long position) {
        this(total, perBank, position, List.of());
    }
}
