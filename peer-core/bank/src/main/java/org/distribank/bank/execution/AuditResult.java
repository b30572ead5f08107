package org.distribank.bank.execution;

import java.util.Map;

/** {@code POST /api/v1/audits}: every bank's total at one position of the order, and their sum (cents). */
public record AuditResult(String id, long total, Map<String, Long> perBank, long position) {
}
