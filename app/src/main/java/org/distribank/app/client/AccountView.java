package org.distribank.app.client;

import java.util.List;

/** An account at a bank, balance in cents. {@code holders} is empty where the bank does not list them. */
public record AccountView(String bank, String account, String type, long balance, List<Holder> holders) {

    public AccountRef ref() {
        return new AccountRef(bank, account);
    }
}
