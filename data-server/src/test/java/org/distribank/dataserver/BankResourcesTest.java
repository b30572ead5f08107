package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.TOKEN_B1;
import static org.distribank.dataserver.TestServers.TOKEN_B2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bank resource set under /v1/banks/{businessId}: each call's success and its errors. */
class BankResourcesTest implements ServerBackend {

    private static final String ANA = "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\","
            + "\"password_hash\":\"$2a$10$hash\",\"email\":\"ana@example.com\"}";
    private static final String BIA = "{\"cpf\":\"22222222222\",\"name\":\"Bia\",\"username\":\"bia\","
            + "\"password_hash\":\"$2a$10$hash2\"}";

    @TempDir
    Path dir;

    DataServer server;
    Client b1;

    @BeforeEach
    void start() throws Exception {
        server = DataServer.start(serverOptions(dir, 5_000));
        b1 = new Client(server.url(), TOKEN_B1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void customersAreUniqueByCpfAndUsername() {
        Client.Response created = b1.post("/v1/banks/b1/customers", ANA);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("password_hash").getAsString()).isEqualTo("$2a$10$hash");
        assertThat(b1.post("/v1/banks/b1/customers", ANA).error()).isEqualTo("CUSTOMER_EXISTS");
        Client.Response taken = b1.post("/v1/banks/b1/customers", BIA.replace("\"bia\"", "\"ana\""));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.error()).isEqualTo("USERNAME_TAKEN");
        assertThat(b1.get("/v1/banks/b1/customers/22222222222").status()).isEqualTo(404);

        assertThat(b1.get("/v1/banks/b1/customers/11111111111").json().get("name").getAsString()).isEqualTo("Ana");
        assertThat(b1.get("/v1/banks/b1/usernames/ana").json().get("cpf").getAsString()).isEqualTo("11111111111");
        assertThat(b1.get("/v1/banks/b1/usernames/nobody").status()).isEqualTo(404);
        // Another bank has its own customers: the same username is free there.
        Client b2 = new Client(server.url(), TOKEN_B2);
        assertThat(b2.post("/v1/banks/b2/customers", ANA).status()).isEqualTo(201);
        assertThat(b2.get("/v1/banks/b1/usernames/ana").status()).isEqualTo(403);
    }

    @Test
    void badCustomersAre400() {
        assertThat(b1.post("/v1/banks/b1/customers", ANA.replace("11111111111", "123")).status()).isEqualTo(400);
        assertThat(b1.post("/v1/banks/b1/customers", "{\"cpf\":\"11111111111\"}").status()).isEqualTo(400);
        assertThat(b1.post("/v1/banks/b1/customers", ANA.replace("\"Ana\"", "42")).status()).isEqualTo(400);
        assertThat(b1.post("/v1/banks/b1/customers", "{").status()).isEqualTo(400);
        assertThat(b1.get("/v1/banks/b1/customers/11111111111").status()).isEqualTo(404);
    }

