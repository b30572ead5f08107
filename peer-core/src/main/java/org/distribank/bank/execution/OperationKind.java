package org.distribank.bank.execution;

/** What an operation in the total order does (BANK.md, "Operation payloads"). */
public enum OperationKind {
    DEPOSIT,
    WITHDRAWAL,
    TRANSFER,
    PIX_REGISTER,
    PIX_REMOVE,
    AUDIT
}
