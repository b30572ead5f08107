package org.distribank.bank.account;

/** A person on an account: CPF digits, display name, role. */
public record Holder(String cpf, String name, HolderRole role) {
}
