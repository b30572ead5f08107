package org.distribank.bank.account;

import org.distribank.bank.schema.OptionalField;

/**
 * {@code H} of API.md: a person becoming a holder (and a customer of this bank, unless they are one already, then
 * with the same username and password). Checked by {@link AccountService} (CPF digits, username, password, contacts).
 */
public record HolderRequest(String name, String cpf, String username, String password,
                            @OptionalField String email, @OptionalField String phone) {

    @Override
    public String toString() {
        return "HolderRequest[cpf=" + cpf + ", username=" + username + "]"; // never the password
    }
}
