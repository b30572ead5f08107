package org.distribank.bank.session;

import java.time.Instant;

/** A signed-in customer: who (CPF, name) and until when. */
public record Session(String token, String cpf, String name, String username, Instant expiresAt) {

    /** Never prints the token. */
    @Override
    public String toString() {
        return "Session[cpf=" + cpf + ", expiresAt=" + expiresAt + "]";
    }
}
