package org.distribank.app.client;

import java.util.Map;

/** A consistent cut: the consortium's total in cents and each bank's part, at one position of the order. */
public record AuditResult(long total, Map<String, Long> perBank, long position) {
}
