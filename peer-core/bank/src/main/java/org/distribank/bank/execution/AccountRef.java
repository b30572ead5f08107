package org.distribank.bank.execution;

/** An account somewhere in the consortium: bank id and account number. */
public record AccountRef(String bank, String account) {

    @Override
    public String toString() {
        return bank + "/" + account;
    }
}
