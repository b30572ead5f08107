package org.distribank.app.client;

/** One statement line: a signed amount in cents and the balance after it. */
public record StatementEntry(String transaction, String kind, long amount, long balanceAfter, String at,
                             String counterparty) {
}
