package org.distribank.app.client;

/** A holder of an account as the bank shows it (role: HOLDER, ADMIN, EMPLOYEE). */
public record Holder(String name, String cpf, String role) {
}
