package org.distribank.bank.consent;

import java.time.Instant;

/**
 * A consent as every bank's replica knows it after the operations decided so far: its terms, the holder who
 * gave it ({@code cpf}), what committed debits left of its limit, whether it was revoked and whether the
 * holder linked it at the grantee.
 */
public record Consent(ConsentTerms terms, String cpf, long remaining, boolean revoked, boolean linked) {

    public String id() {
        return terms.id();
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(terms.expiresAtMs());
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt());
    }

    /** ACTIVE, EXPIRED or REVOKED, as the customer sees it. */
    public String status(Instant now) {
        return revoked ? "REVOKED" : expiredAt(now) ? "EXPIRED" : "ACTIVE";
    }

    Consent debited(long amount) {
        return new Consent(terms, cpf, Math.max(0, remaining - amount), revoked, linked);
    }

    Consent withRevoked() {
        return new Consent(terms, cpf, remaining, true, linked);
    }

    Consent withLinked(boolean value) {
        return new Consent(terms, cpf, remaining, revoked, value);
    }
}
