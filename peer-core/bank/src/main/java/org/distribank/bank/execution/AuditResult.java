package org.distribank.bank.execution;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/audits}: every bank's total at one position of the order, and their sum (cents); each bank's
 * data server's durable total at that position ({@code dataServers}, for the banks that reached it) and the
 * differences found ({@code discrepancies}, one sentence per bank; {@code reconciled} when there is none).
 */
public record AuditResult(String id, long total, Map<String, Long> perBank, long position,
                          Map<String, Long> dataServers, boolean reconciled, List<String> discrepancies) {
}