    @Test
    void accountsWithHoldersAndListingByCpf() {
        b1.post("/v1/banks/b1/customers", ANA);
        b1.post("/v1/banks/b1/customers", BIA);
        Client.Response joint = b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"100\",\"type\":\"JOINT\","
                + "\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"},{\"cpf\":\"22222222222\",\"role\":\"HOLDER\"}]}");
        assertThat(joint.status()).isEqualTo(201);
        assertThat(joint.json().get("balance").getAsLong()).isZero();
        assertThat(joint.json().getAsJsonArray("holders")).hasSize(2);
        Client.Response business = b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"200\",\"type\":\"BUSINESS\","
                + "\"company\":{\"name\":\"Acme\",\"cnpj\":\"11222333000181\"},"
                + "\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"ADMIN\"}]}");
        assertThat(business.status()).isEqualTo(201);
        assertThat(business.json().getAsJsonObject("company").get("cnpj").getAsString()).isEqualTo("11222333000181");

        Client.Response employee = b1.post("/v1/banks/b1/accounts/200/holders",
                "{\"cpf\":\"22222222222\",\"role\":\"EMPLOYEE\"}");
        assertThat(employee.status()).isEqualTo(201);
        assertThat(employee.json().getAsJsonArray("holders")).hasSize(2);
        assertThat(b1.post("/v1/banks/b1/accounts/200/holders", "{\"cpf\":\"22222222222\",\"role\":\"EMPLOYEE\"}")
                .error()).isEqualTo("HOLDER_EXISTS");
        assertThat(b1.post("/v1/banks/b1/accounts/999/holders", "{\"cpf\":\"22222222222\",\"role\":\"HOLDER\"}")
                .status()).isEqualTo(404);
        // removed again (the bank decides who may); unknown account or CPF not on it: 404
        Client.Response removed = b1.delete("/v1/banks/b1/accounts/200/holders/22222222222");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().getAsJsonArray("holders")).hasSize(1);
        assertThat(b1.delete("/v1/banks/b1/accounts/200/holders/22222222222").error()).isEqualTo("HOLDER_NOT_FOUND");
        assertThat(b1.delete("/v1/banks/b1/accounts/999/holders/22222222222").status()).isEqualTo(404);
        assertThat(b1.post("/v1/banks/b1/accounts/200/holders", "{\"cpf\":\"22222222222\",\"role\":\"EMPLOYEE\"}")
                .status()).isEqualTo(201);

        JsonArray anas = b1.get("/v1/banks/b1/customers/11111111111/accounts").json().getAsJsonArray("accounts");
        assertThat(anas).hasSize(2);
        assertThat(b1.get("/v1/banks/b1/customers/33333333333/accounts").status()).isEqualTo(404);
        assertThat(b1.get("/v1/banks/b1/accounts/100").json().get("type").getAsString()).isEqualTo("JOINT");
        assertThat(b1.get("/v1/banks/b1/accounts/nope").status()).isEqualTo(404);
        assertThat(b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"100\",\"type\":\"PERSONAL\","
                + "\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}").error()).isEqualTo("ACCOUNT_EXISTS");
    }

    @Test
    void badAccountsAre4xxAndCreateNothing() {
        b1.post("/v1/banks/b1/customers", ANA);
        String[] bad = {
            "{\"account_id\":\"1\",\"type\":\"SAVINGS\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}",
            "{\"account_id\":\"1\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"BOSS\"}]}",
            "{\"account_id\":\"1\",\"type\":\"PERSONAL\",\"holders\":[]}",
            "{\"account_id\":\"1\",\"type\":\"BUSINESS\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"ADMIN\"}]}",
            "{\"account_id\":\"1\",\"type\":\"PERSONAL\",\"company\":{\"name\":\"X\",\"cnpj\":\"11222333000181\"},"
                    + "\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}",
            "{\"account_id\":\"1\",\"type\":\"JOINT\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"},"
                    + "{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}",
            "{\"account_id\":\"a b\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}",
        };
        for (String body : bad) {
            assertThat(b1.post("/v1/banks/b1/accounts", body).status()).as(body).isEqualTo(400);
        }
        Client.Response unknownCustomer = b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"1\",\"type\":\"PERSONAL\","
                + "\"holders\":[{\"cpf\":\"99999999999\",\"role\":\"HOLDER\"}]}");
        assertThat(unknownCustomer.status()).isEqualTo(404);
        assertThat(unknownCustomer.error()).isEqualTo("CUSTOMER_NOT_FOUND");
        assertThat(b1.get("/v1/banks/b1/accounts/1").status()).isEqualTo(404);
        assertThat(b1.get("/v1/banks/b1/total").json().get("accounts").getAsLong()).isZero();
    }

    @Test
    void pixKeysBalancesAndTotal() {
        b1.openAccount("b1", "300", "11111111111");
        b1.openAccount("b1", "301", "22222222222");
        assertThat(b1.setBalance("b1", "300", 250, "s1").status()).isEqualTo(200);
        assertThat(b1.setBalance("b1", "301", 50, "s2").status()).isEqualTo(200);

        Client.Response key = b1.post("/v1/banks/b1/pix-keys",
                "{\"key\":\"ana@example.com\",\"type\":\"EMAIL\",\"account_id\":\"300\"}");
        assertThat(key.status()).isEqualTo(201);
        assertThat(b1.post("/v1/banks/b1/pix-keys", "{\"key\":\"ana@example.com\",\"type\":\"EMAIL\","
                + "\"account_id\":\"301\"}").error()).isEqualTo("PIX_KEY_TAKEN");
        assertThat(b1.post("/v1/banks/b1/pix-keys", "{\"key\":\"k2\",\"type\":\"PIGEON\",\"account_id\":\"300\"}")
                .status()).isEqualTo(400);
        assertThat(b1.post("/v1/banks/b1/pix-keys", "{\"key\":\"k2\",\"type\":\"RANDOM\",\"account_id\":\"nope\"}")
                .status()).isEqualTo(404);
        assertThat(b1.get("/v1/banks/b1/pix-keys/ana@example.com").json().get("account_id").getAsString())
                .isEqualTo("300");
        assertThat(b1.get("/v1/banks/b1/accounts/300/pix-keys").json().getAsJsonArray("keys")).hasSize(1);
        assertThat(b1.delete("/v1/banks/b1/pix-keys/ana@example.com").status()).isEqualTo(204);
        assertThat(b1.delete("/v1/banks/b1/pix-keys/ana@example.com").status()).isEqualTo(404);
        assertThat(b1.get("/v1/banks/b1/pix-keys/ana@example.com").status()).isEqualTo(404);

        JsonObject balances = b1.post("/v1/banks/b1/balances", "{\"account_ids\":[\"300\",\"301\",\"nope\"]}").json();
        assertThat(balances.getAsJsonObject("balances").get("300").getAsLong()).isEqualTo(250);
        assertThat(balances.getAsJsonArray("missing").get(0).getAsString()).isEqualTo("nope");
        assertThat(b1.post("/v1/banks/b1/balances", "{\"account_ids\":[3]}").status()).isEqualTo(400);

        JsonObject total = b1.get("/v1/banks/b1/total").json();
        assertThat(total.get("total").getAsLong()).isEqualTo(300);
        assertThat(total.get("accounts").getAsLong()).isEqualTo(2);
        assertThat(new Client(server.url(), TOKEN_B2).get("/v1/banks/b2/total").json().get("total").getAsLong())
                .isZero();
    }

    @Test
    void transactionOutcomesAreFinalOnceDecided() {
        String pending = "{\"fingerprint\":\"fp-1\",\"status\":\"PENDING\",\"order\":{\"origin\":\"b1\"}}";
        assertThat(b1.put("/v1/banks/b1/transactions/tx-1", pending).status()).isEqualTo(201);
        assertThat(b1.put("/v1/banks/b1/transactions/tx-1", pending).status()).isEqualTo(200);
        String aborted = "{\"fingerprint\":\"fp-1\",\"status\":\"ABORTED\",\"reason\":\"INSUFFICIENT_FUNDS\","
                + "\"failed_leg\":1}";
        Client.Response decided = b1.put("/v1/banks/b1/transactions/tx-1", aborted);
        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.json().get("failed_leg").getAsInt()).isEqualTo(1);
        assertThat(b1.put("/v1/banks/b1/transactions/tx-1", aborted).status()).isEqualTo(200);
        Client.Response flip = b1.put("/v1/banks/b1/transactions/tx-1",
                "{\"fingerprint\":\"fp-1\",\"status\":\"COMMITTED\"}");
        assertThat(flip.status()).isEqualTo(409);
        assertThat(flip.error()).isEqualTo("ALREADY_DECIDED");
        assertThat(b1.put("/v1/banks/b1/transactions/tx-1", pending.replace("fp-1", "fp-2")).error())
                .isEqualTo("TRANSACTION_CONFLICT");
        JsonObject stored = b1.get("/v1/banks/b1/transactions/tx-1").json();
        assertThat(stored.get("status").getAsString()).isEqualTo("ABORTED");
        assertThat(stored.get("reason").getAsString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(b1.get("/v1/banks/b1/transactions/tx-2").status()).isEqualTo(404);
        assertThat(b1.put("/v1/banks/b1/transactions/tx-3", "{\"fingerprint\":\"f\",\"status\":\"DONE\"}").status())
                .isEqualTo(400);
        assertThat(b1.put("/v1/banks/b1/transactions/tx-3", "{\"fingerprint\":\"f\",\"status\":\"PENDING\","
                + "\"failed_leg\":0.5}").status()).isEqualTo(400);
        assertThat(b1.get("/v1/banks/b1/transactions/tx-3").status()).isEqualTo(404);
    }

    @Test
    void everyBankCallNeedsTheRightToken() {
        String[] gets = {"/v1/banks/b1/customers/11111111111", "/v1/banks/b1/accounts/1", "/v1/banks/b1/total",
            "/v1/banks/b1/transactions/t", "/v1/banks/b1/pix-keys/k", "/v1/banks/b1/usernames/u"};
        for (String path : gets) {
            assertThat(new Client(server.url(), null).get(path).status()).as(path).isEqualTo(401);
            assertThat(b1.withToken("not-a-token-at-all").get(path).status()).as(path).isEqualTo(401);
            assertThat(b1.withToken(TOKEN_B2).get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(b1.withToken(TOKEN_B2).post("/v1/banks/b1/customers", ANA).status()).isEqualTo(403);
        assertThat(b1.get("/v1/banks/b1/customers/11111111111").status()).isEqualTo(404);
    }
}
