package org.distribank.app.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsentGrant;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.bank.identity.Cpf;
import org.distribank.common.StrictJson;

/**
 * Synthetic customers moving money across banks, for watching the protocol under load. Each
 * client gets a CPF with an account at every bank (funded by a deposit), gives at each other bank a
 * consent for its home bank and links it there (API.md v1.1), signs in at its home bank,
 * and makes transfers of one or two legs (from its accounts at one or two banks) to random
 * accounts of the others, at most {@code ratePerSecond} in all (0: as fast as the banks answer),
 * for {@code durationSeconds}. Progress is reported about four times a second and at the end.
 */
public final class LoadGenerator {

    /** What to run. */
    public record Settings(int clients, int ratePerSecond, int durationSeconds) {
        public Settings {
            if (clients < 1 || clients > 64) {
                throw new IllegalArgumentException("Clients must be between 1 and 64.");
            }
            if (ratePerSecond < 0 || ratePerSecond > 10_000) {
                throw new IllegalArgumentException("The rate must be between 0 (no limit) and 10000 per second.");
            }
            if (durationSeconds < 1 || durationSeconds > 3_600) {
                throw new IllegalArgumentException("The duration must be between 1 second and 1 hour.");
            }
        }
    }

    /** A progress report; latencies in microseconds over the committed transfers so far. */
    public record Progress(String phase, long elapsedMs, long durationMs, long committed, long aborted, long failed,
                           long p50Micros, long p99Micros, boolean done, String error) {
        /** 0..1 of the run's duration. */
        public double fraction() {
            return durationMs == 0 ? 0 : Math.min(1, (double) elapsedMs / durationMs);
        }
    }

    public static final long FUNDING_CENTS = 1_000_000;

    private final ConsortiumConnection connection;
    private final Settings settings;
    private final Consumer<Progress> onProgress;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Long> latencies = new ArrayList<>();
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private volatile long startNanos;
    private volatile String phase = "Opening and linking accounts";
    private Thread driver;

    public LoadGenerator(ConsortiumConnection connection, Settings settings, Consumer<Progress> onProgress) {
        this.connection = connection;
        this.settings = settings;
        this.onProgress = onProgress;
    }

    public synchronized void start() {
        if (driver != null) {
            throw new IllegalStateException("already started");
        }
        driver = new Thread(this::drive, "load-generator");
        driver.setDaemon(true);
        driver.start();
    }

    /** Stops early; the report that follows says done. */
    public void stop() {
        stopped.set(true);
    }

    /** Waits (bounded) for the run to end. */
    public void join(long millis) throws InterruptedException {
        Thread d = driver;
        if (d != null) {
            d.join(millis);
        }
    }

    private record Customer(CustomerClient session, List<AccountRef> own) {
    }

    private void drive() {
        List<Customer> customers;
        try {
            customers = prepare();
        } catch (RuntimeException e) {
            onProgress.accept(report(true, "Could not prepare the customers: " + e.getMessage()));
            return;
        }
        List<AccountRef> all = customers.stream().flatMap(c -> c.own().stream()).toList();
        phase = "Transferring";
        startNanos = System.nanoTime();
        long durationNanos = settings.durationSeconds() * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            Customer c = customers.get(i);
            long spacingNanos = settings.ratePerSecond() == 0 ? 0
                    : 1_000_000_000L * settings.clients() / settings.ratePerSecond();
            long offset = spacingNanos * i / Math.max(1, settings.clients());
            Thread t = new Thread(() -> work(c, all, spacingNanos, offset, durationNanos), "load-client-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        while (workers.stream().anyMatch(Thread::isAlive)) {
            onProgress.accept(report(false, null));
            LockSupport.parkNanos(250_000_000L); // progress four times a second; the workers end with the duration
        }
        onProgress.accept(report(true, null));
    }

