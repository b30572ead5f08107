package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.distribank.bank.Customers.Customer;
import org.distribank.consortium.NodeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operation that no link frame could carry is refused at submit with 413 OPERATION_TOO_LARGE and nothing is
 * ordered: the same id is free for a smaller operation afterwards. (The smallest frame bound makes a 100-leg
 * transfer too large; with the default 4 MiB no customer operation is.)
 */
class OperationSizeTest {

    @TempDir
    Path dir;

    @Test
    void aTransferTooLargeForOneFrameIsA413AndNothingIsOrdered() {
        try (BankCluster cluster = BankCluster.start(dir, 2, true, o -> o.limits(BankLimits.loopback().toBuilder()
                .maxFrameBytes(NodeOptions.MIN_FRAME_BYTES).build()))) {
            Customer a = personal("b1", cluster.url("b1"), "Lia Prado");
            Customer b = personal("b2", cluster.url("b2"), "Otto Reis");
            deposit(a, 10_000);
            String id = UUID.randomUUID().toString();
            List<String> legs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                legs.add(leg("b1", a.account(), "b2", b.account(), 1));
            }

            Http.Response r = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"id\":\"" + id + "\",\"legs\":[" + String.join(",", legs) + "]}");

            assertThat(r.status()).as(r.toString()).isEqualTo(413);
            assertThat(r.error()).isEqualTo("OPERATION_TOO_LARGE");
            assertThat(r.json().get("message").getAsString()).contains("Nothing was ordered");
            assertThat(Http.get(a.url() + "/api/v1/transactions/" + id, a.token()).status()).isEqualTo(404);
            assertThat(Customers.balance(a)).isEqualTo(10_000);
            assertThat(Customers.balance(b)).isZero();

            // the id was not taken: the same id with a body that fits is a new operation, not a 409
            Http.Response small = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"id\":\"" + id + "\",\"legs\":[" + String.join(",", legs.subList(0, 2)) + "]}");
            assertThat(small.status()).as(small.toString()).isEqualTo(200);
            assertThat(small.json().get("status").getAsString()).isEqualTo("COMMITTED");
            assertThat(Customers.balance(a)).isEqualTo(9_998);
        }
    }
}
