package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.holder;
import static org.distribank.bank.Customers.newCpf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow opening (many bcrypt checks) does not hold up anyone else's: bcrypt runs outside the opening lock. */
class AccountOpeningTest {

    @Test
    void aJointOpeningOfTenExistingCustomersDoesNotStallOtherOpenings(@TempDir Path dir) {
        // a real cost, so that ten password checks take a while (tens of milliseconds each, more on a busy machine)
        try (BankCluster cluster = BankCluster.start(dir, 1, true, o -> o.bcryptCost(10))) {
            String url = cluster.url("b1");
            List<String> holders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String cpf = newCpf();
                String h = holder("Existing " + i, cpf, "ex" + cpf);
                assertThat(Http.post(url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":" + h + "}")
                        .status()).isEqualTo(201);
                holders.add(h);
            }
            // each of the ten proves their password again (one login per person per bank): ten bcrypt checks
            CompletableFuture<Http.Response> joint = CompletableFuture.supplyAsync(() -> Http.post(
                    url + "/api/v1/accounts", null, "{\"type\":\"JOINT\",\"holders\":[" + String.join(",", holders) + "]}"));
            // meanwhile: a refused opening needs no bcrypt at all, and a new customer's needs one hash
            String taken = holders.get(0).replace("\"Existing 0\"", "\"Other\"").replaceFirst("\"cpf\":\"[0-9]+\"",
                    "\"cpf\":\"" + newCpf() + "\"");
            Http.Response refused = Http.post(url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":"
                    + taken + "}");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.error()).isEqualTo("USERNAME_TAKEN");
            assertThat(joint).as("the joint opening is still checking passwords").isNotDone();
            String cpf = newCpf();
            Http.Response fresh = Http.post(url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":"
                    + holder("Fresh", cpf, "fresh" + cpf) + "}");
            assertThat(fresh.status()).as(fresh.toString()).isEqualTo(201);
            assertThat(joint).as("the joint opening is still checking passwords").isNotDone();
            Http.Response j = joint.join();
            assertThat(j.status()).as(j.toString()).isEqualTo(201);
            assertThat(j.json().getAsJsonArray("holders")).hasSize(10);
        }
    }
}
