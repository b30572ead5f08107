package org.distribank.bank.ledger;

/** A PIX key of one of this bank's accounts, registered (the data server's informational copy). */
public record PixKeyCreated(String key, String type, String account) {
}
