package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.ledger.DataServerLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 0, as an operator tried it with separate data servers: a deposit of 10,000 at b1, then the
 * original {@code setBalance} on b1's data server with b1's own token takes the account to 0, then a transfer of
 * 5,000 to b2 answered COMMITTED: 5,000 created. A bank peer now claims its business at start, and the data
 * server refuses the original writes on it (409 MANAGED_BY_BANK naming the bank); reads stay.
 */
class OneOwnerPerAccountTest {

    @Test
    void theOriginalApiCannotMoveMoneyThatABankManages(@TempDir Path dir) {
        try (BankCluster cluster = BankCluster.start(dir, 2, false)) {
            Customer payer = personal("b1", cluster.url("b1"), "Olga");
            Customer payee = personal("b2", cluster.url("b2"), "Otto");
            deposit(payer, 10_000);
            DataServerLink ds = cluster.bank("b1").options().dataServer();

            HttpResponse<String> legacy = legacy(ds, "POST", "/setBalance", "{\"business_id\":\"" + ds.businessId()
                    + "\",\"account_id\":\"" + payer.account() + "\",\"value\":-10000,\"operation_id\":\"legacy-1\"}");
            assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(409);
            JsonObject refusal = JsonParser.parseString(legacy.body()).getAsJsonObject();
            assertThat(refusal.get("error").getAsString()).isEqualTo("MANAGED_BY_BANK");
            assertThat(refusal.get("bank").getAsString()).isEqualTo("b1");
            assertThat(legacy(ds, "GET", "/getLock/" + ds.businessId() + "/" + payer.account(), null).statusCode())
                    .isEqualTo(409);
            assertThat(dataServerBalance(ds, payer.account())).isEqualTo(10_000); // reads stay

            Http.Response t = Http.post(payer.url() + "/api/v1/transfers", payer.token(),
                    "{\"legs\":[" + leg("b1", payer.account(), "b2", payee.account(), 5_000) + "]}");
            assertThat(t.status()).as(t.toString()).isEqualTo(200);
            assertThat(t.json().get("status").getAsString()).isEqualTo("COMMITTED");
            // the bank and its data server agree: nothing created
            assertThat(Customers.balance(payer)).isEqualTo(5_000);
            assertThat(dataServerBalance(ds, payer.account())).isEqualTo(5_000);
            assertThat(Customers.balance(payee)).isEqualTo(5_000);
        }
    }

    private static long dataServerBalance(DataServerLink ds, String account) {
        HttpResponse<String> r = legacy(ds, "GET", "/getbalance/" + ds.businessId() + "/" + account, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject().get("balance").getAsLong();
    }

    /** A call of the original API with the business's own token (the header, never the URL). */
    static HttpResponse<String> legacy(DataServerLink ds, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ds.url() + path))
                .header("auth-token", ds.token()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Http.send(b.build());
    }
}
