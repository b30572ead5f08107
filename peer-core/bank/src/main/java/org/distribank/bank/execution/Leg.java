package org.distribank.bank.execution;

/**
 * One movement of money. A deposit has no {@code from}, a withdrawal no {@code to}. A transfer to a PIX key
 * carries the key and the {@code to} account the origin resolved it to before submitting, so that
 * {@code voters} is a pure function of the payload; the destination bank's vote checks the key still maps there.
 * A debit of an account at another bank than the origin names the {@code consent} that authorises it; the
 * owning bank judges it in its vote.
 */
public record Leg(AccountRef from, AccountRef to, String pixKey, long amount, String consent) {

    public Leg(AccountRef from, AccountRef to, String pixKey, long amount) {
        this(from, to, pixKey, amount, null);
    }
}
