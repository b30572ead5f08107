package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank test in the style of Jepsen's: 4 banks and 4 data servers as OS processes, 8 people with a personal
 * account at every bank (8 accounts per bank, funded by deposits), 32 client threads making random 1- to 3-leg
 * cross-bank transfers with client-chosen ids (an uncertain answer — timeout, connection error, 5xx, 202 PENDING —
 * is retried later with the same id and body at the same bank), an auditor, and a nemesis that SIGKILLs and
 * restarts banks and data servers and SIGSTOPs/SIGCONTs them, one fault at a time. After healing: audits equal
 * deposits minus withdrawals, no balance or balanceAfter negative, equal logHash at equal delivered, every
 * committed transfer's legs applied exactly once, aborted ones left nothing, no statement entry of unknown origin.
 *
 * <p>Duration: {@code -Ddistribank.nemesis.seconds=N} (default 60, what CI runs).
 */
class BankNemesisTest {

    private static final Logger LOG = LoggerFactory.getLogger(BankNemesisTest.class);
    private static final int BANKS = 4;
    private static final int PEOPLE = 8;
    private static final int CLIENTS = 32;
    private static final long FUNDING = 100_000;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private RunningConsortium consortium;
    private final List<String> bankIds = List.of("b1", "b2", "b3", "b4");
    /** person → bank → account number. */
    private final List<Map<String, String>> accounts = new ArrayList<>();
    private final List<String> cpfs = new ArrayList<>();
    /** "person@bank" → session token (sessions are lost when a bank restarts: signed in again on a 401). */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    /** One transfer a client sent: its id, body, origin and what it learnt about the outcome. */
    static final class Op {
        final String id;
        final int person;
        final String origin;
        final String body;
        final List<long[]> legs; // {fromPerson, fromBankIdx, toPerson, toBankIdx, amount}
        volatile String status; // COMMITTED, ABORTED, or null while uncertain
        volatile String lastAnswer = "none"; // for the failure message of a transfer that stays uncertain
        final AtomicInteger attempts = new AtomicInteger();

