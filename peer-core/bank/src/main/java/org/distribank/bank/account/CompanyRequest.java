package org.distribank.bank.account;

/** A BUSINESS account's company: its name and CNPJ (check digits checked by {@link AccountService}). */
public record CompanyRequest(String name, String cnpj) {
}
