package org.distribank.app.client;

/**
 * A consent as its own bank shows it to the holder who gave it (API.md v1.1): {@code bank}'s account
 * {@code account} may be debited through bank {@code grantee} up to {@code limit} cents in all, of which
 * {@code remaining} is left, until {@code expiresAt} (ISO-8601); {@code read} lets the grantee show its balance.
 * {@code status} is ACTIVE, EXPIRED or REVOKED.
 */
public record ConsentView(String id, String bank, String account, String grantee, long limit, long remaining,
                          String expiresAt, boolean read, String status) {

    public AccountRef ref() {
        return new AccountRef(bank, account);
    }

    public boolean active() {
        return "ACTIVE".equals(status);
    }
}
