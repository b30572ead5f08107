package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.TOKEN_B1;
import static org.distribank.dataserver.TestServers.TOKEN_B2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The atomic postings batch: all or nothing, idempotent per operation_id, with statement entries. */
class PostingsTest implements ServerBackend {

    @TempDir
    Path dir;

    DataServer server;
    Client b1;

    @BeforeEach
    void start() throws Exception {
        server = DataServer.start(serverOptions(dir, 5_000));
        b1 = new Client(server.url(), TOKEN_B1);
        b1.openAccount(B1, "alice", "11111111111");
        b1.openAccount(B1, "bob", "22222222222");
        assertThat(b1.setBalance(B1, "alice", 1_000, "seed").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String posting(String op, String account, long value, String kind) {
        return "{\"operation_id\":\"" + op + "\",\"account_id\":\"" + account + "\",\"value\":" + value
                + ",\"kind\":\"" + kind + "\",\"transaction\":\"tx-1\",\"counterparty\":\"b2/9\"}";
    }

    private static String transfer(String suffix, long amount) {
        return "{\"postings\":[" + posting("tx-" + suffix + "-out", "alice", -amount, "TRANSFER_OUT") + ","
                + posting("tx-" + suffix + "-in", "bob", amount, "TRANSFER_IN") + "]}";
    }

    @Test
    void aBatchAppliesEveryPostingWithItsStatementEntries() {
        Client.Response r = b1.post("/v1/banks/b1/postings", transfer("1", 300));
        assertThat(r.status()).isEqualTo(200);
        JsonArray results = r.json().getAsJsonArray("postings");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).getAsJsonObject().get("balance_after").getAsLong()).isEqualTo(700);
        assertThat(results.get(1).getAsJsonObject().get("balance_after").getAsLong()).isEqualTo(300);
        assertThat(b1.balance(B1, "alice")).isEqualTo(700);
        assertThat(b1.balance(B1, "bob")).isEqualTo(300);

        JsonArray entries = b1.get("/v1/banks/b1/accounts/alice/statement").json().getAsJsonArray("entries");
        assertThat(entries).hasSize(1);
        JsonObject e = entries.get(0).getAsJsonObject();
        assertThat(e.get("amount").getAsLong()).isEqualTo(-300);
        assertThat(e.get("balance_after").getAsLong()).isEqualTo(700);
        assertThat(e.get("kind").getAsString()).isEqualTo("TRANSFER_OUT");
        assertThat(e.get("transaction").getAsString()).isEqualTo("tx-1");
        assertThat(e.get("counterparty").getAsString()).isEqualTo("b2/9");
        assertThat(b1.get("/v1/banks/b1/total").json().get("total").getAsLong()).isEqualTo(1_000);

        assertThat(b1.post("/v1/banks/b1/postings", transfer("1b", 1)).status()).isEqualTo(200);
        JsonArray page = b1.get("/v1/banks/b1/accounts/alice/statement?after=1&limit=1").json()
                .getAsJsonArray("entries");
        assertThat(page).hasSize(1);
        assertThat(page.get(0).getAsJsonObject().get("entry").getAsLong()).isEqualTo(2);
        assertThat(b1.get("/v1/banks/b1/accounts/alice/statement?limit=0").status()).isEqualTo(400);
        assertThat(b1.get("/v1/banks/b1/accounts/alice/statement?after=x").status()).isEqualTo(400);
        assertThat(b1.get("/v1/banks/b1/accounts/ghost/statement").status()).isEqualTo(404);
    }

