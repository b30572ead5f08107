package org.distribank.bank.execution;

/** A bank's total at an AUDIT's position in the total order. */
public record AuditFigure(String bank, long total, long position) {
}
