package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.TOKEN_B1;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once: exact balances, exclusive locks, exactly-once operation ids. */
class ConcurrencyTest implements ServerBackend {

    @TempDir
    Path dir;

    DataServer server;
    Client b1;
    ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        server = DataServer.start(serverOptions(dir, 5_000));
        b1 = new Client(server.url(), TOKEN_B1);
        b1.openAccount(B1, "hot", "11111111111");
        pool = Executors.newFixedThreadPool(32);
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        server.close();
    }

    @Test
    void thirtyTwoThreadsOfPlusAndMinusOneGiveTheExactBalance() throws Exception {
        assertThat(b1.setBalance(B1, "hot", 1_000, "seed").status()).isEqualTo(200);
        int threads = 32;
        int perThread = 1_000;
        AtomicInteger refused = new AtomicInteger();
        List<Future<Long>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                long applied = 0;
                for (int i = 0; i < perThread; i++) {
                    // Even threads add, odd threads subtract: the sum of applied values is known exactly.
                    long value = thread % 2 == 0 ? 1 : -1;
                    Client.Response r = b1.setBalance(B1, "hot", value, "t" + thread + "-" + i);
                    if (r.status() == 200) {
                        applied += value;
                    } else {
                        assertThat(r.status()).isEqualTo(409);
                        refused.incrementAndGet();
                    }
                }
                return applied;
            }));
        }
        long expected = 1_000;
        for (Future<Long> f : futures) {
            expected += f.get(110, TimeUnit.SECONDS);
        }
        assertThat(b1.balance(B1, "hot")).isEqualTo(expected);
        assertThat(expected).isGreaterThanOrEqualTo(0);
        if (refused.get() == 0) {
            assertThat(expected).isEqualTo(1_000);
        }
    }

    @Test
    void atMostOneHolderAtEveryInstant() throws Exception {
        int owners = 16;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int o = 0; o < owners; o++) {
            Client me = b1.as("owner-" + o);
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 60; i++) {
                    Client.Response r = me.getLock(B1, "hot");
                    if (r.status() == 200) {
                        int now = holders.incrementAndGet();
                        maxHolders.accumulateAndGet(now, Math::max);
                        grants.incrementAndGet();
                        // The holder's write goes through while it holds the lock.
                        assertThat(me.setBalance(B1, "hot", 1, "w-" + Thread.currentThread().getId() + "-" + i)
                                .status()).isEqualTo(200);
                        holders.decrementAndGet();
                        assertThat(me.unlock(B1, "hot").status()).isEqualTo(200);
                    } else {
                        assertThat(r.status()).isEqualTo(423);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(maxHolders.get()).isEqualTo(1);
        assertThat(grants.get()).isGreaterThan(1);
        assertThat(b1.balance(B1, "hot")).isEqualTo(grants.get());
    }

    @Test
    void oneOperationIdSentOneHundredTimesConcurrentlyAppliesOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Client.Response>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return b1.setBalance(B1, "hot", 25, "the-one");
            }));
        }
        go.countDown();
        for (Future<Client.Response> f : futures) {
            Client.Response r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("balance").getAsLong()).isEqualTo(25);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(b1.setBalance(B1, "hot", 25, "the-one").status()).isEqualTo(200);
        }
        assertThat(b1.balance(B1, "hot")).isEqualTo(25);
    }
}
