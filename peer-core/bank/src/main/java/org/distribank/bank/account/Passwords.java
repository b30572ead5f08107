package org.distribank.bank.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing. The password never leaves the bank and is never logged; only the hash goes to the
 * data server. {@link #dummyCheck} spends the same time as a real check so an unknown username cannot be
 * told from a wrong password by timing.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 8;
    /** bcrypt reads at most 72 bytes. */
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final byte[] dummyHash;

    public Passwords(int cost) {
        this.cost = cost;
        this.dummyHash = BCrypt.withDefaults().hash(cost, "not-a-real-password".toCharArray());
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        if (password == null || hash == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
    }

    public void dummyCheck(String password) {
        String p = password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES ? "" : password;
        BCrypt.verifyer().verify(p.toCharArray(), dummyHash);
    }
}
