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
    CONSENT_UNLINK,
    /**
     * The origin bank leaves the consortium (the operator's retire-bank); voted by the origin alone, YES only with
     * every account at zero and nothing held. Once COMMITTED every bank drops it (BANK.md, "Retiring a bank").
     */
    RETIRE_BANK
}
