package org.distribank.bank.execution;

/** What an operation in the total order does (BANK.md, "Operation payloads"). */
public enum OperationKind {
    DEPOSIT,
    WITHDRAWAL,
    TRANSFER,
    PIX_REGISTER,
    PIX_REMOVE,
    AUDIT,
    /** A holder's consent for another bank to debit an account (API.md v1.1); voted by the owning bank. */
    CONSENT_GRANT,
    CONSENT_REVOKE,
    /** The holder links a consent at the grantee bank; voted by the grantee. */
    CONSENT_LINK,
    CONSENT_UNLINK
}
