package org.distribank.bank.consent;

/**
 * A consent as it travels in the order (API.md, "Cross-bank authority: consents"): bank {@code bank}'s holder
 * lets bank {@code grantee} debit {@code account} up to {@code limit} cents until {@code expiresAtMs}. Only the
 * SHA-256 of the bearer token travels ({@code tokenHash}): every bank can check a token against it, none can
 * make one. For CONSENT_REVOKE, _LINK and _UNLINK only {@code id}, {@code bank} and {@code grantee} are set: the
 * operation's voter is the bank they name (the owner revokes, the grantee links), never the bank that ordered it.
 */
public record ConsentTerms(String id, String bank, String account, String grantee, long limit, long expiresAtMs,
                           boolean read, String tokenHash) {

    public static ConsentTerms ref(Consent c) {
        return new ConsentTerms(c.id(), c.terms().bank(), null, c.terms().grantee(), 0, 0, false, null);
    }

    /** Whether these are the terms of consent {@code c} as far as a reference names them. */
    boolean names(Consent c) {
        return c.id().equals(id) && c.terms().bank().equals(bank) && c.terms().grantee().equals(grantee);
    }
}
