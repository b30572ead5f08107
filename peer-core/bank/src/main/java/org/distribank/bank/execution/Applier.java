package org.distribank.bank.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.ledger.Ledger;
import org.distribank.bank.ledger.LedgerException;
import org.distribank.bank.ledger.OutcomeRecord;
import org.distribank.bank.ledger.Posting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes decided operations to the data server, in delivery order, off the protocol thread. Whatever queued
 * up while the previous batch was being written goes in the next: its postings in one atomic
 * {@code POST /postings}, with the origin's outcome records ({@code outcomes}, same data-server transaction; the
 * few left over go by {@code PUT /transactions/{id}} in parallel, off the client's path): the protocol log is the
 * outcome's source of truth, the record is the data server's copy. Every posting's {@code operation_id} is
 * {@code p<position>:leg:side} ({@link PostingIds}), so a
 * re-application after a crash and log replay is a no-op; a batch mixing applied and new ids is refused as a
 * whole (409 OPERATION_CONFLICT), and then sent again one operation at a time. Unreachable data server: retry
 * with backoff, forever, in order. {@link #appliedPosition()} is the delivery position up to which everything
 * is durable there.
 *
 * <p>A small watermark file (the last applied position, replaced atomically after each batch, not fsynced)
 * lets a restarted bank skip re-sending what its data server already holds while the log replays. A stale
 * watermark only means re-sending more, which is idempotent.
 */
public final class Applier implements EffectSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
    private static final int MAX_POSTINGS = 900;
    private static final int MAX_ITEMS = 2_000;
    /**
     * Outcome records per postings call (the data server takes up to 1,000): with up to 900 postings, a call stays
     * well under the data server's 1 MB request limit. The rest go by {@code PUT}.
     */
    private static final int MAX_CARRIED_OUTCOMES = 200;
    /** Outcome records queued for the writers at most (see the constructor). */
    static final int MAX_PENDING_OUTCOME_WRITES = 4_096;

    private final Ledger ledger;
    private final Path watermarkFile;
    private final long appliedBeforeStart;
    private final LinkedBlockingQueue<Effects> queue = new LinkedBlockingQueue<>();
    /** Waiters by the position they wait for (guarded by itself). */
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private final Thread thread;
    private final ThreadPoolExecutor parallel;
    /** Delivery positions whose outcome record is not written yet. */
    private final ConcurrentSkipListSet<Long> pendingOutcomes = new ConcurrentSkipListSet<>();
    private volatile boolean running = true;
    private static final long WATERMARK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private long lastWatermarkWrite = System.nanoTime() - WATERMARK_EVERY_NANOS; // applier thread only
    private volatile long watermarkDue = -1;
    private volatile long watermarkWritten = -1;
    private volatile long appliedPosition;
    private volatile long enqueuedPosition;

    public Applier(Ledger ledger, String bankId) {
        this(ledger, bankId, null);
    }

    /** {@code watermarkFile} null: no watermark, everything replayed is sent again. */
    public Applier(Ledger ledger, String bankId, Path watermarkFile) {
        this.ledger = ledger;
        this.watermarkFile = watermarkFile;
        this.appliedBeforeStart = readWatermark(watermarkFile);
        this.thread = new Thread(this::run, "applier-" + bankId);
        this.thread.setDaemon(true);
        AtomicInteger n = new AtomicInteger();
        // bounded: during a data-server outage the records wait here at most MAX_PENDING_OUTCOME_WRITES deep; past
        // that the applier thread writes the next one itself, so it slows down (and its own bounded queue fills)
        // instead of this queue growing with the outage
        this.parallel = new ThreadPoolExecutor(8, 8, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_OUTCOME_WRITES), r -> {
                    Thread t = new Thread(r, "applier-" + bankId + "-out-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    public void start() {
        thread.start();
    }

    @Override
    public void enqueue(Effects item) {
        enqueuedPosition = Math.max(enqueuedPosition, item.position());
        queue.add(item);
    }

    public long appliedPosition() {
        return appliedPosition;
    }

    public long enqueuedPosition() {
        return enqueuedPosition;
    }

    /** Waits (bounded) until everything up to {@code position} is durable at the data server. */
    public boolean awaitApplied(long position, long timeoutMs) {
        return awaitPosition(position, timeoutMs) >= position;
    }

    /**
     * Waits (bounded) until {@code appliedPosition() >= position}; returns the applied position then (or at the
     * timeout). Each waiter parks on its own future, woken only when its position is reached (no broadcast).
     */
    public long awaitPosition(long position, long timeoutMs) {
        if (appliedPosition >= position) {
            return appliedPosition;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (appliedPosition >= position) {
                return appliedPosition;
            }
            waiters.computeIfAbsent(position, p -> new ArrayList<>()).add(f);
        }
        try {
            f.get(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (waiters) {
                List<CompletableFuture<Void>> l = waiters.get(position);
                if (l != null && l.remove(f) && l.isEmpty()) {
                    waiters.remove(position);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return appliedPosition;
    }

    private void run() {
        List<Effects> batch = new ArrayList<>();
        while (running) {
            try {
                Effects first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                int postings = first.hasPostings() ? first.postings().size() : 0;
                // whatever queued up while the previous batch was being written goes in this one
                while (batch.size() < MAX_ITEMS) {
                    Effects next = queue.peek();
                    if (next == null || postings + (next.hasPostings() ? next.postings().size() : 0) > MAX_POSTINGS) {
                        break;
                    }
                    batch.add(queue.poll());
                    postings += next.hasPostings() ? next.postings().size() : 0;
                }
                long last = batch.get(batch.size() - 1).position();
                if (last > appliedBeforeStart) {
                    batch.removeIf(i -> i.position() <= appliedBeforeStart);
                    if (!applyWithRetry(batch)) {
                        return; // closing: what was not written is written again after the restart's replay
                    }
                    advance(last); // waiters first: the watermark file is only a restart shortcut
                    // ceiling, not isEmpty()+first(): an outcome writer may empty the set in between, and a
                    // NoSuchElementException here used to end the applier thread (every later answer PENDING)
                    Long oldestPending = pendingOutcomes.ceiling(Long.MIN_VALUE);
                    maybeWriteWatermark(oldestPending == null ? last : Math.min(last, oldestPending - 1));
                } else {
                    advance(last);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long readWatermark(Path file) {
        if (file == null || !Files.exists(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable applier watermark {}, re-applying everything: {}", file, e.toString());
            return 0;
        }
    }

    /**
     * At most one watermark write per {@link #WATERMARK_EVERY_NANOS} (and the last one at close): a stale watermark
     * only means re-sending more after a restart, and a file replace per batch costs syscalls and journal work.
     */
    private void maybeWriteWatermark(long position) {
        watermarkDue = position;
        long now = System.nanoTime();
        if (now - lastWatermarkWrite >= WATERMARK_EVERY_NANOS) {
            lastWatermarkWrite = now;
            writeWatermark(position);
            watermarkWritten = position;
        }
    }

    private void writeWatermark(long position) {
        if (watermarkFile == null) {
            return;
        }
        try {
            Path tmp = watermarkFile.resolveSibling(watermarkFile.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(position), StandardCharsets.UTF_8);
            Files.move(tmp, watermarkFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write the applier watermark {}: {}", watermarkFile, e.toString());
        }
    }

    private void advance(long position) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            appliedPosition = Math.max(appliedPosition, position);
            NavigableMap<Long, List<CompletableFuture<Void>>> due = waiters.headMap(appliedPosition, true);
            due.values().forEach(ready::addAll);
            due.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    /** True once written (or refused for good and skipped); false when the applier is closing. */
    private boolean applyWithRetry(List<Effects> batch) throws InterruptedException {
        long backoff = 20;
        while (running) {
            try {
                apply(batch);
                return true;
            } catch (LedgerException e) {
                if (!e.unreachable() && e.status() != 423) {
                    LOG.error("data server refused operations {}: {} {}; skipping them", ids(batch), e.code(),
                            e.getMessage());
                    return true;
                }
                LOG.warn("data server unavailable ({}), retrying in {} ms", e.getMessage(), backoff);
                Thread.sleep(backoff); // backoff between retries of an unreachable server
                backoff = Math.min(backoff * 2, 1_000);
            } catch (RuntimeException e) {
                // never let the applier thread die: a batch is idempotent, so it is written again
                LOG.error("unexpected failure writing operations {}, retrying in {} ms", ids(batch), backoff, e);
                Thread.sleep(backoff); // backoff between retries
                backoff = Math.min(backoff * 2, 1_000);
            }
        }
        return false;
    }

    /**
     * One batch: every posting in one atomic call, then PIX changes in order; outcome records are handed to
     * {@link #recordOutcome}. A failure anywhere retries the whole batch, which is idempotent.
     */
    private void apply(List<Effects> batch) {
        List<Posting> all = new ArrayList<>();
        List<Effects> withPostings = new ArrayList<>();
        for (Effects i : batch) {
            if (i.hasPostings()) {
                all.addAll(i.postings());
                withPostings.add(i);
            }
        }
        // The outcome records of the batch's operations ride in the postings call (same data-server transaction):
        // no separate PUT per transaction. Records of operations without postings go by recordOutcome.
        List<Effects> carriers = new ArrayList<>();
        for (Effects i : withPostings) {
            if (i.outcome() != null && carriers.size() < MAX_CARRIED_OUTCOMES) {
                carriers.add(i);
            }
        }
        if (!all.isEmpty()) {
            try {
                long s0 = System.nanoTime();
                carriers = postOnce(all, carriers);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("timing postings: {} items, {} postings, {} outcomes, {} us", withPostings.size(),
                            all.size(), carriers.size(), (System.nanoTime() - s0) / 1000);
                }
            } catch (LedgerException e) {
                if (e.status() == 409 && "OPERATION_CONFLICT".equals(e.code()) && withPostings.size() > 1) {
                    // replay after a restart: some of these were applied before the crash, some not
                    withPostings.forEach(this::applyOne);
                    carriers = List.of(); // applyOne sends postings only: every record goes by recordOutcome
                } else {
                    throw e;
                }
            }
        } else {
            carriers = List.of();
        }
        java.util.Set<Effects> carried = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        carried.addAll(carriers);
        for (Effects i : batch) {
            if (i.outcome() != null && !carried.contains(i) && pendingOutcomes.add(i.position())) {
                parallel.submit(() -> recordOutcome(i));
            }
        }
        for (Effects i : batch) {
            if (i.pixCreated() != null) {
                try {
                    ledger.createPixKey(i.pixCreated());
                } catch (LedgerException e) {
                    if (e.status() != 409) { // 409: already written before a restart
                        throw e;
                    }
                }
            }
            if (i.pixDeleted() != null) {
                try {
                    ledger.deletePixKey(i.pixDeleted());
                } catch (LedgerException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * The batch's postings with {@code carriers}' outcome records; returns the items whose record went with them.
     * Should the data server refuse a record (it holds another for the id), the postings go again alone and the
     * records are left to recordOutcome: a record must never sink postings.
     */
    private List<Effects> postOnce(List<Posting> all, List<Effects> carriers) {
        if (carriers.isEmpty()) {
            ledger.post(all, List.of());
            return carriers;
        }
        try {
            ledger.post(all, carriers.stream().map(Effects::outcome).toList());
            return carriers;
        } catch (LedgerException e) {
            if (e.status() == 409 && ("TRANSACTION_CONFLICT".equals(e.code()) || "ALREADY_DECIDED".equals(e.code()))) {
                ledger.post(all, List.of());
                return List.of();
            }
            throw e;
        }
    }

    private void applyOne(Effects i) {
        try {
            ledger.post(i.postings(), List.of());
        } catch (LedgerException e) {
            if (e.status() == 409 && ("OPERATION_CONFLICT".equals(e.code()) || "ALREADY_DECIDED".equals(e.code()))) {
                LOG.error("operation {} conflicts with what the data server holds: {}", i.opId(), e.getMessage());
                return;
            }
            throw e;
        }
    }

    /**
     * Outcome records are off the client's path (the outcome is already durable in the protocol log): written in
     * parallel, retried until the data server takes them; the watermark never passes one still pending, so a
     * restart writes it again.
     */
    private void recordOutcome(Effects i) {
        long backoff = 20;
        try {
            while (running) {
                try {
                    putOutcome(i.outcome());
                    pendingOutcomes.remove(i.position());
                    return;
                } catch (LedgerException e) {
                    if (!e.unreachable()) {
                        LOG.error("data server refused the outcome record of {}: {} {}", i.opId(), e.code(),
                                e.getMessage());
                        pendingOutcomes.remove(i.position());
                        return;
                    }
                    Thread.sleep(backoff); // backoff between retries of an unreachable server
                    backoff = Math.min(backoff * 2, 1_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: stays pending, so the watermark never passes it
        }
    }

    private void putOutcome(OutcomeRecord outcome) {
        try {
            ledger.recordOutcome(outcome);
        } catch (LedgerException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    private static List<String> ids(List<Effects> batch) {
        return batch.stream().map(Effects::opId).toList();
    }

    /** Outcome records waiting for a writer (bounded by {@link #MAX_PENDING_OUTCOME_WRITES}). */
    public int outcomeWritesQueued() {
        return parallel.getQueue().size();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        parallel.shutdownNow();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long due = watermarkDue;
        if (!thread.isAlive() && due > watermarkWritten) {
            writeWatermark(due);
        }
    }
}
