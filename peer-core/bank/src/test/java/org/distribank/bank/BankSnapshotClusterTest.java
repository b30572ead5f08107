package org.distribank.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.distribank.bank.Customers.deposit;
import static org.distribank.bank.Customers.leg;
import static org.distribank.bank.Customers.personal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.distribank.bank.Customers.Customer;
import org.distribank.consortium.ConsortiumNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank snapshots with small thresholds on real banks (real data servers, real HTTP, real logs): under a few
 * hundred transfers every bank's protocol log is truncated below a snapshot, and a bank killed right after a
 * snapshot, or one delivery before its next one, restarts from its snapshot to the same balances, PIX keys,
 * delivered count and log hash as its peers, and keeps committing transfers with them.
 */
class BankSnapshotClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(BankSnapshotClusterTest.class);
    private static final long SEGMENT = 16_384;
    private static final int EVERY_OPS = 25;

    @TempDir
    Path dir;

    private BankCluster start() {
        return BankCluster.start(dir, 3, false, o -> o.logSegmentBytes(SEGMENT).snapshotEveryOps(EVERY_OPS)
                .snapshotEveryBytes(0));
    }

    /** One customer per bank, each with a CPF PIX key and 100,000 deposited. */
    private static List<Customer> customers(BankCluster c) {
        List<Customer> out = new ArrayList<>();
        for (String id : c.ids()) {
            Customer cu = personal(id, c.url(id), "Cliente " + id);
            deposit(cu, 100_000);
            Http.Response key = Http.post(cu.url() + "/api/v1/pix-keys", cu.token(),
                    "{\"account\":\"" + cu.account() + "\",\"type\":\"CPF\"}");
            assertThat(key.status()).as(key.toString()).isEqualTo(201);
            out.add(cu);
        }
        return out;
    }

    /** {@code n} committed transfers around the ring of customers, one at a time. */
    private static void transfers(List<Customer> cs, int from, int n) {
        for (int i = from; i < from + n; i++) {
            Customer a = cs.get(i % cs.size());
            Customer b = cs.get((i + 1) % cs.size());
            Http.Response t = Http.post(a.url() + "/api/v1/transfers", a.token(),
                    "{\"legs\":[" + leg(a.bank(), a.account(), b.bank(), b.account(), 1 + i % 7) + "]}");
            assertThat(t.json().get("status").getAsString()).as(t.toString()).isEqualTo("COMMITTED");
        }
    }

    private static void awaitAgreement(BankCluster c) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ConsortiumNode first = c.bank("b1").node();
            for (String id : c.ids()) {
                ConsortiumNode n = c.bank(id).node();
                assertThat(n.view().delivered()).as(id).isEqualTo(first.view().delivered());
                assertThat(n.view().logHash()).as(id).isEqualTo(first.view().logHash());
            }
        });
    }

    private static long segments(Path logDir) throws IOException {
        try (Stream<Path> s = Files.list(logDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
        }
    }

    /**
     * What bank {@code id} holds: its customers' balances, every customer's PIX key as this bank resolves it
     * ({@code token}: a session at that bank), its total, the consortium's money and how many operations it decided.
     */
    private static Map<String, Object> state(BankCluster c, String id, List<Customer> cs, String token) {
        Map<String, Object> out = new LinkedHashMap<>();
        BankPeer b = c.bank(id);
        for (Customer cu : cs) {
            if (cu.bank().equals(id)) {
                out.put("balance " + cu.account(), b.machine().balance(cu.account()));
            }
            Http.Response key = Http.get(c.url(id) + "/api/v1/pix-keys/" + cu.cpf(), token);
            assertThat(key.status()).as(key.toString()).isEqualTo(200);
            out.put("pix " + cu.cpf(), key.json().get("bank").getAsString() + "/"
                    + key.json().get("account").getAsString());
        }
        out.put("total", b.machine().totalBalance());
        out.put("supply", b.machine().moneySupply());
        out.put("decided through", b.machine().decidedThrough());
        return out;
    }

    @Test
    void underAFewHundredTransfersEveryBanksLogIsTruncatedBelowASnapshot() throws Exception {
        try (BankCluster c = start()) {
            List<Customer> cs = customers(c);
            transfers(cs, 0, 240);
            awaitAgreement(c);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String id : c.ids()) {
                    ConsortiumNode n = c.bank(id).node();
                    assertThat(n.snapshotPosition()).as("%s took a snapshot", id).isGreaterThan(0);
                    assertThat(c.logDir(id).resolve("log-00000001.seg")).as("%s's first segment deleted", id)
                            .doesNotExist();
                }
            });
            for (String id : c.ids()) {
                ConsortiumNode n = c.bank(id).node();
                // 240 transfers are about 60 segments of 16 KiB of log; what is kept is a few
                assertThat(segments(c.logDir(id))).as("%s's segments", id).isLessThanOrEqualTo(12);
                long[] cost = ((org.distribank.consortium.node.NodeImpl) n).lastSnapshotNanos();
                LOG.info("{}: snapshot at {} of {} delivered, log {} bytes in {} segments; last snapshot serialised in "
                        + "{} µs, written in {} µs", id, n.snapshotPosition(), n.view().delivered(), n.logBytes(),
                        segments(c.logDir(id)), cost[0] / 1_000, cost[1] / 1_000);
            }
            // the operator API shows it (API.md: the consortium view's snapshot)
            Http.Response view = Http.get(c.url("b1") + "/api/v1/consortium", BankCluster.OPERATOR);
            assertThat(view.json().getAsJsonObject("snapshot").get("position").getAsLong()).isGreaterThan(0);
        }
    }

    @Test
    void aBankKilledRightAfterASnapshotRestartsFromItToTheSameState() throws Exception {
        try (BankCluster c = start()) {
            List<Customer> cs = customers(c);
            transfers(cs, 0, 150);
            awaitAgreement(c);
            // one at a time until b2's latest snapshot covers everything it delivered
            int i = 150;
            while (!snapshotCoversAll(c, "b2")) {
                assertThat(i).as("b2 took no snapshot in %d transfers", 3 * EVERY_OPS).isLessThan(150 + 3 * EVERY_OPS);
                transfers(cs, i++, 1);
                awaitAgreement(c);
            }
            killRestartAndCompare(c, cs, i, null);
        }
    }

    @Test
    void aBankWhoseAppliedWatermarkLagsRestartsFromAnOlderSnapshotAndAppliesNothingTwice() throws Exception {
        try (BankCluster c = start()) {
            List<Customer> cs = customers(c);
            transfers(cs, 0, 150);
            awaitAgreement(c);
            // a kill before the applier's watermark file caught up (it is replaced at most every 100 ms, not
            // fsynced): the restart starts from the truncation base and sends again what its data server holds
            killRestartAndCompare(c, cs, 150, "0");
        }
    }

    @Test
    void aBankKilledOneDeliveryBeforeItsNextSnapshotRestartsToTheSameState() throws Exception {
        try (BankCluster c = start()) {
            List<Customer> cs = customers(c);
            transfers(cs, 0, 150);
            awaitAgreement(c);
            int i = 150;
            while (delivered(c, "b2") - c.bank("b2").node().snapshotPosition() != EVERY_OPS - 1) {
                assertThat(i).as("b2 never one short of a snapshot").isLessThan(150 + 3 * EVERY_OPS);
                transfers(cs, i++, 1);
                awaitAgreement(c);
            }
            killRestartAndCompare(c, cs, i, null);
        }
    }

    private static long delivered(BankCluster c, String id) {
        return c.bank(id).node().view().delivered();
    }

    /** Whether {@code id}'s latest snapshot holds everything it delivered (it is taken right after a burst). */
    private static boolean snapshotCoversAll(BankCluster c, String id) {
        try {
            await().atMost(Duration.ofMillis(500)).until(() -> c.bank(id).node().snapshotPosition() == delivered(c, id));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** {@code watermark}: what to leave in b2's applier watermark file after the kill (null: what it wrote). */
    private void killRestartAndCompare(BankCluster c, List<Customer> cs, int next, String watermark)
            throws Exception {
        Customer two = cs.get(1);
        Map<String, Object> before = state(c, "b2", cs, two.token());
        long delivered = delivered(c, "b1");
        String hash = c.bank("b1").node().view().logHash();
        long snapshot = c.bank("b2").node().snapshotPosition();
        c.kill("b2");
        assertThat(c.logDir("b2").resolve("log-00000001.seg")).as("b2's log was truncated").doesNotExist();
        Path watermarkFile = c.logDir("b2").resolve("applied-position");
        if (watermark != null) {
            Files.writeString(watermarkFile, watermark);
        }
        long applied = Long.parseLong(Files.readString(watermarkFile).strip());
        LOG.info("b2 killed at delivered {}, its snapshot at {}, its applier's watermark {}", delivered, snapshot,
                applied);
        BankPeer b2 = c.restart("b2");
        assertThat(b2.node().snapshotPosition()).as("b2 restarted from a snapshot").isGreaterThan(0)
                .isLessThanOrEqualTo(snapshot);
        if (watermark == null) {
            assertThat(b2.node().snapshotPosition()).as("at or below what its data server held").isLessThanOrEqualTo(
                    applied);
        }
        // sessions live in memory: sign in again
        String token = Customers.login(two.url(), two.username());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(b2.node().view().delivered()).isEqualTo(delivered);
            assertThat(b2.node().view().logHash()).isEqualTo(hash);
            // a decision is made again once it is final again: the peers' receive vectors that said so before the
            // kill came in frames of no messages, which are not logged, so b2 hears them again first
            assertThat(state(c, "b2", cs, token)).isEqualTo(before);
        });
        // what a customer sees: the balance at the bank and the statement at its data server, written once
        Customer again = new Customer("b2", two.url(), two.cpf(), two.username(), two.account(), token);
        assertThat(Customers.balance(again)).isEqualTo(before.get("balance " + two.account()));
        long statementSum = 0;
        for (var e : Http.get(two.url() + "/api/v1/accounts/" + two.account() + "/statement", token).json()
                .getAsJsonArray("entries")) {
            statementSum += e.getAsJsonObject().get("amount").getAsLong();
        }
        assertThat(statementSum).as("b2's data server holds each posting once").isEqualTo(Customers.balance(again));
        // and the consortium keeps committing with it
        List<Customer> now = new ArrayList<>(cs);
        now.set(1, again);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Http.Response r = Http.post(again.url() + "/api/v1/deposits", again.token(),
                    "{\"account\":\"" + again.account() + "\",\"amount\":1}");
            assertThat(r.status()).isEqualTo(200);
        });
        transfers(now, next, 30);
        awaitAgreement(c);
        for (String id : c.ids()) {
            assertThat(c.bank(id).machine().moneySupply()).isEqualTo(c.bank("b1").machine().moneySupply());
        }
        assertThat(c.ids().stream().mapToLong(id -> c.bank(id).machine().totalBalance()).sum())
                .isEqualTo(c.bank("b1").machine().moneySupply());
    }
}