    @Test
    void aBatchIsAllOrNothing() {
        // Second leg would take bob below zero: nothing of the batch may apply.
        String body = "{\"postings\":[" + posting("a1", "alice", 500, "DEPOSIT") + ","
                + posting("a2", "bob", -1, "WITHDRAWAL") + "]}";
        Client.Response r = b1.post("/v1/banks/b1/postings", body);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(r.json().get("posting").getAsInt()).isEqualTo(1);
        assertThat(r.json().get("operation_id").getAsString()).isEqualTo("a2");
        assertThat(b1.balance(B1, "alice")).isEqualTo(1_000);
        assertThat(b1.balance(B1, "bob")).isZero();
        assertThat(b1.get("/v1/banks/b1/accounts/alice/statement").json().getAsJsonArray("entries")).isEmpty();
        // Unknown account in the batch: 404, nothing applied.
        Client.Response missing = b1.post("/v1/banks/b1/postings", "{\"postings\":["
                + posting("m1", "alice", -5, "WITHDRAWAL") + "," + posting("m2", "ghost", 5, "DEPOSIT") + "]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(b1.balance(B1, "alice")).isEqualTo(1_000);
    }

    @Test
    void aBatchIsIdempotent() {
        Client.Response first = b1.post("/v1/banks/b1/postings", transfer("2", 100));
        for (int i = 0; i < 5; i++) {
            Client.Response again = b1.post("/v1/banks/b1/postings", transfer("2", 100));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.text()).isEqualTo(first.text());
        }
        assertThat(b1.balance(B1, "alice")).isEqualTo(900);
        assertThat(b1.balance(B1, "bob")).isEqualTo(100);
        Client.Response changed = b1.post("/v1/banks/b1/postings", transfer("2", 101));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.error()).isEqualTo("OPERATION_CONFLICT");
        Client.Response partial = b1.post("/v1/banks/b1/postings", "{\"postings\":["
                + posting("tx-2-out", "alice", -100, "TRANSFER_OUT") + "," + posting("new", "bob", 1, "DEPOSIT") + "]}");
        assertThat(partial.status()).isEqualTo(409);
        assertThat(b1.balance(B1, "alice")).isEqualTo(900);
        assertThat(b1.balance(B1, "bob")).isEqualTo(100);
    }

    @Test
    void aLockedAccountRefusesTheBatchWith423() {
        assertThat(b1.as("tx-other").getLock(B1, "bob").status()).isEqualTo(200);
        Client.Response r = b1.as("tx-mine").post("/v1/banks/b1/postings", transfer("3", 10));
        assertThat(r.status()).isEqualTo(423);
        assertThat(r.json().get("owner").getAsString()).isEqualTo("tx-other");
        assertThat(b1.balance(B1, "alice")).isEqualTo(1_000);
        assertThat(b1.as("tx-other").post("/v1/banks/b1/postings", transfer("3", 10)).status()).isEqualTo(200);
        assertThat(b1.balance(B1, "bob")).isEqualTo(10);
    }

    @Test
    void aBatchCanRecordTheTransactionOutcomeAtomically() {
        String body = "{\"postings\":[" + posting("o1", "alice", -10, "TRANSFER_OUT") + "],"
                + "\"outcome\":{\"transaction_id\":\"tx-9\",\"fingerprint\":\"f9\",\"status\":\"COMMITTED\","
                + "\"order\":{\"origin\":\"b1\",\"clock\":{\"b1\":3}}}}";
        assertThat(b1.post("/v1/banks/b1/postings", body).status()).isEqualTo(200);
        JsonObject tx = b1.get("/v1/banks/b1/transactions/tx-9").json();
        assertThat(tx.get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(tx.getAsJsonObject("order").getAsJsonObject("clock").get("b1").getAsLong()).isEqualTo(3);
        // A refused batch records no outcome either.
        String refused = "{\"postings\":[" + posting("o2", "bob", -10, "WITHDRAWAL") + "],"
                + "\"outcome\":{\"transaction_id\":\"tx-10\",\"fingerprint\":\"f10\",\"status\":\"COMMITTED\"}}";
        assertThat(b1.post("/v1/banks/b1/postings", refused).status()).isEqualTo(409);
        assertThat(b1.get("/v1/banks/b1/transactions/tx-10").status()).isEqualTo(404);
    }

    @Test
    void aBatchCanRecordManyOutcomesAtomically() {
        String records = "\"outcomes\":[{\"transaction_id\":\"tx-21\",\"fingerprint\":\"f21\",\"status\":\"COMMITTED\"},"
                + "{\"transaction_id\":\"tx-22\",\"fingerprint\":\"f22\",\"status\":\"COMMITTED\","
                + "\"order\":{\"origin\":\"b1\",\"clock\":{\"b1\":7}}}]";
        String body = "{\"postings\":[" + posting("m1", "alice", -10, "TRANSFER_OUT") + ","
                + posting("m2", "alice", -20, "TRANSFER_OUT") + "]," + records + "}";
        assertThat(b1.post("/v1/banks/b1/postings", body).status()).isEqualTo(200);
        assertThat(b1.get("/v1/banks/b1/transactions/tx-21").json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(b1.get("/v1/banks/b1/transactions/tx-22").json().getAsJsonObject("order")
                .getAsJsonObject("clock").get("b1").getAsLong()).isEqualTo(7);
        // the same call again (a replay) changes nothing and succeeds
        assertThat(b1.post("/v1/banks/b1/postings", body).status()).isEqualTo(200);
        assertThat(b1.balance(B1, "alice")).isEqualTo(970);
        // one conflicting record refuses the whole call: no postings, no other record
        String conflicting = "{\"postings\":[" + posting("m3", "alice", -5, "TRANSFER_OUT") + "],"
                + "\"outcomes\":[{\"transaction_id\":\"tx-23\",\"fingerprint\":\"f23\",\"status\":\"COMMITTED\"},"
                + "{\"transaction_id\":\"tx-21\",\"fingerprint\":\"other\",\"status\":\"COMMITTED\"}]}";
        Client.Response r = b1.post("/v1/banks/b1/postings", conflicting);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("TRANSACTION_CONFLICT");
        assertThat(b1.get("/v1/banks/b1/transactions/tx-23").status()).isEqualTo(404);
        assertThat(b1.balance(B1, "alice")).isEqualTo(970);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"postings\":[]}",
            "{\"postings\":{}}",
            "{\"postings\":[1]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1.5,\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1,\"kind\":\"STEAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1,\"kind\":\"withdrawal\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":0,\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"account_id\":\"alice\",\"value\":-1,\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1,\"kind\":\"WITHDRAWAL\"},"
                    + "{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-2,\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1e2,\"kind\":\"WITHDRAWAL\"}]}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1,\"kind\":\"WITHDRAWAL\"}],"
                    + "\"outcome\":{\"transaction_id\":\"t\",\"fingerprint\":\"f\",\"status\":\"MAYBE\"}}",
            "{\"postings\":[{\"operation_id\":\"x\",\"account_id\":\"alice\",\"value\":-1,\"kind\":\"WITHDRAWAL\"}"})
    void malformedBatchesAre400AndChangeNothing(String body) {
        Client.Response r = b1.post("/v1/banks/b1/postings", body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("message").getAsString()).isNotBlank();
        assertThat(b1.balance(B1, "alice")).isEqualTo(1_000);
    }

    @Test
    void postingsFollowTheAuthRules() {
        assertThat(b1.withToken(TOKEN_B2).post("/v1/banks/b1/postings", transfer("4", 1)).status()).isEqualTo(403);
        assertThat(b1.withToken(null).post("/v1/banks/b1/postings", transfer("4", 1)).status()).isEqualTo(401);
        assertThat(b1.balance(B1, "alice")).isEqualTo(1_000);
    }
}
