package org.distribank.bank.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.bank.Customers.personal;

import java.nio.file.Path;
import org.distribank.bank.BankCluster;
import org.distribank.bank.Customers;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.Http;
import org.distribank.common.StrictJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deposits toward the consortium's money-supply cap are refused with a reason before any total can overflow,
 * and the banks restart cleanly afterwards (before the cap, enough business accounts' deposits could push a
 * bank's SUM(balance) past Long.MAX_VALUE and it could never start again). The cap is lowered here to 10^15
 * cents so ten deposits reach it; BankMachineTest drives the real default to its end.
 */
class MoneySupplyCapTest {

    static final long CAP = 10 * StrictJson.MAX_AMOUNT;

    @TempDir
    Path dir;
    BankCluster cluster;

    @BeforeEach
    void start() {
        cluster = BankCluster.start(dir, 2, true, o -> o.moneySupplyCap(CAP));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theCapRefusesDepositsAndEveryBankRestarts() {
        // all at one bank: it counts its own deposits in flight exactly (another bank's are counted once decided;
        // BANK.md "The money supply cap" bounds what that lets through)
        Customer a = personal("b1", cluster.url("b1"), "Big Depositor");
        for (int i = 0; i < 10; i++) {
            Customers.deposit(a, StrictJson.MAX_AMOUNT);
        }
        Http.Response over = Http.post(a.url() + "/api/v1/deposits", a.token(),
                "{\"account\":\"" + a.account() + "\",\"amount\":1}");
        assertThat(over.json().get("status").getAsString()).as(over.toString()).isEqualTo("ABORTED");
        assertThat(over.json().get("reason").getAsString()).isEqualTo("MONEY_SUPPLY_LIMIT");
        assertThat(audit().get("total").getAsLong()).isEqualTo(CAP);

        for (String id : cluster.ids()) {
            cluster.restart(id);
        }
        assertThat(audit().get("total").getAsLong()).isEqualTo(CAP);
        Customer again = new Customer(a.bank(), a.url(), a.cpf(), a.username(), a.account(),
                Customers.login(a.url(), a.username()));
        Http.Response still = Http.post(again.url() + "/api/v1/deposits", again.token(),
                "{\"account\":\"" + again.account() + "\",\"amount\":1}");
        assertThat(still.json().get("reason").getAsString()).as(still.toString()).isEqualTo("MONEY_SUPPLY_LIMIT");
        Http.Response withdrawal = Http.post(again.url() + "/api/v1/withdrawals", again.token(),
                "{\"account\":\"" + again.account() + "\",\"amount\":100}");
        assertThat(withdrawal.json().get("status").getAsString()).isEqualTo("COMMITTED");
        assertThat(Customers.balance(again)).isEqualTo(CAP - 100);
    }

    /** An audit, asked again while the consortium answers STILL_PENDING ("look again shortly"), as an operator would. */
    private com.google.gson.JsonObject audit() {
        Http.Response[] last = new Http.Response[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            last[0] = Http.post(cluster.url("b1") + "/api/v1/audits", BankCluster.OPERATOR, "{}");
            return last[0].status() != 503 || !"STILL_PENDING".equals(last[0].error());
        });
        assertThat(last[0].status()).as(last[0].toString()).isEqualTo(200);
        return last[0].json();
    }
}
