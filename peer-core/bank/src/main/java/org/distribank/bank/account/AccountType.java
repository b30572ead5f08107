package org.distribank.bank.account;

/** The kinds of account a bank opens (API.md, {@code POST /api/v1/accounts}). */
public enum AccountType {
    PERSONAL,
    /** Two or more holders, each with their own login. */
    JOINT,
    /** A company's account: an ADMIN holder who adds EMPLOYEEs. */
    BUSINESS
}