    private List<Customer> prepare() {
        List<BankRef> banks = connection.banks();
        List<Customer> out = new ArrayList<>();
        for (int i = 0; i < settings.clients() && !stopped.get(); i++) {
            String cpf = Cpf.withCheckDigits(String.format("%09d",
                    ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999))).formatted();
            List<AccountRef> own = new ArrayList<>();
            List<CustomerClient> sessions = new ArrayList<>();
            int homeIndex = i % banks.size();
            for (BankRef bank : banks) {
                String user = "load-" + run + "-" + i + "-" + bank.id();
                String password = "load-pass-" + run;
                CustomerClient c = connection.customer(bank.id());
                AccountView a = c.openPersonal(new HolderForm("Load Client " + i, cpf, user, password, null, null));
                c.signIn(user, password);
                c.deposit(null, a.account(), FUNDING_CENTS);
                own.add(a.ref());
                sessions.add(c);
            }
            CustomerClient home = sessions.get(homeIndex);
            String homeBank = banks.get(homeIndex).id();
            for (int b = 0; b < banks.size(); b++) {
                if (b == homeIndex) {
                    continue;
                }
                // API.md v1.1: the home bank debits this client's account at bank b only with b's consent, linked
                // at home. A remote leg then carries that consent (the home bank finds it by CPF, bank and account)
                // and bank b judges the debit against it in its vote, so a large limit keeps the run about load.
                CustomerClient there = sessions.get(b);
                ConsentGrant grant = there.createConsent(own.get(b).account(), homeBank, StrictJson.MAX_AMOUNT,
                        null, false);
                home.linkAccount(grant.token());
                there.signOut();
            }
            out.add(new Customer(home, own));
            onProgress.accept(report(false, null));
        }
        return out;
    }

    private void work(Customer c, List<AccountRef> all, long spacingNanos, long offsetNanos, long durationNanos) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long next = startNanos + offsetNanos;
        while (!stopped.get() && System.nanoTime() - startNanos < durationNanos) {
            if (spacingNanos > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, 100_000_000L)); // paced by the rate; re-checks stop
                    continue;
                }
                next += spacingNanos;
            }
            List<TransferLeg> legs = new ArrayList<>();
            int n = c.own().size() > 1 && rnd.nextInt(4) == 0 ? 2 : 1;
            List<AccountRef> from = new ArrayList<>(c.own());
            java.util.Collections.shuffle(from, rnd);
            for (int k = 0; k < n; k++) {
                AccountRef to;
                do {
                    to = all.get(rnd.nextInt(all.size()));
                } while (c.own().contains(to));
                legs.add(TransferLeg.toAccount(from.get(k), to, 1 + rnd.nextInt(100)));
            }
            long t0 = System.nanoTime();
            try {
                TransactionResult r = c.session().transfer(null, legs);
                if (r.committed()) {
                    committed.incrementAndGet();
                    synchronized (latencies) {
                        latencies.add((System.nanoTime() - t0) / 1_000);
                    }
                } else if (r.pending()) {
                    failed.incrementAndGet();
                } else {
                    aborted.incrementAndGet();
                }
            } catch (BankApiException e) {
                failed.incrementAndGet(); // a bank offline (503) or down: counted, and the run goes on
                LockSupport.parkNanos(50_000_000L); // do not spin against a bank that refuses at once
            }
        }
    }

    private Progress report(boolean done, String error) {
        long p50 = 0;
        long p99 = 0;
        synchronized (latencies) {
            if (!latencies.isEmpty()) {
                long[] a = latencies.stream().mapToLong(Long::longValue).toArray();
                Arrays.sort(a);
                p50 = a[(a.length - 1) / 2];
                p99 = a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)];
            }
        }
        long elapsed = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
        long duration = settings.durationSeconds() * 1000L;
        return new Progress(done ? "Done" : phase, Math.min(elapsed, duration), duration, committed.get(),
                aborted.get(), failed.get(), p50, p99, done, error);
    }
}
