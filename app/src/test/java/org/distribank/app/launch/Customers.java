package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.bank.identity.Cpf;

/** Test customers: valid CPFs, opening a personal account, signing in, depositing. */
final class Customers {

    private static final AtomicInteger SEQ = new AtomicInteger(200_000);

    private Customers() {
    }

    /** A fresh valid CPF (9 base digits and two check digits). */
    static String newCpf() {
        return Cpf.withCheckDigits(String.format("%09d", 100_000_000 + SEQ.incrementAndGet() * 7)).digits();
    }

    static String password(String username) {
        return "password-" + username;
    }

    /** Opens a PERSONAL account at {@code url}; returns its number. */
    static String openPersonal(String url, String name, String cpf, String username)
            throws IOException, InterruptedException {
        Http.Response r = Http.post(url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\""
                + name + "\",\"cpf\":\"" + cpf + "\",\"username\":\"" + username + "\",\"password\":\""
                + password(username) + "\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.field("account");
    }

    /** Signs in; returns the session token. */
    static String login(String url, String username) throws IOException, InterruptedException {
        Http.Response r = Http.post(url + "/api/v1/sessions", null, "{\"username\":\"" + username
                + "\",\"password\":\"" + password(username) + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.field("token");
    }

    /**
     * API.md v1.1: the holder signed in at {@code ownerUrl} consents there to bank {@code grantee} debiting
     * {@code account} (up to the largest amount, the longest time), and links it at the grantee with the token.
     */
    static void link(String ownerUrl, String ownerToken, String account, String grantee, String granteeUrl,
                     String granteeToken) throws IOException, InterruptedException {
        Http.Response c = Http.post(ownerUrl + "/api/v1/consents", ownerToken, "{\"account\":\"" + account
                + "\",\"grantee\":\"" + grantee + "\",\"limit\":" + org.distribank.common.StrictJson.MAX_AMOUNT + "}");
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        Http.Response l = Http.post(granteeUrl + "/api/v1/linked-accounts", granteeToken,
                "{\"consent\":\"" + c.field("consent") + "\"}");
        assertThat(l.status()).as(l.toString()).isEqualTo(201);
    }

    static long balance(String url, String token, String account) throws IOException, InterruptedException {
        Http.Response r = Http.get(url + "/api/v1/accounts/" + account, token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("balance").getAsLong();
    }
}
