package org.distribank.bank.consent;

/**
 * A consent as it travels in the order (API.md, "Cross-bank authority: consents"): bank {@code bank}'s holder
 * lets bank {@code grantee} debit {@code account} up to {@code limit} cents until {@code expiresAtMs}. Only the
 * SHA-256 of the bearer token travels ({@code tokenHash}): every bank can check a token against it, none can
 * make one. For CONSENT_REVOKE, _LINK and _UNLINK only {@code id} is set.
 */
public record ConsentTerms(String id, String bank, String account, String grantee, long limit, long expiresAtMs,
                           boolean read, String tokenHash) {

    public static ConsentTerms ref(String id) {
        return new ConsentTerms(id, null, null, null, 0, 0, false, null);
    }
}
