package org.distribank.bank.execution;

import org.distribank.bank.schema.OptionalField;

/** {@code POST /api/v1/deposits}: cents into an account of this bank the session holds; {@code id} the idempotency key. */
public record DepositRequest(@OptionalField String id, String account, long amount) {
}
