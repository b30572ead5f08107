package org.distribank.bank.pix;

/** One key of the consortium-wide PIX directory: where it points and the owner's masked name. */
public record PixEntry(String key, PixKeyType type, String bank, String account, String maskedName) {
}