        Op(String id, int person, String origin, String body, List<long[]> legs) {
            this.id = id;
            this.person = person;
            this.origin = origin;
            this.body = body;
            this.legs = legs;
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void moneyIsConservedAndAppliedExactlyOnceUnderKillsAndPauses() throws Exception {
        long seconds = Long.getLong("distribank.nemesis.seconds", 60);
        LaunchOptions o = LaunchOptions.builder()
                .banks(BANKS)
                .dataDir(dir.resolve("data"))
                .processes(true)
                .separateDataServers(true)
                .bcryptCost(4)
                .heartbeat(300, 1_500)
                .readyTimeout(Duration.ofSeconds(150))
                .javaOptions(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .build();
        long started = System.nanoTime();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            consortium = c;
            LOG.info("nemesis test: consortium up in {} ms", (System.nanoTime() - started) / 1_000_000);
            long deposited = openAndFund();

            List<Op> ops = new CopyOnWriteArrayList<>();
            List<Long> auditTotals = new CopyOnWriteArrayList<>();
            List<String> anomalies = new CopyOnWriteArrayList<>();
            List<String> faults = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int me = t;
                workers.add(pool.submit(() -> client(me, deadline, ops, anomalies)));
            }
            workers.add(pool.submit(() -> auditor(deadline, done, auditTotals, anomalies)));
            Future<?> nemesis = pool.submit(() -> nemesis(deadline, done, faults));
            try {
                nemesis.get(seconds + 150, TimeUnit.SECONDS);
            } finally {
                done.countDown();
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            LOG.info("nemesis test: {} transfers sent, {} audits, faults {}", ops.size(), auditTotals.size(), faults);

            // heal: everything up, every uncertain transfer resolved by retrying its id
            consortium.awaitReady(Duration.ofSeconds(120));
            resolveUncertain(ops);

            // one withdrawal after the load, so the books are deposits minus withdrawals
            String wId = UUID.randomUUID().toString();
            long wAmount = 1;
            Http.Response w = callAs(0, "b1", "POST", "/api/v1/withdrawals", "{\"id\":\"" + wId
                    + "\",\"account\":\"" + accounts.get(0).get("b1") + "\",\"amount\":" + wAmount + "}");
            assertThat(w.status()).as(w.toString()).isEqualTo(200);
            long withdrawn = "COMMITTED".equals(w.field("status")) ? wAmount : 0;
            long money = deposited - withdrawn;

            // quiescence: every bank delivered the same sequence
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<JsonObject> views = new ArrayList<>();
                for (String b : bankIds) {
                    views.add(Http.get(consortium.bank(b).url() + "/api/v1/consortium", consortium.operatorToken(b))
                            .json());
                }
                assertThat(views).allMatch(v -> v.has("delivered"));
                assertThat(views.stream().map(v -> v.get("delivered").getAsLong()).distinct()).hasSize(1);
                assertThat(views.stream().map(v -> v.get("logHash").getAsString()).distinct()).hasSize(1);
            });
            JsonObject finalAudit = Http.post(consortium.bank("b3").url() + "/api/v1/audits",
                    consortium.operatorToken("b3"), "{}").json();
            auditTotals.add(finalAudit.get("total").getAsLong());

            // the statements of all 32 accounts, once the appliers have caught up
            Map<String, List<JsonObject>> statements = new HashMap<>();
            Map<String, Long> balances = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (int p = 0; p < PEOPLE; p++) {
                    for (String b : bankIds) {
                        String key = b + "/" + accounts.get(p).get(b);
                        Http.Response a = callAs(p, b, "GET", "/api/v1/accounts/" + accounts.get(p).get(b), null);
                        assertThat(a.status()).as(a.toString()).isEqualTo(200);
                        long balance = a.json().get("balance").getAsLong();
                        List<JsonObject> entries = statement(p, b);
                        long sum = entries.stream().mapToLong(e -> e.get("amount").getAsLong()).sum();
                        assertThat(sum).as("statement of %s adds up to its balance", key).isEqualTo(balance);
                        balances.put(key, balance);
                        statements.put(key, entries);
                    }
                }
            });

            long committed = ops.stream().filter(op -> "COMMITTED".equals(op.status)).count();
            long aborted = ops.stream().filter(op -> "ABORTED".equals(op.status)).count();
            long retried = ops.stream().filter(op -> op.attempts.get() > 1).count();
            LOG.info("nemesis test: committed {}, aborted {}, retried ids {}, audits {}, anomalies {}", committed,
                    aborted, retried, auditTotals.size(), anomalies);

            assertThat(anomalies).as("answers the API does not allow").isEmpty();
            assertThat(faults).as("the nemesis injected faults").isNotEmpty();
            assertThat(committed).as("transfers committed under faults").isPositive();
            assertThat(ops).as("every transfer resolved").allMatch(op -> op.status != null);

            // 1. every successful audit equals deposits minus withdrawals (none withdrawn before the final one)
            assertThat(auditTotals).hasSizeGreaterThan(1);
            assertThat(auditTotals.subList(0, auditTotals.size() - 1)).allMatch(t -> t == deposited);
            assertThat(auditTotals.get(auditTotals.size() - 1)).isEqualTo(money);
            assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(money);

            // 2. no balance ever negative, and each balanceAfter follows from the one before
            for (Map.Entry<String, List<JsonObject>> s : statements.entrySet()) {
                assertThat(balances.get(s.getKey())).isNotNegative();
                long running = 0;
                for (JsonObject e : s.getValue()) {
                    running += e.get("amount").getAsLong();
                    assertThat(e.get("balanceAfter").getAsLong()).as("%s %s", s.getKey(), e).isNotNegative()
                            .isEqualTo(running);
                }
            }

