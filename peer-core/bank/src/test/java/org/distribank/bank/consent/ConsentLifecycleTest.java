package org.distribank.bank.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;
import static org.distribank.bank.Customers.samePersonAt;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.distribank.bank.BankCluster;
import org.distribank.bank.Customers;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.Http;
import org.distribank.bank.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consent's whole life through the order (API.md v1.1): given at the account's bank, linked at the grantee,
 * paid from within its limit, exceeded, revoked, expired; and every bank still judges the same after all of
 * them restart (the consents are rebuilt from the log).
 */
class ConsentLifecycleTest {

    @TempDir
    Path dir;
    BankCluster cluster;
    final TestClock clock = new TestClock(Instant.parse("2026-12-05T12:00:00Z"));

    @BeforeEach
    void start() {
        cluster = BankCluster.start(dir, 3, true, o -> o.clock(clock));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String transfer(String... legs) {
        return "{\"legs\":[" + String.join(",", legs) + "]}";
    }

    private static Http.Response pay(Customer at, Customer from, Customer to, long amount) {
        return Http.post(at.url() + "/api/v1/transfers", at.token(),
                transfer(leg(from.bank(), from.account(), to.bank(), to.account(), amount)));
    }

    private static JsonObject consent(Customer owner, String grantee, long limit, String extra) {
        Http.Response r = Http.post(owner.url() + "/api/v1/consents", owner.token(), "{\"account\":\""
                + owner.account() + "\",\"grantee\":\"" + grantee + "\",\"limit\":" + limit + extra + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static Http.Response link(Customer at, String token) {
        return Http.post(at.url() + "/api/v1/linked-accounts", at.token(), "{\"consent\":\"" + token + "\"}");
    }

    @Test
    void giveLinkPayExceedRevoke() {
        Customer atB1 = personal("b1", cluster.url("b1"), "Lia Prado");
        Customer atB2 = samePersonAt(atB1, "b2", cluster.url("b2"));
        Customer payee = personal("b3", cluster.url("b3"), "Davi Reis");
        deposit(atB2, 50_000);

        // before any consent, b1 cannot even order a debit of the b2 account
        Http.Response refused = pay(atB1, atB2, payee, 1_000);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("NO_CONSENT");

        JsonObject given = consent(atB2, "b1", 10_000, ",\"read\":true");
        assertThat(given.get("bank").getAsString()).isEqualTo("b2");
        assertThat(given.get("grantee").getAsString()).isEqualTo("b1");
        assertThat(given.get("remaining").getAsLong()).isEqualTo(10_000);
        assertThat(Instant.parse(given.get("expiresAt").getAsString())).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
        String token = given.get("consent").getAsString();

        // linked at b1 by the same person: /me shows it, with the balance since the consent allows reading
        Http.Response linked = link(atB1, token);
        assertThat(linked.status()).as(linked.toString()).isEqualTo(201);
        assertThat(linked.json().get("consentId").getAsString()).isEqualTo(given.get("id").getAsString());
        JsonObject shown = Http.get(atB1.url() + "/api/v1/me", atB1.token()).json().getAsJsonArray("linked").get(0)
                .getAsJsonObject();
        assertThat(shown.get("bank").getAsString()).isEqualTo("b2");
        assertThat(shown.get("account").getAsString()).isEqualTo(atB2.account());
        assertThat(shown.get("remaining").getAsLong()).isEqualTo(10_000);

        // within the limit: committed, and the consent's remaining drops at the owning bank
        Http.Response paid = pay(atB1, atB2, payee, 6_000);
        assertThat(paid.json().get("status").getAsString()).as(paid.toString()).isEqualTo("COMMITTED");
        assertThat(balance(atB2)).isEqualTo(44_000);
        assertThat(balance(payee)).isEqualTo(6_000);
        assertThat(remainingAtOwner(atB2)).isEqualTo(4_000);

        // past it: b2 votes NO, nothing moves
        Http.Response over = pay(atB1, atB2, payee, 4_001);
        assertThat(over.json().get("status").getAsString()).as(over.toString()).isEqualTo("ABORTED");
        assertThat(over.json().get("reason").getAsString()).isEqualTo("CONSENT_LIMIT");
        assertThat(balance(atB2)).isEqualTo(44_000);

        // revoked at b2: nothing ordered after it is authorised
        Http.Response revoke = Http.delete(atB2.url() + "/api/v1/consents/" + given.get("id").getAsString(),
                atB2.token());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(204);
        Http.Response afterRevoke = pay(atB1, atB2, payee, 100);
        assertThat(afterRevoke.toString()).contains("NO_CONSENT");
        assertThat(balance(atB2)).isEqualTo(44_000);
        assertThat(balance(payee)).isEqualTo(6_000);
        JsonObject listed = Http.get(atB2.url() + "/api/v1/consents", atB2.token()).json().getAsJsonArray("consents")
                .get(0).getAsJsonObject();
        assertThat(listed.get("status").getAsString()).isEqualTo("REVOKED");
        assertThat(listed.has("consent")).as("the token is shown only once").isFalse();

        // every bank restarts: the consents are rebuilt from the log and judge the same
        for (String id : cluster.ids()) {
            cluster.restart(id);
        }
        Customer b1Again = again(atB1);
        Customer b2Again = again(atB2);
        Http.Response stillRefused = pay(b1Again, b2Again, payee, 100);
        assertThat(stillRefused.toString()).contains("NO_CONSENT");
        assertThat(remainingAtOwner(b2Again)).isEqualTo(4_000);
        assertThat(balance(b2Again)).isEqualTo(44_000);
    }

    @Test
    void anExpiredConsentPaysNothingAndCannotBeLinked() {
        Customer atB1 = personal("b1", cluster.url("b1"), "Rui Barros");
        Customer atB2 = samePersonAt(atB1, "b2", cluster.url("b2"));
        Customer payee = personal("b3", cluster.url("b3"), "Eva Nunes");
        deposit(atB2, 20_000);
        String soon = clock.instant().plus(Duration.ofHours(1)).toString();
        JsonObject linkedOne = consent(atB2, "b1", 10_000, ",\"expiresAt\":\"" + soon + "\"");
        assertThat(link(atB1, linkedOne.get("consent").getAsString()).status()).isEqualTo(201);
        JsonObject unlinked = consent(atB2, "b1", 10_000, ",\"expiresAt\":\"" + soon + "\"");
        Http.Response inTime = pay(atB1, atB2, payee, 1_000);
        assertThat(inTime.toString()).contains("COMMITTED");

        clock.advance(Duration.ofHours(1));
        atB1 = again(atB1); // the sessions expired too
        atB2 = again(atB2);
        Http.Response late = pay(atB1, atB2, payee, 1_000);
        assertThat(late.json().get("status").getAsString()).as(late.toString()).isEqualTo("ABORTED");
        assertThat(late.json().get("reason").getAsString()).isEqualTo("CONSENT_EXPIRED");
        Http.Response lateLink = link(atB1, unlinked.get("consent").getAsString());
        assertThat(lateLink.status()).isEqualTo(403);
        assertThat(lateLink.error()).isEqualTo("CONSENT_EXPIRED");
        assertThat(balance(atB2)).isEqualTo(19_000);

        // after every bank restarts, the answer is the logged one
        for (String id : cluster.ids()) {
            cluster.restart(id);
        }
        Http.Response asked = Http.get(cluster.url("b1") + "/api/v1/transactions/" + late.json().get("id").getAsString(),
                again(atB1).token());
        assertThat(asked.toString()).contains("CONSENT_EXPIRED");
        assertThat(balance(again(atB2))).isEqualTo(19_000);
    }

    @Test
    void aConsentIsLinkedOnlyByItsHolderAtItsGrantee() {
        Customer atB1 = personal("b1", cluster.url("b1"), "Ivo Lins");
        Customer atB2 = samePersonAt(atB1, "b2", cluster.url("b2"));
        Customer other = personal("b1", cluster.url("b1"), "Ana Melo");
        Customer atB3 = samePersonAt(atB1, "b3", cluster.url("b3"));
        String token = consent(atB2, "b1", 5_000, "").get("consent").getAsString();
        // another customer of the grantee bank, or the right customer at another bank: refused alike
        assertThat(link(other, token).error()).isEqualTo("NO_CONSENT");
        assertThat(link(atB3, token).error()).isEqualTo("NO_CONSENT");
        // a forged token (right id, wrong secret) is refused too
        String forged = token.substring(0, token.indexOf('.') + 1) + "A".repeat(43);
        assertThat(link(atB1, forged).status()).isEqualTo(403);
        assertThat(Http.get(other.url() + "/api/v1/me", other.token()).json().getAsJsonArray("linked")).isEmpty();
        // a consent cannot be for the account's own bank, nor over 90 days
        Http.Response self = Http.post(atB2.url() + "/api/v1/consents", atB2.token(), "{\"account\":\""
                + atB2.account() + "\",\"grantee\":\"b2\",\"limit\":100}");
        assertThat(self.status()).isEqualTo(400);
        Http.Response tooLong = Http.post(atB2.url() + "/api/v1/consents", atB2.token(), "{\"account\":\""
                + atB2.account() + "\",\"grantee\":\"b1\",\"limit\":100,\"expiresAt\":\""
                + clock.instant().plus(Duration.ofDays(91)) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).isEqualTo("INVALID_EXPIRY");
        // unlinking removes it from /me and from what b1 may debit
        assertThat(link(atB1, token).status()).isEqualTo(201);
        assertThat(Http.delete(atB1.url() + "/api/v1/linked-accounts/b2/" + atB2.account(), atB1.token()).status())
                .isEqualTo(204);
        assertThat(Http.get(atB1.url() + "/api/v1/me", atB1.token()).json().getAsJsonArray("linked")).isEmpty();
        assertThat(pay(atB1, atB2, other, 10).error()).isEqualTo("NO_CONSENT");
    }

    private long remainingAtOwner(Customer owner) {
        Http.Response r = Http.get(owner.url() + "/api/v1/consents", owner.token());
        assertThat(r.status()).isEqualTo(200);
        return r.json().getAsJsonArray("consents").get(0).getAsJsonObject().get("remaining").getAsLong();
    }

    /** The same customer signed in again (sessions do not survive a restart). */
    private static Customer again(Customer c) {
        return new Customer(c.bank(), c.url(), c.cpf(), c.username(), c.account(), Customers.login(c.url(),
                c.username()));
    }
}
