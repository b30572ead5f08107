package org.distribank.bank.account;

import java.util.List;
import org.distribank.bank.schema.OptionalField;

/**
 * {@code POST /api/v1/accounts}: PERSONAL takes {@code holder}; JOINT {@code holders} (two or more, distinct
 * CPFs); BUSINESS {@code company} and {@code holder} (its admin).
 */
public record OpenAccountRequest(AccountType type, @OptionalField HolderRequest holder,
                                 @OptionalField List<HolderRequest> holders, @OptionalField CompanyRequest company) {
}