            // 3. exactly once: the entries of each transaction are exactly its legs (once), aborted ones left none
            Map<String, Map<String, List<Long>>> actual = new HashMap<>(); // tx → account → signed amounts
            for (Map.Entry<String, List<JsonObject>> s : statements.entrySet()) {
                for (JsonObject e : s.getValue()) {
                    actual.computeIfAbsent(e.get("transaction").getAsString(), k -> new HashMap<>())
                            .computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(e.get("amount").getAsLong());
                }
            }
            Map<String, Map<String, List<Long>>> expected = new HashMap<>();
            fundingIds.forEach((id, key) -> expected.put(id, Map.of(key, new ArrayList<>(List.of(FUNDING)))));
            if (withdrawn > 0) {
                expected.put(wId, Map.of("b1/" + accounts.get(0).get("b1"), new ArrayList<>(List.of(-wAmount))));
            }
            for (Op op : ops) {
                if (!"COMMITTED".equals(op.status)) {
                    assertThat(actual).as("aborted %s left no entries", op.id).doesNotContainKey(op.id);
                    continue;
                }
                Map<String, List<Long>> legs = new HashMap<>();
                for (long[] l : op.legs) {
                    String from = bankIds.get((int) l[1]) + "/" + accounts.get((int) l[0]).get(bankIds.get((int) l[1]));
                    String to = bankIds.get((int) l[3]) + "/" + accounts.get((int) l[2]).get(bankIds.get((int) l[3]));
                    legs.computeIfAbsent(from, k -> new ArrayList<>()).add(-l[4]);
                    legs.computeIfAbsent(to, k -> new ArrayList<>()).add(l[4]);
                }
                expected.put(op.id, legs);
            }
            for (Map<String, List<Long>> m : actual.values()) {
                m.values().forEach(Collections::sort);
            }
            for (Map<String, List<Long>> m : expected.values()) {
                m.values().forEach(Collections::sort);
            }
            assertThat(actual.keySet()).as("no entry of a transaction nobody committed")
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, Map<String, List<Long>>> e : expected.entrySet()) {
                assertThat(actual.get(e.getKey())).as("entries of %s", e.getKey()).isEqualTo(e.getValue());
            }
            LOG.info("nemesis test: all invariants hold ({} s of faults, {} s in all)", seconds,
                    (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    // ---- setup ----

    private final Map<String, String> fundingIds = new LinkedHashMap<>(); // deposit id → "bank/account"

    private long openAndFund() throws Exception {
        long total = 0;
        for (int p = 0; p < PEOPLE; p++) {
            String cpf = Customers.newCpf();
            cpfs.add(cpf);
            Map<String, String> mine = new LinkedHashMap<>();
            for (String b : bankIds) {
                String url = consortium.bank(b).url();
                mine.put(b, Customers.openPersonal(url, "Person " + p, cpf, username(p, b)));
            }
            accounts.add(mine);
            // a leg may debit this person's account at any bank through any other (API.md v1.1): each bank's
            // consent for every other bank, linked there, so the cross-bank legs below carry one
            for (String owner : bankIds) {
                for (String grantee : bankIds) {
                    if (!grantee.equals(owner)) {
                        Customers.link(consortium.bank(owner).url(), session(p, owner), mine.get(owner), grantee,
                                consortium.bank(grantee).url(), session(p, grantee));
                    }
                }
            }
            for (String b : bankIds) {
                String id = UUID.randomUUID().toString();
                Http.Response r = Http.call("POST", consortium.bank(b).url() + "/api/v1/deposits", session(p, b),
                        "{\"id\":\"" + id + "\",\"account\":\"" + mine.get(b) + "\",\"amount\":" + FUNDING + "}",
                        Duration.ofSeconds(30));
                assertThat(r.field("status")).as(r.toString()).isEqualTo("COMMITTED");
                fundingIds.put(id, b + "/" + mine.get(b));
                total += FUNDING;
            }
        }
        return total;
    }

    private static String username(int person, String bank) {
        return "p" + person + bank;
    }

    private String session(int person, String bank) throws IOException, InterruptedException {
        String key = person + "@" + bank;
        String t = sessions.get(key);
        if (t == null) {
            t = Customers.login(consortium.bank(bank).url(), username(person, bank));
            sessions.put(key, t);
        }
        return t;
    }

    private void relogin(int person, String bank, String stale) {
        sessions.remove(person + "@" + bank, stale);
    }

    /** A call as {@code person} at {@code bank}, signing in again once if the bank restarted (sessions are in memory). */
    private Http.Response callAs(int person, String bank, String method, String path, String body)
            throws IOException, InterruptedException {
        for (int i = 0; ; i++) {
            String token = session(person, bank);
            Http.Response r = Http.call(method, consortium.bank(bank).url() + path, token, body, Duration.ofSeconds(30));
            if (r.status() != 401 || i > 0) {
                return r;
            }
            relogin(person, bank, token);
        }
    }

    private List<JsonObject> statement(int p, String b) throws IOException, InterruptedException {
        List<JsonObject> out = new ArrayList<>();
        long after = 0;
        while (true) {
            Http.Response r = callAs(p, b, "GET", "/api/v1/accounts/" + accounts.get(p).get(b)
                    + "/statement?after=" + after + "&limit=1000", null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<JsonObject> page = new ArrayList<>();
            for (JsonElement e : r.json().getAsJsonArray("entries")) {
                page.add(e.getAsJsonObject());
            }
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).get("entry").getAsLong();
        }
    }

    // ---- the client, the auditor, the nemesis ----

    private Void client(int me, long deadline, List<Op> ops, List<String> anomalies) {
        Random rnd = new Random(me * 7919L);
        int person = me % PEOPLE;
        List<Op> uncertain = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Op op;
            if (!uncertain.isEmpty() && rnd.nextInt(3) == 0) {
                op = uncertain.remove(0);
            } else {
                op = newTransfer(person, rnd);
                ops.add(op);
            }
            send(op, anomalies);
            if (op.status == null) {
                uncertain.add(op);
            }
        }
        return null;
    }

    private Op newTransfer(int person, Random rnd) {
        String origin = bankIds.get(rnd.nextInt(BANKS));
        int n = 1 + rnd.nextInt(3);
        List<long[]> legs = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        String id = UUID.randomUUID().toString();
        body.append("{\"id\":\"").append(id).append("\",\"legs\":[");
        for (int l = 0; l < n; l++) {
            int fromBank = rnd.nextInt(BANKS);
            int toBank = (fromBank + 1 + rnd.nextInt(BANKS - 1)) % BANKS; // cross-bank
            int toPerson = (person + 1 + rnd.nextInt(PEOPLE - 1)) % PEOPLE;
            long amount = 1 + rnd.nextInt(30_000);
            legs.add(new long[] {person, fromBank, toPerson, toBank, amount});
            if (l > 0) {
                body.append(',');
            }
            body.append("{\"from\":{\"bank\":\"").append(bankIds.get(fromBank)).append("\",\"account\":\"")
                    .append(accounts.get(person).get(bankIds.get(fromBank))).append("\"},\"to\":{\"bank\":\"")
                    .append(bankIds.get(toBank)).append("\",\"account\":\"")
                    .append(accounts.get(toPerson).get(bankIds.get(toBank))).append("\"},\"amount\":").append(amount)
                    .append('}');
        }
        body.append("]}");
        return new Op(id, person, origin, body.toString(), legs);
    }

    /** One attempt; sets {@code op.status} when the answer is definitive. */
    private void send(Op op, List<String> anomalies) {
        for (int auth = 0; auth < 3; auth++) {
            String token;
            try {
                token = session(op.person, op.origin);
            } catch (IOException | InterruptedException | AssertionError e) {
                return; // bank unreachable or restarting: uncertain, try later
            }
            op.attempts.incrementAndGet();
            Http.Response r;
            try {
                r = Http.call("POST", consortium.bank(op.origin).url() + "/api/v1/transfers", token, op.body,
                        CLIENT_TIMEOUT);
            } catch (IOException | InterruptedException e) {
                op.lastAnswer = e.toString();
                return;
            }
            op.lastAnswer = r.toString();
            if (r.status() == 401) {
                relogin(op.person, op.origin, token); // the bank restarted: sessions live in memory
                continue;
            }
            if (r.status() == 200) {
                String s = r.field("status");
                if ("COMMITTED".equals(s) || "ABORTED".equals(s)) {
                    op.status = s;
                } else {
                    anomalies.add(op.id + ": 200 with " + r);
                }
                return;
            }
            if (r.status() == 202 || r.status() >= 500) {
                return; // PENDING, bank or data server offline: retry the same id later
            }
            anomalies.add(op.id + " at " + op.origin + ": " + r);
            op.status = "REFUSED";
            return;
        }
    }

    private void resolveUncertain(List<Op> ops) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 500) { // the last try: say which stayed uncertain and why
                        ops.stream().filter(op -> op.status == null).limit(5).forEach(op -> LOG.warn(
                                "still uncertain: {} at {} after {} attempts, last answer {}", op.id, op.origin,
                                op.attempts.get(), op.lastAnswer));
                    }
                })
                .until(() -> {
            List<String> none = new ArrayList<>();
            for (Op op : ops) {
                if (op.status == null) {
                    send(op, none);
                }
            }
            return ops.stream().allMatch(op -> op.status != null);
        });
    }

    private Void auditor(long deadline, CountDownLatch done, List<Long> totals, List<String> anomalies)
            throws InterruptedException {
        Random rnd = new Random(42);
        while (System.nanoTime() < deadline) {
            String b = bankIds.get(rnd.nextInt(BANKS));
            try {
                Http.Response r = Http.call("POST", consortium.bank(b).url() + "/api/v1/audits",
                        consortium.operatorToken(b), "{}", CLIENT_TIMEOUT);
                if (r.status() == 200) {
                    JsonObject j = r.json();
                    long total = j.get("total").getAsLong();
                    long perBank = j.getAsJsonObject("perBank").entrySet().stream()
                            .mapToLong(e -> e.getValue().getAsLong()).sum();
                    if (perBank != total) {
                        anomalies.add("audit total " + total + " is not the sum of " + j.get("perBank"));
                    }
                    totals.add(total);
                } else if (r.status() < 500) {
                    anomalies.add("audit at " + b + ": " + r);
                }
            } catch (IOException e) {
                // that bank is down or paused: the nemesis's doing
            }
            if (done.await(200, TimeUnit.MILLISECONDS)) {
                return null;
            }
        }
        return null;
    }

    private Void nemesis(long deadline, CountDownLatch done, List<String> faults) throws Exception {
        long seed = Long.getLong("distribank.nemesis.seed", System.nanoTime());
        LOG.info("nemesis seed {} (-Ddistribank.nemesis.seed={} repeats the fault schedule)", seed, seed);
        Random rnd = new Random(seed);
        String[] kinds = {"kill-bank", "pause-data-server", "kill-data-server", "pause-bank"};
        int k = 0;
        while (System.nanoTime() < deadline - TimeUnit.SECONDS.toNanos(5)) {
            if (done.await(2 + rnd.nextInt(3), TimeUnit.SECONDS)) {
                return null;
            }
            String kind = kinds[k++ % kinds.length];
            String bank = bankIds.get(rnd.nextInt(BANKS));
            int ds = consortium.dataServerOf(bank);
            long faultStart = System.nanoTime();
            switch (kind) {
                case "kill-bank" -> {
                    consortium.killBank(bank);
                    done.await(1, TimeUnit.SECONDS);
                    consortium.restartBank(bank);
                }
                case "kill-data-server" -> {
                    consortium.killDataServer(ds);
                    done.await(2, TimeUnit.SECONDS);
                    consortium.restartDataServer(ds);
                }
                case "pause-bank" -> {
                    consortium.pauseBank(bank);
                    try {
                        done.await(4, TimeUnit.SECONDS);
                    } finally {
                        consortium.resumeBank(bank);
                    }
                }
                default -> {
                    consortium.pauseDataServer(ds);
                    try {
                        done.await(3, TimeUnit.SECONDS);
                    } finally {
                        consortium.resumeDataServer(ds);
                    }
                }
            }
            consortium.awaitReady(Duration.ofSeconds(90));
            String f = kind + " " + bank + " (" + (System.nanoTime() - faultStart) / 1_000_000 + " ms to heal)";
            LOG.info("nemesis: {}", f);
            faults.add(f);
        }
        return null;
    }
}
