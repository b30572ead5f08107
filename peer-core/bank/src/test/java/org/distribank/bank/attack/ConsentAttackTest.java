package org.distribank.bank.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.balance;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.BankCluster;
import org.distribank.bank.Customers;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.Http;
import org.distribank.bank.execution.AccountRef;
import org.distribank.bank.execution.BankOperation;
import org.distribank.bank.execution.Leg;
import org.distribank.bank.execution.OperationKind;
import org.distribank.consortium.entity.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's attacks on another bank's money, each tried as an attacker would, on real banks: a stranger who
 * knows a victim's CPF, and a bank of the consortium that orders debits it has no consent for.
 */
class ConsentAttackTest {

    @TempDir
    static Path dir;
    static BankCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BankCluster.start(dir, 3, true);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aStrangerWithTheVictimsCpfSeesAndMovesNothingAtTheVictimsBank() throws Exception {
        // 1. the victim has an account at b2 with R$ 1.000,00
        Customer victim = personal("b2", cluster.url("b2"), "Vera Campos");
        deposit(victim, 100_000);
        // 2. a stranger opens a PERSONAL account at b1 with the victim's CPF and a login of their own
        Customer stranger = personal("b1", cluster.url("b1"), "Vera Campos", victim.cpf());
        // 3. /me at b1 shows nothing of b2
        Http.Response me = Http.get(stranger.url() + "/api/v1/me", stranger.token());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getAsJsonArray("linked")).isEmpty();
        assertThat(me.text()).doesNotContain("\"b2\"").doesNotContain("100000");
        // 4. a transfer from the victim's b2 account to the stranger's: refused, nothing ordered
        Http.Response r = Http.post(stranger.url() + "/api/v1/transfers", stranger.token(), "{\"legs\":["
                + leg("b2", victim.account(), "b1", stranger.account(), 99_000) + "]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("NO_CONSENT");
        assertThat(balance(victim)).isEqualTo(100_000);
        assertThat(balance(stranger)).isZero();
        // and no peer route lists a CPF's accounts any more, even to a bank signing as itself
        String holdings = "/peer/v1/bank/holdings";
        byte[] body = ("{\"cpf\":\"" + victim.cpf() + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url("b2") + holdings))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        cluster.signer("b1").sign("b2", "POST", holdings, body, b::header);
        assertThat(send(b).statusCode()).isEqualTo(404);
    }

    @Test
    void aConsentsBalanceIsReadOnlyByItsGranteeBank() throws Exception {
        Customer owner = personal("b2", cluster.url("b2"), "Luz Faria");
        deposit(owner, 7_700);
        Customer atB1 = Customers.samePersonAt(owner, "b1", cluster.url("b1"));
        Http.Response given = Http.post(owner.url() + "/api/v1/consents", owner.token(), "{\"account\":\""
                + owner.account() + "\",\"grantee\":\"b1\",\"limit\":500,\"read\":true}");
        assertThat(Http.post(atB1.url() + "/api/v1/linked-accounts", atB1.token(), "{\"consent\":\""
                + given.json().get("consent").getAsString() + "\"}").status()).isEqualTo(201);
        // the holder sees it at b1, which asked b2 as itself
        Http.Response me = Http.get(atB1.url() + "/api/v1/me", atB1.token());
        assertThat(me.json().getAsJsonArray("linked").get(0).getAsJsonObject().get("balance").getAsLong())
                .as(me.toString()).isEqualTo(7_700);
        // b3, signing as itself, is refused; b1 is answered
        String target = "/peer/v1/bank/consents/" + given.json().get("id").getAsString() + "/balance";
        assertThat(send(signedGet("b3", "b2", target)).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = send(signedGet("b1", "b2", target));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("7700");
    }

    private static HttpRequest.Builder signedGet(String from, String to, String target) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url(to) + target)).GET();
        cluster.signer(from).sign(to, "GET", target, new byte[0], b::header);
        return b;
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.timeout(java.time.Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBankThatOrdersADebitWithoutAConsentForItselfIsVotedDown() throws Exception {
        Customer victim = personal("b2", cluster.url("b2"), "Caio Pires");
        deposit(victim, 50_000);
        Customer atB1 = Customers.samePersonAt(victim, "b1", cluster.url("b1"));
        String consent = Customers.link(victim, atB1, 10_000).get("id").getAsString();
        Customer accomplice = personal("b3", cluster.url("b3"), "Rex Mota");
        AccountRef victimAccount = new AccountRef("b2", victim.account());
        AccountRef accompliceAccount = new AccountRef("b3", accomplice.account());

        // b3 orders the debit itself, naming the consent b2 gave to b1: b2 judges it and says no
        Outcome stolen = submit("b3", "steal-1", BankOperation.movement(OperationKind.TRANSFER, victim.cpf(), "fp",
                List.of(new Leg(victimAccount, accompliceAccount, null, 5_000, consent))));
        assertThat(stolen.committed()).isFalse();
        assertThat(stolen.reason()).isEqualTo("NO_CONSENT@0");
        // b1, the grantee, with another person's CPF than the consent's holder: no
        Outcome otherHolder = submit("b1", "steal-2", BankOperation.movement(OperationKind.TRANSFER,
                accomplice.cpf(), "fp", List.of(new Leg(victimAccount, accompliceAccount, null, 5_000, consent))));
        assertThat(otherHolder.reason()).isEqualTo("NO_CONSENT@0");
        // a consent grant for b2's account, ordered by b3: b2 refuses it
        Outcome forgedGrant = submit("b3", "c-forged", BankOperation.consent(OperationKind.CONSENT_GRANT,
                victim.cpf(), new org.distribank.bank.consent.ConsentTerms("c-forged", "b2", victim.account(), "b3",
                        1_000_000, System.currentTimeMillis() + 3_600_000, true, "0".repeat(64))));
        assertThat(forgedGrant.committed()).isFalse();
        assertThat(forgedGrant.reason()).isEqualTo("ACCOUNT_NOT_FOUND"); // b2 voted: it did not order it
        // nor can b3 revoke (or link) a consent of b2's: b2 (the grantee b1 for a link) is the voter
        Outcome forgedRevoke = submit("b3", "revoke-forged", BankOperation.consent(OperationKind.CONSENT_REVOKE,
                victim.cpf(), new org.distribank.bank.consent.ConsentTerms(consent, "b2", null, "b1", 0, 0, false,
                        null)));
        assertThat(forgedRevoke.committed()).isFalse();
        assertThat(balance(victim)).isEqualTo(50_000);
        assertThat(balance(accomplice)).isZero();
        // the consent still works for its holder at its grantee
        Http.Response paid = Http.post(atB1.url() + "/api/v1/transfers", atB1.token(), "{\"legs\":["
                + leg("b2", victim.account(), "b1", atB1.account(), 1_000) + "]}");
        assertThat(paid.json().get("status").getAsString()).as(paid.toString()).isEqualTo("COMMITTED");
        assertThat(balance(victim)).isEqualTo(49_000);
    }

    private static Outcome submit(String bank, String id, BankOperation op) throws Exception {
        return cluster.bank(bank).node().submit(id, op.toJson()).get(10, TimeUnit.SECONDS);
    }
}
