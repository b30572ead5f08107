package org.distribank.bank.execution;

import org.distribank.bank.schema.OptionalField;

/** {@code POST /api/v1/withdrawals}: cents out of an account of this bank the session holds. */
public record WithdrawalRequest(@OptionalField String id, String account, long amount) {
}
