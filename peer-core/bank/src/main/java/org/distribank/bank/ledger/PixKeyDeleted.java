package org.distribank.bank.ledger;

/** A PIX key of one of this bank's accounts, removed. */
public record PixKeyDeleted(String key) {
}
