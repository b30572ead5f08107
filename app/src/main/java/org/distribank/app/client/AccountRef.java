package org.distribank.app.client;

/** An account anywhere in the consortium. */
public record AccountRef(String bank, String account) {

    @Override
    public String toString() {
        return bank + "/" + account;
    }
}
