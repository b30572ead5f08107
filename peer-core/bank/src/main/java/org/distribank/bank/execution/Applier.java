package org.distribank.bank.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * whole (409 OPERATION_CONFLICT), and then sent again one operation at a time. {@link #appliedPosition()} is the
 * delivery position up to which everything is durable there.
 *
 * <p>Nothing decided is skipped (DESIGN.md, "Fail-stop on storage faults"). A data server that refuses a decided
 * write (401/403 after a token rotation, 404, 409 INSUFFICIENT_FUNDS or OPERATION_CONFLICT, 400, ...) stops the
 * applier where it is: the batch is retried with bounded exponential backoff ({@value #MIN_BACKOFF_MS} ms doubling
 * to {@value #MAX_BACKOFF_MS} ms) and the applied position does not move, so every client waiting on it keeps
 * hearing {@code PENDING}; {@link #stalledReason()} says why (the bank's health is {@code DEGRADED} with it, an
 * event goes on the operator stream), {@link #refusals()} counts the refused attempts. When the data server takes
 * the batch again (token fixed, business released) it resumes by itself. An unreachable data server is retried the
 * same way and counts as stalled once it lasts {@value #OUTAGE_DEGRADED_MS} ms.
 *
 * <p>The queue is tied to something bounded: past {@code maxQueued} decided operations not yet written,
 * {@link #admitting()} turns false and the bank's node takes no more frames from its peers (they keep and resend
 * them), so nothing new is delivered here until the queue is back under half of it.
 *
 * <p>Audits reconcile: an AUDIT's effects end a batch, and once everything before it is durable the applier reads
 * the data server's total ({@code GET /total}) and compares it with the bank's figure in memory at that position
 * ({@link #auditCheck}); a difference makes the bank {@code DEGRADED} until a later audit reconciles.
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
    static final long MIN_BACKOFF_MS = 20;
    static final long MAX_BACKOFF_MS = 2_000;
    /** An unreachable data server is only a stall (health DEGRADED) once it lasts this long: restarts are short. */
    static final long OUTAGE_DEGRADED_MS = 2_000;
    /**
     * Outcome records not yet written, past which the applier takes no new batch: the one bound of the outcome
     * writers (their queue holds only pending records, and a batch adds at most {@link #MAX_ITEMS}).
     */
    static final int MAX_PENDING_OUTCOMES = 10_000;
    /** Decided operations waiting for the data server before the node stops taking frames ({@link #admitting()}). */
    public static final int DEFAULT_MAX_QUEUED = 50_000;

    /**
     * One audit's reconciliation: the bank's total in memory at the audit's position and its data server's durable
     * total read right after everything up to that position was written; {@code problem} null when they agree.
     */
    public record AuditCheck(String auditId, long position, long memoryTotal, Long dataServerTotal, String problem) {
        public boolean reconciled() {
            return problem == null;
        }
    }

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
    private final int maxQueued;
    private volatile boolean replaying;
    private volatile boolean full;
    /** Why the batch writer is stopped (a refusal, or an outage that lasts), null while it writes. */
    private volatile String batchStall;
    /** Why an outcome record is refused, null while they are taken. */
    private volatile String outcomeStall;
    /** The last audit that did not reconcile, null once a later one does. */
    private volatile String auditProblem;
    private final LongAdder refusals = new LongAdder();
    private final Cache<String, AuditCheck> auditChecks = Caffeine.newBuilder().maximumSize(1_000).build();
    private volatile Consumer<Optional<String>> healthListener = reason -> { };
    private Optional<String> reportedHealth = Optional.empty(); // guarded by this

    public Applier(Ledger ledger, String bankId) {
        this(ledger, bankId, null);
    }

    /** {@code watermarkFile} null: no watermark, everything replayed is sent again. */
    public Applier(Ledger ledger, String bankId, Path watermarkFile) {
        this(ledger, bankId, watermarkFile, DEFAULT_MAX_QUEUED);
    }

    /** {@code maxQueued}: decided operations not yet written past which {@link #admitting()} says no. */
    public Applier(Ledger ledger, String bankId, Path watermarkFile, int maxQueued) {
        if (maxQueued < 2) {
            throw new IllegalArgumentException("maxQueued must be at least 2");
        }
        this.maxQueued = maxQueued;
        this.ledger = ledger;
        this.watermarkFile = watermarkFile;
        this.appliedBeforeStart = readWatermark(watermarkFile);
        this.thread = new Thread(this::run, "applier-" + bankId);
        this.thread.setDaemon(true);
        AtomicInteger n = new AtomicInteger();
        // every queued record is in pendingOutcomes, which run() keeps under MAX_PENDING_OUTCOMES + MAX_ITEMS (it
        // takes no batch past the bound): during a data-server outage the applier stops and its own bounded queue
        // fills (admitting() says no) instead of this one growing with the outage; so the queue is never full
        this.parallel = new ThreadPoolExecutor(8, 8, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_OUTCOMES + MAX_ITEMS), r -> {
                    Thread t = new Thread(r, "applier-" + bankId + "-out-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    public void start() {
        thread.start();
    }

    @Override
    public void enqueue(Effects item) {
        enqueuedPosition = Math.max(enqueuedPosition, item.position());
        if (replaying && item.auditTotal() != null) {
            // the data server may already hold writes past a replayed audit (the watermark lags): its total now
            // is not the total at the audit's position, so a replayed audit is not reconciled again
            item = new Effects(item.position(), item.opId(), item.postings(), item.outcome(), item.pixCreated(),
                    item.pixDeleted(), null);
        }
        queue.add(item);
    }

    /**
     * Around the node's start (log replay, on the calling thread): audits decided meanwhile were decided before the
     * restart, and the data server may hold writes past them, so they are not reconciled.
     */
    public void replaying(boolean on) {
        replaying = on;
    }

    public long appliedPosition() {
        return appliedPosition;
    }

    /**
     * The delivery position through which everything is durable at the data server, outcome records included (an
     * outcome record still being written holds it back, as it holds back the watermark), and never below the
     * watermark this applier started from: what the protocol may snapshot and truncate below
     * ({@link BankMachine#appliedPosition()}). Before the replay catches up it is the watermark.
     */
    @Override
    public long durablePosition() {
        long applied = appliedPosition; // first: a pending record at or below it was registered before it advanced
        Long oldestPending = pendingOutcomes.ceiling(Long.MIN_VALUE);
        long durable = oldestPending == null ? applied : Math.min(applied, oldestPending - 1);
        return Math.max(appliedBeforeStart, durable);
    }

    /**
     * Whether the bank may take more frames from its peers: false once {@code maxQueued} decided operations wait
     * for the data server, true again under half of it (hysteresis, so the links do not flap).
     */
    public boolean admitting() {
        int n = queue.size();
        if (full && n <= maxQueued / 2) {
            full = false;
            LOG.info("applier queue down to {}: taking frames from the peers again", n);
        } else if (!full && n >= maxQueued) {
            full = true;
            LOG.warn("applier queue at {} decided operations not yet written to the data server: the bank takes no "
                    + "more frames from its peers until it is under {}", n, maxQueued / 2);
        }
        return !full;
    }

    /** Decided operations waiting to be written. */
    public int queued() {
        return queue.size();
    }

    /** Why the applier is stopped (a decided write the data server refuses, or an outage that lasts), if it is. */
    public Optional<String> stalledReason() {
        String b = batchStall;
        return Optional.ofNullable(b != null ? b : outcomeStall);
    }

    /** Write attempts the data server refused (not counting an unreachable server), since start. */
    public long refusals() {
        return refusals.sum();
    }

    /** Why the bank is DEGRADED: the applier stalled, or the last audit did not reconcile. */
    public Optional<String> degradedReason() {
        Optional<String> stalled = stalledReason();
        if (stalled.isPresent()) {
            return stalled;
        }
        return Optional.ofNullable(auditProblem);
    }

    /** The reconciliation of audit {@code auditId} (the latest thousand are kept), once the applier reached it. */
    public Optional<AuditCheck> auditCheck(String auditId) {
        return Optional.ofNullable(auditChecks.getIfPresent(auditId));
    }

    /**
     * Audit {@code auditId}'s reconciliation once this bank has written up to its {@code position} (waiting up to
     * {@code waitMs}); when it has not (stalled, or slow), or the check is no longer kept, a check that says so.
     */
    public AuditCheck awaitAuditCheck(String auditId, long position, long memoryTotal, long waitMs) {
        boolean reached = awaitApplied(position, waitMs);
        return auditCheck(auditId).orElseGet(() -> new AuditCheck(auditId, position, memoryTotal, null, reached
                ? "not reconciled: decided before this bank's last restart (or no longer kept)"
                : "not reconciled: this bank has not written up to position " + position + " to its data server"
                        + stalledReason().map(r -> " (" + r + ")").orElse("")));
    }

    /** Told (from the applier's threads) each time {@link #degradedReason()} changes; empty: healthy again. */
    public void onHealthChange(Consumer<Optional<String>> listener) {
        this.healthListener = listener;
        healthChanged();
    }

    /** Under this monitor, so the listener hears the changes in the order they happened (it must not block). */
    private synchronized void healthChanged() {
        Optional<String> now = degradedReason();
        if (now.equals(reportedHealth)) {
            return;
        }
        reportedHealth = now;
        try {
            healthListener.accept(now);
        } catch (RuntimeException e) {
            LOG.warn("health listener failed", e);
        }
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
                if (pendingOutcomes.size() >= MAX_PENDING_OUTCOMES) {
                    // the outcome writers are behind (their data server refuses or is slow): wait for them rather
                    // than queue more of their work in heap; the queue above then fills and admitting() says no
                    Thread.sleep(MIN_BACKOFF_MS); // re-checked every pass, and running ends it
                    continue;
                }
                Effects first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                int postings = first.hasPostings() ? first.postings().size() : 0;
                // whatever queued up while the previous batch was being written goes in this one; an audit ends a
                // batch, so the data server's total read after it is the total at the audit's position
                while (batch.size() < MAX_ITEMS && batch.get(batch.size() - 1).auditTotal() == null) {
                    Effects next = queue.peek();
                    if (next == null || postings + (next.hasPostings() ? next.postings().size() : 0) > MAX_POSTINGS) {
                        break;
                    }
                    batch.add(queue.poll());
                    postings += next.hasPostings() ? next.postings().size() : 0;
                }
                Effects tail = batch.get(batch.size() - 1);
                long last = tail.position();
                if (last > appliedBeforeStart) {
                    batch.removeIf(i -> i.position() <= appliedBeforeStart);
                    if (!retry(batch, () -> apply(batch))) {
                        return; // closing: what was not written is written again after the restart's replay
                    }
                    if (tail.auditTotal() != null && !reconcile(batch, tail)) {
                        return;
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

    /**
     * Runs {@code step} (idempotent) until the data server takes it: never skipped, whatever it answers. A refusal
     * stalls the applier at once (reason, counter, health event); an unreachable server or a 423 once it lasts
     * {@link #OUTAGE_DEGRADED_MS}. True once done; false when the applier is closing.
     */
    private boolean retry(List<Effects> batch, Runnable step) throws InterruptedException {
        long backoff = MIN_BACKOFF_MS;
        long since = System.nanoTime();
        while (running) {
            try {
                step.run();
                if (batchStall != null) {
                    LOG.info("data server takes the writes again: applier resumed at operations {}", ids(batch));
                    batchStall = null;
                    healthChanged();
                }
                return true;
            } catch (LedgerException e) {
                boolean transient_ = e.unreachable() || e.status() == 423;
                if (!transient_) {
                    refusals.increment();
                }
                if (!transient_ || System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(OUTAGE_DEGRADED_MS)) {
                    stall(batch, e, transient_);
                } else {
                    LOG.warn("data server unavailable ({}), retrying in {} ms", e.getMessage(), backoff);
                }
            } catch (RuntimeException e) {
                // never let the applier thread die: a batch is idempotent, so it is written again
                LOG.error("unexpected failure writing operations {}, retrying in {} ms", ids(batch), backoff, e);
                String reason = "unexpected failure writing the decided writes of " + describe(batch) + ": " + e
                        + "; the applier retries them and skips nothing";
                if (!reason.equals(batchStall)) {
                    batchStall = reason;
                    healthChanged();
                }
            }
            Thread.sleep(backoff); // bounded exponential backoff between retries of the same batch
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
        return false;
    }

    private void stall(List<Effects> batch, LedgerException e, boolean outage) {
        String reason = (outage ? "data server unavailable for the decided writes of "
                : "data server refused the decided writes of ") + describe(batch) + ": "
                + (outage ? "" : e.status() + " ") + e.code() + " " + e.getMessage()
                + "; the applier retries them and skips nothing (clients hear PENDING meanwhile)";
        if (!reason.equals(batchStall)) {
            LOG.error("applier stopped: {}", reason);
            batchStall = reason;
            healthChanged();
        }
    }

    private static String describe(List<Effects> batch) {
        List<String> ids = ids(batch);
        String shown = ids.size() <= 5 ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 5)) + " and " + (ids.size() - 5) + " more";
        return "positions " + batch.get(0).position() + ".." + batch.get(batch.size() - 1).position() + " (" + shown
                + ")";
    }

    /**
     * After everything up to the audit is durable: the data server's total there against the bank's in memory.
     * Read with the same retries as a write (the applier waits here, so the read is at the audit's position).
     */
    private boolean reconcile(List<Effects> batch, Effects audit) throws InterruptedException {
        long[] durable = new long[1];
        if (!retry(batch, () -> durable[0] = ledger.durableTotal())) {
            return false;
        }
        long memory = audit.auditTotal();
        String problem = null;
        if (durable[0] != memory) {
            problem = "audit " + audit.opId() + " at position " + audit.position() + " does not reconcile: the bank "
                    + "holds " + memory + " cents in memory, its data server " + durable[0] + " (difference "
                    + (durable[0] - memory) + ")";
            LOG.error("{}", problem);
        }
        auditChecks.put(audit.opId(), new AuditCheck(audit.opId(), audit.position(), memory, durable[0], problem));
        auditProblem = problem;
        healthChanged();
        return true;
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

    /**
     * One operation's postings alone (all or none at the data server): the same postings again are a no-op, so an
     * OPERATION_CONFLICT here means the data server holds other postings under these ids, a refusal like any other
     * (the applier stops; it used to be logged and skipped).
     */
    private void applyOne(Effects i) {
        ledger.post(i.postings(), List.of());
    }

    /**
     * Outcome records are off the client's path (the outcome is already durable in the protocol log): written in
     * parallel, retried until the data server takes them; the watermark never passes one still pending, so a
     * restart writes it again.
     */
    private void recordOutcome(Effects i) {
        long backoff = MIN_BACKOFF_MS;
        try {
            while (running) {
                try {
                    putOutcome(i.outcome());
                    pendingOutcomes.remove(i.position());
                    if (outcomeStall != null) {
                        outcomeStall = null;
                        healthChanged();
                    }
                    return;
                } catch (LedgerException e) {
                    if (!e.unreachable() && e.status() != 423) {
                        // refused (e.g. a rotated token): kept pending and retried, never dropped
                        refusals.increment();
                        String reason = "data server refused the outcome record of " + i.opId() + ": " + e.status()
                                + " " + e.code() + " " + e.getMessage();
                        if (!reason.equals(outcomeStall)) {
                            LOG.error("{}; retrying", reason);
                            outcomeStall = reason;
                            healthChanged();
                        }
                    }
                    Thread.sleep(backoff); // bounded exponential backoff between retries
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
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

    /** Outcome records not yet written at the data server (at most {@link #MAX_PENDING_OUTCOMES} plus a batch). */
    public int outcomeWritesPending() {
        return pendingOutcomes.size();
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
