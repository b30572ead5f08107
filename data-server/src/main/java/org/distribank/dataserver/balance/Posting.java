package org.distribank.dataserver.balance;

/** One leg of an atomic postings batch: a signed change of one account, with its statement entry. */
public record Posting(String operationId, String accountId, long value, EntryKind kind, String transaction,
        String counterparty) {

    /** What the same operation_id must carry again to count as a retry rather than a conflict. */
    String fingerprint() {
        return "post|" + accountId + "|" + value + "|" + kind + "|" + nullToEmpty(transaction) + "|"
                + nullToEmpty(counterparty);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
