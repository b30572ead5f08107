package org.distribank.bank.account;

/** A holder's place on an account; both ADMIN and EMPLOYEE may pay from a business account (BANK.md). */
public enum HolderRole {
    HOLDER,
    ADMIN,
    EMPLOYEE
}
