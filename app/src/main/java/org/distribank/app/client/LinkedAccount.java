package org.distribank.app.client;

/**
 * An account at another bank that the signed-in holder linked at this bank with a consent of that bank (API.md
 * v1.1, {@code /me}'s "linked"): what is left of the consent's limit in cents, its expiry (ISO-8601), its status
 * (ACTIVE, EXPIRED, REVOKED), and the balance in cents where the consent lets this bank read it (else null).
 */
public record LinkedAccount(String bank, String account, String consentId, long remaining, String expiresAt,
                            String status, boolean read, Long balance) {

    public AccountRef ref() {
        return new AccountRef(bank, account);
    }
}
