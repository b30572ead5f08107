package org.distribank.app.client;

/**
 * A consent just created, with its token: shown once by the owning bank, handed to the grantee bank to link the
 * account there, and kept nowhere else (it authorises debits, so it is never logged or put in a URL).
 */
public record ConsentGrant(ConsentView consent, String token) {

    @Override
    public String toString() {
        return "ConsentGrant[" + consent + "]"; // never the token
    }
}
