package org.distribank.bank.execution;

import org.distribank.consortium.entity.Outcome;

/** An operation this bank has decided, with its parsed payload (null when unreadable). */
public record DecidedOperation(BankOperation operation, Outcome outcome) {
}
