package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.TOKEN_B1;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data server's {@code /openapi.json} is a valid OpenAPI 3 document (swagger-parser) and tells the truth: every
 * route is called on a real server and its real answer checked against the schema documented for that status.
 */
class DataServerContractTest {

    private static final String BASE = "/v1/banks/{businessId}";
    private static final String ANA = "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\","
            + "\"password_hash\":\"$2a$10$hash\",\"email\":\"ana@example.com\"}";
    private static final String BIA = "{\"cpf\":\"22222222222\",\"name\":\"Bia\",\"username\":\"bia\","
            + "\"password_hash\":\"$2a$10$hash2\"}";

    private OpenApiContract contract;
    private Client b1;

    @Test
    void everyRouteAnswersWhatTheDocumentSays(@TempDir Path dir) throws Exception {
        try (DataServer server = TestServers.start(dir)) {
            Client anonymous = new Client(server.url(), null);
            b1 = new Client(server.url(), TOKEN_B1);
            Client.Response doc = anonymous.get("/openapi.json");
            contract = new OpenApiContract(doc.text());
            contract.check("GET", "/openapi.json", doc.status(), doc.text());
            check("GET", "/health", anonymous.get("/health"), 200);

            check("POST", BASE + "/customers", b1.post("/v1/banks/b1/customers", ANA), 201);
            check("POST", BASE + "/customers", b1.post("/v1/banks/b1/customers", BIA), 201);
            check("GET", BASE + "/customers/{cpf}", b1.get("/v1/banks/b1/customers/11111111111"), 200);
            check("GET", BASE + "/usernames/{username}", b1.get("/v1/banks/b1/usernames/ana"), 200);
            check("POST", BASE + "/accounts", b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"100\",\"type\":"
                    + "\"PERSONAL\",\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"HOLDER\"}]}"), 201);
            check("POST", BASE + "/accounts", b1.post("/v1/banks/b1/accounts", "{\"account_id\":\"200\",\"type\":"
                    + "\"BUSINESS\",\"company\":{\"name\":\"Acme\",\"cnpj\":\"11222333000181\"},"
                    + "\"holders\":[{\"cpf\":\"11111111111\",\"role\":\"ADMIN\"}]}"), 201);
            check("POST", BASE + "/accounts/{accountId}/holders", b1.post("/v1/banks/b1/accounts/200/holders",
                    "{\"cpf\":\"22222222222\",\"role\":\"EMPLOYEE\"}"), 201);
            check("DELETE", BASE + "/accounts/{accountId}/holders/{cpf}",
                    b1.delete("/v1/banks/b1/accounts/200/holders/22222222222"), 200);
            check("GET", BASE + "/customers/{cpf}/accounts", b1.get("/v1/banks/b1/customers/11111111111/accounts"),
                    200);
            check("GET", BASE + "/accounts/{accountId}", b1.get("/v1/banks/b1/accounts/200"), 200);

            // the original four calls
            check("POST", "/setBalance", b1.setBalance("b1", "100", 1_000, "seed-1"), 200);
            check("GET", "/getbalance/{business_id}/{account_id}", b1.get("/getbalance/b1/100"), 200);
            Client owner = b1.as("owner-1");
            check("GET", "/getLock/{business_id}/{account_id}", owner.getLock("b1", "100"), 200);
            check("POST", "/unLock", owner.unlock("b1", "100"), 200);

            // postings, reads
            check("POST", BASE + "/postings", b1.post("/v1/banks/b1/postings", "{\"postings\":["
                    + "{\"operation_id\":\"p1:0:out\",\"account_id\":\"100\",\"value\":-300,\"kind\":\"TRANSFER_OUT\","
                    + "\"transaction\":\"t1\",\"counterparty\":\"b1/200\"},"
                    + "{\"operation_id\":\"p1:0:in\",\"account_id\":\"200\",\"value\":300,\"kind\":\"TRANSFER_IN\","
                    + "\"transaction\":\"t1\",\"counterparty\":\"b1/100\"}],"
                    + "\"outcomes\":[{\"transaction_id\":\"t1\",\"fingerprint\":\"fp\",\"status\":\"COMMITTED\","
                    + "\"order\":{\"origin\":\"b1\",\"clock\":{\"b1\":1}}}]}"), 200);
            check("GET", BASE + "/accounts/{accountId}/statement", b1.get("/v1/banks/b1/accounts/100/statement"), 200);
            check("POST", BASE + "/balances", b1.post("/v1/banks/b1/balances", "{\"account_ids\":[\"100\",\"200\"]}"),
                    200);
            check("GET", BASE + "/total", b1.get("/v1/banks/b1/total"), 200);

            // PIX keys, transaction outcomes
            check("POST", BASE + "/pix-keys", b1.post("/v1/banks/b1/pix-keys",
                    "{\"key\":\"ana@example.com\",\"type\":\"EMAIL\",\"account_id\":\"100\"}"), 201);
            check("GET", BASE + "/pix-keys/{key}", b1.get("/v1/banks/b1/pix-keys/ana@example.com"), 200);
            check("GET", BASE + "/accounts/{accountId}/pix-keys", b1.get("/v1/banks/b1/accounts/100/pix-keys"), 200);
            check("DELETE", BASE + "/pix-keys/{key}", b1.delete("/v1/banks/b1/pix-keys/ana@example.com"), 204);
            String pending = "{\"fingerprint\":\"fp-2\",\"status\":\"PENDING\",\"order\":{\"origin\":\"b1\"}}";
            check("PUT", BASE + "/transactions/{transactionId}", b1.put("/v1/banks/b1/transactions/tx-2", pending),
                    201);
            check("PUT", BASE + "/transactions/{transactionId}", b1.put("/v1/banks/b1/transactions/tx-2", pending),
                    200);
            check("GET", BASE + "/transactions/{transactionId}", b1.get("/v1/banks/b1/transactions/t1"), 200);

            // the managing bank (one owner per account)
            check("GET", BASE + "/manager", b1.get("/v1/banks/b1/manager"), 404);
            check("PUT", BASE + "/manager", b1.put("/v1/banks/b1/manager", "{\"bank\":\"b1\",\"name\":\"Bank 1\"}"),
                    200);
            check("GET", BASE + "/manager", b1.get("/v1/banks/b1/manager"), 200);
            check("POST", "/setBalance", b1.setBalance("b1", "100", 5, "legacy-managed"), 409);
            check("GET", "/getLock/{business_id}/{account_id}", owner.getLock("b1", "100"), 409);
            check("POST", "/unLock", owner.unlock("b1", "100"), 409);
            check("DELETE", BASE + "/manager", b1.delete("/v1/banks/b1/manager"), 204);

            // errors
            check("GET", "/getbalance/{business_id}/{account_id}", anonymous.get("/getbalance/b1/100"), 401);
            check("GET", BASE + "/accounts/{accountId}", b1.get("/v1/banks/b1/accounts/nope"), 404);
            check("POST", "/setBalance", b1.setBalance("b1", "100", -1_000_000, "seed-2"), 409);

            assertThat(contract.checked()).containsExactlyElementsOf(contract.operations());
        }
    }

    private void check(String method, String template, Client.Response r, int status) {
        assertThat(r.status()).as(method + " " + template + ": " + r.text()).isEqualTo(status);
        contract.check(method, template, r.status(), r.text());
    }
}
