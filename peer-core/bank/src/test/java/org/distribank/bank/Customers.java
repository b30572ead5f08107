package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.bank.identity.Cnpj;
import org.distribank.bank.identity.Cpf;

/** Test data: valid CPFs and CNPJs, and shortcuts for opening accounts and signing in. */
public final class Customers {

    private static final AtomicInteger SEQ = new AtomicInteger(100_000);

    private Customers() {
    }

    /** A fresh valid CPF (9 base digits + check digits). */
    public static String newCpf() {
        return Cpf.withCheckDigits(String.format("%09d", 100_000_000 + SEQ.incrementAndGet() * 7)).digits();
    }

    /** A fresh valid numeric CNPJ. */
    public static String newCnpj() {
        return Cnpj.withCheckDigits(String.format("%08d", 10_000_000 + SEQ.incrementAndGet() * 3) + "0001").value();
    }

    /** A holder whose registered e-mail is {@code <username>@example.com} (an EMAIL key must be one's own). */
    public static String holder(String name, String cpf, String username) {
        return holder(name, cpf, username, "");
    }

    /** {@code extra}: more fields, like {@code ,"phone":"+5511987654321"}. */
    public static String holder(String name, String cpf, String username, String extra) {
        return "{\"name\":\"" + name + "\",\"cpf\":\"" + cpf + "\",\"username\":\"" + username
                + "\",\"password\":\"password-" + username + "\""
                + (extra.contains("\"email\"") ? "" : ",\"email\":\"" + username + "@example.com\"") + extra + "}";
    }

    /** A signed-in customer with one account at one bank. */
    public record Customer(String bank, String url, String cpf, String username, String account, String token) {
    }

    /** Opens a PERSONAL account for a new person at {@code url} and signs in. */
    public static Customer personal(String bank, String url, String name) {
        return personal(bank, url, name, newCpf());
    }

    public static Customer personal(String bank, String url, String name, String cpf) {
        return personalWith(bank, url, name, cpf, "");
    }

    /** A PERSONAL account whose holder has {@code extra} fields (e.g. a phone). */
    public static Customer personalWith(String bank, String url, String name, String cpf, String extra) {
        String username = "u" + SEQ.incrementAndGet();
        Http.Response r = Http.post(url + "/api/v1/accounts", null,
                "{\"type\":\"PERSONAL\",\"holder\":" + holder(name, cpf, username, extra) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new Customer(bank, url, cpf, username, r.json().get("account").getAsString(),
                login(url, username));
    }

    /** Same person (CPF), a personal account at another bank, with its own login there. */
    public static Customer samePersonAt(Customer c, String bank, String url) {
        return personal(bank, url, "Same Person", c.cpf());
    }

    /**
     * Same person at another bank, whose account there is payable from {@code c}'s bank: a consent given at
     * {@code bank} (signed in there) for {@code c}'s bank, linked at {@code c}'s bank (API.md v1.1).
     */
    public static Customer samePersonLinked(Customer c, String bank, String url) {
        Customer there = samePersonAt(c, bank, url);
        link(there, c, org.distribank.common.StrictJson.MAX_AMOUNT);
        return there;
    }

    /** {@code owner} consents at its bank to {@code grantee}'s bank debiting its account, then links it there. */
    public static JsonObject link(Customer owner, Customer grantee, long limit) {
        Http.Response consent = Http.post(owner.url() + "/api/v1/consents", owner.token(), "{\"account\":\""
                + owner.account() + "\",\"grantee\":\"" + grantee.bank() + "\",\"limit\":" + limit + "}");
        assertThat(consent.status()).as(consent.toString()).isEqualTo(201);
        Http.Response linked = Http.post(grantee.url() + "/api/v1/linked-accounts", grantee.token(),
                "{\"consent\":\"" + consent.json().get("consent").getAsString() + "\"}");
        assertThat(linked.status()).as(linked.toString()).isEqualTo(201);
        return consent.json();
    }

    /** One person's accounts at several banks, each consented to and linked at every other of them. */
    public static void linkEveryWay(java.util.List<Customer> samePerson) {
        for (Customer owner : samePerson) {
            for (Customer grantee : samePerson) {
                if (!owner.bank().equals(grantee.bank())) {
                    link(owner, grantee, org.distribank.common.StrictJson.MAX_AMOUNT);
                }
            }
        }
    }

    public static String login(String url, String username) {
        Http.Response r = Http.post(url + "/api/v1/sessions", null,
                "{\"username\":\"" + username + "\",\"password\":\"password-" + username + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").getAsString();
    }

    public static JsonObject deposit(Customer c, long amount) {
        Http.Response r = Http.post(c.url() + "/api/v1/deposits", c.token(),
                "{\"account\":\"" + c.account() + "\",\"amount\":" + amount + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("status").getAsString()).isEqualTo("COMMITTED");
        return r.json();
    }

    public static long balance(Customer c) {
        Http.Response r = Http.get(c.url() + "/api/v1/accounts/" + c.account(), c.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("balance").getAsLong();
    }

    public static String leg(String fromBank, String fromAccount, String toBank, String toAccount, long amount) {
        return "{\"from\":{\"bank\":\"" + fromBank + "\",\"account\":\"" + fromAccount + "\"},\"to\":{\"bank\":\""
                + toBank + "\",\"account\":\"" + toAccount + "\"},\"amount\":" + amount + "}";
    }

    public static String pixLeg(String fromBank, String fromAccount, String key, long amount) {
        return "{\"from\":{\"bank\":\"" + fromBank + "\",\"account\":\"" + fromAccount + "\"},\"to\":{\"pixKey\":\""
                + key + "\"},\"amount\":" + amount + "}";
    }
}
