package org.distribank.app.client;

import java.util.List;

/** A session: its bearer token, the holder, and the accounts the holder has at this bank. */
public record SignedIn(String token, String expiresAt, String name, String cpf, List<AccountView> accounts) {

    @Override
    public String toString() {
        return "SignedIn[" + name + "]"; // never the token
    }
}
