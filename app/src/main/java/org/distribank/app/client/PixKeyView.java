package org.distribank.app.client;

/** A PIX key and the account it names; {@code name} is the owner's masked name when resolved. */
public record PixKeyView(String key, String type, String bank, String account, String name) {
}
