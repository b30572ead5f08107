package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.B2;
import static org.distribank.dataserver.TestServers.TOKEN_B1;
import static org.distribank.dataserver.TestServers.TOKEN_B2;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The original four calls: every success and every error, and that a refusal changes nothing. */
class LegacyApiTest implements ServerBackend {

    @TempDir
    Path dir;

    DataServer server;
    Client b1;

    @BeforeEach
    void start() throws Exception {
        server = DataServer.start(serverOptions(dir, 400));
        b1 = new Client(server.url(), TOKEN_B1);
        b1.openAccount(B1, "acc-1", "11111111111");
        assertThat(b1.setBalance(B1, "acc-1", 1_000, "seed").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthNeedsNoCredentials() {
        Client anonymous = new Client(server.url(), null);
        Client.Response r = anonymous.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").getAsString()).isEqualTo("UP");
    }

    @Test
    void zeroBalanceIsABalanceAndUnknownAccountIs404() {
        b1.openAccount(B1, "empty", "22222222222");
        assertThat(b1.balance(B1, "empty")).isZero();
        Client.Response r = b1.get("/getbalance/b1/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("ACCOUNT_NOT_FOUND");
        assertThat(r.json().get("message").getAsString()).isNotBlank();
    }

    @Test
    void tokensOpenOnlyTheirOwnBusiness() {
        assertThat(new Client(server.url(), null).get("/getbalance/b1/acc-1").status()).isEqualTo(401);
        assertThat(b1.withToken("wrong-token-0000").get("/getbalance/b1/acc-1").status()).isEqualTo(401);
        assertThat(b1.withToken(TOKEN_B2).get("/getbalance/b1/acc-1").status()).isEqualTo(403);
        assertThat(b1.withToken(TOKEN_B2).setBalance(B1, "acc-1", 5, "x1").status()).isEqualTo(403);
        assertThat(new Client(server.url(), null).setBalance(B1, "acc-1", 5, "x2").status()).isEqualTo(401);
        assertThat(b1.withToken(TOKEN_B2).getLock(B1, "acc-1").status()).isEqualTo(403);
        assertThat(b1.withToken(TOKEN_B2).unlock(B1, "acc-1").status()).isEqualTo(403);
        assertThat(b1.get("/getbalance/b2/acc-1").status()).isEqualTo(403);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
    }

    @Test
    void setBalanceAddsSignedValues() {
        Client.Response r = b1.setBalance(B1, "acc-1", -300, "op-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("balance").getAsLong()).isEqualTo(700);
        assertThat(b1.setBalance(B1, "acc-1", 50, "op-2").json().get("balance").getAsLong()).isEqualTo(750);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(750);
    }

    @Test
    void sameOperationIdAppliesOnceAndOtherBodyIsConflict() {
        Client.Response first = b1.setBalance(B1, "acc-1", 10, "op-once");
        Client.Response again = b1.setBalance(B1, "acc-1", 10, "op-once");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_010);
        Client.Response other = b1.setBalance(B1, "acc-1", 11, "op-once");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.error()).isEqualTo("OPERATION_CONFLICT");
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_010);
    }

    @Test
    void belowZeroIsRefusedWith409AndChangesNothing() {
        Client.Response r = b1.setBalance(B1, "acc-1", -1_001, "too-much");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
        // Refusals are not recorded: the same id may be retried once the funds are there.
        assertThat(b1.setBalance(B1, "acc-1", -1_000, "exact").json().get("balance").getAsLong()).isZero();
    }

    @Test
    void setBalanceOnUnknownAccountIs404() {
        Client.Response r = b1.setBalance(B1, "ghost", 5, "g1");
        assertThat(r.status()).isEqualTo(404);
        assertThat(b1.get("/getbalance/b1/ghost").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":1.5,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":\"5\",\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":1e3,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":NaN,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":100000000000001,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":99999999999999999999999,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":10.0,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":null,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":5}",
            "{\"business_id\":\"b1\",\"value\":5,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":7,\"value\":5,\"operation_id\":\"m1\"}",
            "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"value\":5,\"operation_id\":\"m1\"} trailing",
            "{'business_id':'b1','account_id':'acc-1','value':5,'operation_id':'m1'}",
            "[1,2]",
            ""})
    void malformedSetBalanceIs400AndChangesNothing(String body) {
        Client.Response r = b1.post("/setBalance", body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("error").getAsString()).isNotBlank();
        assertThat(r.json().get("message").getAsString()).isNotBlank();
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
    }

