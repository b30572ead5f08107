package org.distribank.bank.ledger;

/**
 * One signed movement of one of this bank's accounts, as the applier hands it to the data server: {@code amount}
 * in cents (negative for a debit), {@code operationId} the data server's idempotency key (PostingIds),
 * {@code transaction} the ordered operation's id, {@code counterparty} the other side ("bank/account") or null.
 */
public record Posting(String operationId, String account, long amount, Kind kind, String transaction,
                      String counterparty) {

    /** What the movement was; the statement shows it. */
    public enum Kind { DEPOSIT, WITHDRAWAL, TRANSFER_OUT, TRANSFER_IN }
}
