package org.distribank.bank.consent;

/** {@code POST /api/v1/linked-accounts}: a consent's token, at the grantee bank. */
public record LinkAccountRequest(String consent) {
}
