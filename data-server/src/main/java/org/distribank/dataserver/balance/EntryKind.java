package org.distribank.dataserver.balance;

/** The kinds of statement entries a bank writes with its postings. */
public enum EntryKind {
    DEPOSIT,
    WITHDRAWAL,
    TRANSFER_IN,
    TRANSFER_OUT,
    ADJUSTMENT
}
