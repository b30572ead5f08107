package org.distribank.app.client;

/** A person to register as a holder, co-holder or employee ({@code email} and {@code phone} optional). */
public record HolderForm(String name, String cpf, String username, String password, String email, String phone) {
}
