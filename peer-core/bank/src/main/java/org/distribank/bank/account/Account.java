package org.distribank.bank.account;

import java.util.List;

/** An account of this bank as the directory knows it. {@code companyName}/{@code cnpj} only for BUSINESS. */
public record Account(String id, AccountType type, String companyName, String cnpj, List<Holder> holders) {

    public Account {
        holders = List.copyOf(holders);
    }

    public boolean heldBy(String cpf) {
        return holders.stream().anyMatch(h -> h.cpf().equals(cpf));
    }

    /** Whether {@code cpf} may move money out of it: any holder; for BUSINESS the admin and employees alike. */
    public boolean payableBy(String cpf) {
        return heldBy(cpf);
    }

    public boolean adminIs(String cpf) {
        return holders.stream().anyMatch(h -> h.cpf().equals(cpf) && h.role() == HolderRole.ADMIN);
    }

    /** Who registers and removes its PIX keys: any holder; for BUSINESS only the admin (BANK.md). */
    public boolean managesKeys(String cpf) {
        return type == AccountType.BUSINESS ? adminIs(cpf) : heldBy(cpf);
    }

    /** PIX keys an account may have: 5 for a person's, 20 for a company's (the Central Bank's limits). */
    public int maxPixKeys() {
        return type == AccountType.BUSINESS ? 20 : 5;
    }

    public Account withHolder(Holder h) {
        List<Holder> l = new java.util.ArrayList<>(holders);
        l.add(h);
        return new Account(id, type, companyName, cnpj, l);
    }
}
