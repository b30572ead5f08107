package org.distribank.app.client;

import java.util.List;

/**
 * An account at a bank, balance in cents. {@code holders} is empty where the bank does not list them.
 * {@code balanceShown} is false where the bank gave no balance: {@code balance} is then 0 and means nothing.
 */
public record AccountView(String bank, String account, String type, long balance, List<Holder> holders,
                          boolean balanceShown) {

    public AccountView(String bank, String account, String type, long balance, List<Holder> holders) {
        this(bank, account, type, balance, holders, true);
    }

    public AccountRef ref() {
        return new AccountRef(bank, account);
    }
}
