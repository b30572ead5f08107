package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.B2;
import static org.distribank.dataserver.TestServers.TOKEN_B1;
import static org.distribank.dataserver.TestServers.TOKEN_B2;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per account (API.md v1.1): on a business that a bank peer manages, the original writes are refused
 * with 409 MANAGED_BY_BANK naming the bank, reads stay, the bank's own postings go on; a business of the original
 * kind keeps the full original behaviour; the claim survives a restart and can be released.
 */
class ManagedBusinessTest {

    @Test
    void aManagedBusinessRefusesTheOriginalWritesAndKeepsItsReads(@TempDir Path dir) throws Exception {
        DataServerOptions options = TestServers.options(dir, 5_000);
        try (DataServer server = DataServer.start(options)) {
            Client b1 = new Client(server.url(), TOKEN_B1);
            Client b2 = new Client(server.url(), TOKEN_B2);
            b1.openAccount(B1, "acc-1", "11111111111");
            b2.openAccount(B2, "acc-9", "22222222222");
            assertThat(b1.setBalance(B1, "acc-1", 10_000, "seed").status()).isEqualTo(200);
            assertThat(b1.get("/v1/banks/b1/manager").status()).isEqualTo(404);

            Client.Response claim = b1.put("/v1/banks/b1/manager", "{\"bank\":\"bank-1\",\"name\":\"Bank One\"}");
            assertThat(claim.status()).as(claim.text()).isEqualTo(200);
            assertThat(claim.json().get("bank").getAsString()).isEqualTo("bank-1");
            // the same bank again (a restart) is fine; another bank is refused, naming the owner
            assertThat(b1.put("/v1/banks/b1/manager", "{\"bank\":\"bank-1\"}").status()).isEqualTo(200);
            Client.Response other = b1.put("/v1/banks/b1/manager", "{\"bank\":\"bank-7\"}");
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.json().get("bank").getAsString()).isEqualTo("bank-1");
            assertThat(b2.put("/v1/banks/b1/manager", "{\"bank\":\"bank-2\"}").status()).isEqualTo(403);
            assertThat(b1.put("/v1/banks/b1/manager", "{}").status()).isEqualTo(400);

            assertRefused(b1.setBalance(B1, "acc-1", -10_000, "legacy-1"));
            assertRefused(b1.as("tx-1").getLock(B1, "acc-1"));
            assertRefused(b1.unlock(B1, "acc-1"));
            assertThat(b1.balance(B1, "acc-1")).isEqualTo(10_000); // reads stay, nothing changed
            assertThat(b1.post("/v1/banks/b1/postings", "{\"postings\":[{\"operation_id\":\"p1:0:out\","
                    + "\"account_id\":\"acc-1\",\"value\":-2500,\"kind\":\"WITHDRAWAL\"}]}").status()).isEqualTo(200);
            assertThat(b1.balance(B1, "acc-1")).isEqualTo(7_500);

            // a business of the original kind on the same server keeps the original behaviour
            assertThat(b2.setBalance(B2, "acc-9", 300, "legacy-2").status()).isEqualTo(200);
            assertThat(b2.getLock(B2, "acc-9").status()).isEqualTo(200);
            assertThat(b2.unlock(B2, "acc-9").status()).isEqualTo(200);
        }
        try (DataServer server = DataServer.start(options)) {
            Client b1 = new Client(server.url(), TOKEN_B1);
            assertThat(b1.get("/v1/banks/b1/manager").json().get("name").getAsString()).isEqualTo("Bank One");
            assertRefused(b1.setBalance(B1, "acc-1", -100, "legacy-3"));

            assertThat(b1.delete("/v1/banks/b1/manager").status()).isEqualTo(204);
            assertThat(b1.setBalance(B1, "acc-1", -100, "legacy-3").status()).isEqualTo(200);
            assertThat(b1.balance(B1, "acc-1")).isEqualTo(7_400);
        }
    }

    private static void assertRefused(Client.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(409);
        assertThat(r.error()).isEqualTo("MANAGED_BY_BANK");
        assertThat(r.json().get("bank").getAsString()).isEqualTo("bank-1");
        assertThat(r.json().get("message").getAsString()).contains("bank-1");
    }
}