    @Test
    void missingBusinessIdInBodyIs400OrForbidden() {
        assertThat(b1.post("/setBalance", "{\"account_id\":\"acc-1\",\"value\":5,\"operation_id\":\"m\"}").status())
                .isEqualTo(400);
        assertThat(b1.setBalance("b9", "acc-1", 5, "m").status()).isEqualTo(403);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
    }

    @Test
    void lockRefusesOtherOwnersWritesAndAllowsTheHolders() {
        Client tx1 = b1.as("tx-1");
        Client tx2 = b1.as("tx-2");
        Client.Response lock = tx1.getLock(B1, "acc-1");
        assertThat(lock.status()).isEqualTo(200);
        assertThat(lock.json().get("locked").getAsBoolean()).isTrue();
        assertThat(lock.json().get("owner").getAsString()).isEqualTo("tx-1");
        assertThat(lock.json().get("leaseMs").getAsLong()).isPositive();

        Client.Response refused = tx2.getLock(B1, "acc-1");
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.json().get("owner").getAsString()).isEqualTo("tx-1");
        assertThat(refused.error()).isEqualTo("LOCKED");

        assertThat(tx2.setBalance(B1, "acc-1", 5, "w-other").status()).isEqualTo(423);
        assertThat(b1.setBalance(B1, "acc-1", 5, "w-none").status()).isEqualTo(423);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
        assertThat(tx1.setBalance(B1, "acc-1", 5, "w-holder").status()).isEqualTo(200);

        Client.Response notYours = tx2.unlock(B1, "acc-1");
        assertThat(notYours.status()).isEqualTo(423);
        assertThat(notYours.error()).isEqualTo("LOCKED_BY_OTHER");
        assertThat(tx1.getLock(B1, "acc-1").status()).as("the owner renews").isEqualTo(200);
        assertThat(tx1.unlock(B1, "acc-1").status()).isEqualTo(200);
        assertThat(tx1.unlock(B1, "acc-1").status()).as("unlocking an unlocked account is harmless").isEqualTo(200);
        assertThat(tx2.getLock(B1, "acc-1").status()).isEqualTo(200);
        assertThat(b1.post("/unLock", "{\"business_id\":\"b1\",\"account_id\":\"acc-1\",\"owner\":\"tx-2\"}")
                .status()).as("owner in the body").isEqualTo(200);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_005);
    }

    @Test
    void readsTakeNoLocks() {
        b1.balance(B1, "acc-1");
        assertThat(b1.as("tx-9").getLock(B1, "acc-1").status()).isEqualTo(200);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
    }

    @Test
    void getLockOnUnknownAccountIs404AndBadLeaseIs400() {
        assertThat(b1.getLock(B1, "ghost").status()).isEqualTo(404);
        assertThat(b1.post("/unLock", "{\"business_id\":\"b1\"}").status()).isEqualTo(400);
    }

    @Test
    void leaseExpiryFreesALockOfAVanishedOwner() {
        assertThat(b1.as("vanished").getLock(B1, "acc-1").status()).isEqualTo(200);
        assertThat(b1.as("waiting").getLock(B1, "acc-1").status()).isEqualTo(423);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> b1.as("waiting").getLock(B1, "acc-1").status() == 200);
        assertThat(b1.as("vanished").setBalance(B1, "acc-1", 1, "late").status()).isEqualTo(423);
    }

    @Test
    void unknownRouteIsAJson404() {
        Client.Response r = b1.get("/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("NOT_FOUND");
    }

    @Test
    void secondBusinessIsSeparate() {
        Client b2 = new Client(server.url(), TOKEN_B2);
        b2.openAccount(B2, "acc-1", "11111111111");
        assertThat(b2.balance(B2, "acc-1")).isZero();
        assertThat(b2.setBalance(B2, "acc-1", 7, "seed").status()).isEqualTo(200);
        assertThat(b2.balance(B2, "acc-1")).isEqualTo(7);
        assertThat(b1.balance(B1, "acc-1")).isEqualTo(1_000);
    }
}
