package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;
import static org.distribank.bank.Customers.samePersonAt;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.bank.Customers.Customer;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.bank.ledger.LedgerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several clients transferring concurrently across three banks while an operator audits: every audit equals
 * deposits minus withdrawals, no balance goes negative, every bank delivers the same sequence, and each data
 * server ends with exactly the balances the banks hold. Both topologies.
 */
class ConcurrentTransfersTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "shared data server: {0}")
    @ValueSource(booleans = {true, false})
    void concurrentTransfersKeepTheInvariants(boolean shared) throws Exception {
        try (BankCluster cluster = BankCluster.start(dir, 3, shared)) {
            List<String> banks = cluster.ids();
            int people = 4;
            List<List<Customer>> accounts = new ArrayList<>(); // [person][bank]
            long deposited = 0;
            for (int p = 0; p < people; p++) {
                Customer first = personal("b1", cluster.url("b1"), "Person " + p);
                List<Customer> mine = new ArrayList<>(List.of(first));
                for (String b : banks.subList(1, banks.size())) {
                    mine.add(samePersonAt(first, b, cluster.url(b)));
                }
                Customers.linkEveryWay(mine); // any of the person's banks may order a debit at any other
                for (Customer c : mine) {
                    deposit(c, 5_000);
                    deposited += 5_000;
                }
                accounts.add(mine);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger aborted = new AtomicInteger();
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(people + 1);
            long expected = deposited;
            List<Long> audits = new ArrayList<>();
            Future<?> auditor = pool.submit(() -> {
                int i = 0;
                while (running.get()) {
                    audits.add(MultiBankTransferTestSupport.audit(cluster, banks.get(i++ % banks.size()))
                            .get("total").getAsLong());
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int p = 0; p < people; p++) {
                int me = p;
                clients.add(pool.submit(() -> {
                    Random rnd = new Random(me);
                    for (int i = 0; i < 12; i++) {
                        int originIdx = rnd.nextInt(banks.size());
                        Customer origin = accounts.get(me).get(originIdx);
                        int payee = (me + 1 + rnd.nextInt(people - 1)) % people;
                        List<String> legs = new ArrayList<>();
                        int n = 1 + rnd.nextInt(3);
                        for (int l = 0; l < n; l++) {
                            Customer from = accounts.get(me).get(rnd.nextInt(banks.size()));
                            Customer to = accounts.get(payee).get(rnd.nextInt(banks.size()));
                            legs.add(leg(from.bank(), from.account(), to.bank(), to.account(), 1 + rnd.nextInt(3_000)));
                        }
                        Http.Response r = Http.post(origin.url() + "/api/v1/transfers", origin.token(),
                                "{\"legs\":[" + String.join(",", legs) + "]}");
                        statuses.merge(r.status() + " " + r.json().get("status"), 1, Integer::sum);
                        if ("COMMITTED".equals(r.json().get("status").getAsString())) {
                            committed.incrementAndGet();
                        } else {
                            aborted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            running.set(false);
            auditor.get();
            pool.shutdown();
            assertThat(statuses.keySet()).as(statuses.toString()).allMatch(s -> s.startsWith("200 "));
            assertThat(committed.get()).as(statuses.toString()).isPositive();
            assertThat(audits).isNotEmpty().allMatch(t -> t == expected);

            // withdrawals, then the books close exactly
            Customer w = accounts.get(0).get(1);
            long available = Customers.balance(w);
            Http.Response wr = Http.post(w.url() + "/api/v1/withdrawals", w.token(),
                    "{\"account\":\"" + w.account() + "\",\"amount\":" + Math.max(1, available) + "}");
            long withdrawn = "COMMITTED".equals(wr.json().get("status").getAsString()) ? Math.max(1, available) : 0;
            JsonObject finalAudit = MultiBankTransferTestSupport.audit(cluster, "b3");
            assertThat(finalAudit.get("total").getAsLong()).isEqualTo(expected - withdrawn);

            long sum = 0;
            for (List<Customer> mine : accounts) {
                for (Customer c : mine) {
                    long b = Customers.balance(c);
                    assertThat(b).isNotNegative();
                    sum += b;
                }
            }
            assertThat(sum).isEqualTo(expected - withdrawn);

            // every bank delivered the same sequence
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<JsonObject> views = banks.stream().map(b -> Http.get(cluster.url(b) + "/api/v1/consortium",
                        BankCluster.OPERATOR).json()).toList();
                assertThat(views.stream().map(v -> v.get("delivered").getAsLong()).distinct()).hasSize(1);
                assertThat(views.stream().map(v -> v.get("logHash").getAsString()).distinct()).hasSize(1);
            });
            // and each data server holds exactly what its bank holds
            for (String b : banks) {
                BankOptions o = cluster.bank(b).options();
                try (LedgerClient ledger = new LedgerClient(new DataServerLink(o.dataServer().url(), b,
                        o.dataServer().token()))) {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                            ledger.total().get("total").getAsLong()).isEqualTo(cluster.bank(b).machine().totalBalance()));
                }
            }
            assertThat(finalAudit.getAsJsonObject("perBank").get("b1").getAsLong())
                    .isEqualTo(cluster.bank("b1").machine().totalBalance());
        }
    }
}
