package org.distribank.app.client;

/** One leg of a transfer: from an account to an account or to a PIX key (exactly one of {@code to}, {@code pixKey}). */
public record TransferLeg(AccountRef from, AccountRef to, String pixKey, long amount) {

    public static TransferLeg toAccount(AccountRef from, AccountRef to, long amount) {
        return new TransferLeg(from, to, null, amount);
    }

    public static TransferLeg toPixKey(AccountRef from, String key, long amount) {
        return new TransferLeg(from, null, key, amount);
    }
}
