package org.distribank.bank.consent;

import org.distribank.bank.schema.OptionalField;

/**
 * {@code POST /api/v1/consents}: let bank {@code grantee} debit {@code account} up to {@code limit} cents until
 * {@code expiresAt} (an ISO-8601 instant, at most 90 days away; that far when absent); {@code read}: the grantee
 * may show its balance.
 */
public record ConsentRequest(String account, String grantee, long limit, @OptionalField String expiresAt,
                             @OptionalField Boolean read) {
}
