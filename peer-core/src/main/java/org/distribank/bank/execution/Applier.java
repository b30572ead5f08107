package org.distribank.bank.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.bank.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes decided operations to the data server, in delivery order, off the protocol thread. Consecutive
 * operations' postings go in one atomic {@code POST /postings} batch (at most one transaction outcome per
 * batch, as the data server takes one). Every posting's {@code operation_id} is {@code txId:leg:side}, so a
 * re-application after a crash and log replay is a no-op; a batch mixing applied and new ids is refused as a
 * whole (409 OPERATION_CONFLICT), and then sent again one operation at a time. Unreachable data server: retry
 * with backoff, forever, in order. {@link #appliedPosition()} is the delivery position up to which everything
 * is durable there.
 *
 * <p>A small watermark file (the last applied position, replaced atomically after each batch, not fsynced)
 * lets a restarted bank skip re-sending what its data server already holds while the log replays. A stale
 * watermark only means re-sending more, which is idempotent.
 */
public final class Applier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
    private static final int MAX_POSTINGS = 900;

    /** One decided operation's writes at this bank; empty postings and no PIX change just advance the position. */
    public record Item(long position, String opId, JsonArray postings, JsonObject outcome, JsonObject pixCreate,
                       String pixDelete) {
        boolean hasPostings() {
            return postings != null && !postings.isEmpty();
        }
    }

    private final LedgerClient ledger;
    private final Path watermarkFile;
    private final long appliedBeforeStart;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Object appliedSignal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long appliedPosition;
    private volatile long enqueuedPosition;

    public Applier(LedgerClient ledger, String bankId) {
        this(ledger, bankId, null);
    }

    /** {@code watermarkFile} null: no watermark, everything replayed is sent again. */
    public Applier(LedgerClient ledger, String bankId, Path watermarkFile) {
        this.ledger = ledger;
        this.watermarkFile = watermarkFile;
        this.appliedBeforeStart = readWatermark(watermarkFile);
        this.thread = new Thread(this::run, "applier-" + bankId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void enqueue(Item item) {
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (appliedSignal) {
            while (appliedPosition < position) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    appliedSignal.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>();
        while (running) {
            try {
                Item first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                int postings = first.hasPostings() ? first.postings().size() : 0;
                // a batch closes at an outcome or a PIX change (each needs its own call) or at the size limit
                while (first.outcome() == null && first.pixCreate() == null && first.pixDelete() == null) {
                    Item next = queue.peek();
                    if (next == null || postings + (next.hasPostings() ? next.postings().size() : 0) > MAX_POSTINGS) {
                        break;
                    }
                    batch.add(queue.poll());
                    postings += next.hasPostings() ? next.postings().size() : 0;
                    if (next.outcome() != null || next.pixCreate() != null || next.pixDelete() != null) {
                        break;
                    }
                }
                long last = batch.get(batch.size() - 1).position();
                if (last > appliedBeforeStart) {
                    batch.removeIf(i -> i.position() <= appliedBeforeStart);
                    applyWithRetry(batch);
                    writeWatermark(last);
                }
                advance(last);
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
        synchronized (appliedSignal) {
            appliedPosition = Math.max(appliedPosition, position);
            appliedSignal.notifyAll();
        }
    }

    private void applyWithRetry(List<Item> batch) throws InterruptedException {
        long backoff = 20;
        while (running) {
            try {
                apply(batch);
                return;
            } catch (LedgerException e) {
                if (!e.unreachable() && e.status() != 423) {
                    LOG.error("data server refused operations {}: {} {}; skipping them", ids(batch), e.code(),
                            e.getMessage());
                    return;
                }
                LOG.warn("data server unavailable ({}), retrying in {} ms", e.getMessage(), backoff);
                Thread.sleep(backoff); // backoff between retries of an unreachable server
                backoff = Math.min(backoff * 2, 1_000);
            }
        }
    }

    private void apply(List<Item> batch) {
        JsonArray all = new JsonArray();
        JsonObject outcome = null;
        for (Item i : batch) {
            if (i.hasPostings()) {
                all.addAll(i.postings());
            }
            if (i.outcome() != null) {
                outcome = i.outcome();
            }
        }
        if (!all.isEmpty()) {
            try {
                ledger.postings(all, outcome);
            } catch (LedgerException e) {
                if (e.status() == 409 && "OPERATION_CONFLICT".equals(e.code()) && batch.size() > 1) {
                    // replay after a restart: some of these were applied before the crash, some not
                    for (Item i : batch) {
                        if (i.hasPostings()) {
                            applyOne(i);
                        }
                    }
                } else {
                    throw e;
                }
            }
        } else if (outcome != null) {
            Item last = batch.get(batch.size() - 1);
            putOutcome(last.opId(), outcome);
        }
        for (Item i : batch) {
            if (i.pixCreate() != null) {
                try {
                    ledger.createPixKey(i.pixCreate().get("key").getAsString(), i.pixCreate().get("type").getAsString(),
                            i.pixCreate().get("account").getAsString());
                } catch (LedgerException e) {
                    if (e.status() != 409) { // 409: already written before a restart
                        throw e;
                    }
                }
            }
            if (i.pixDelete() != null) {
                try {
                    ledger.deletePixKey(i.pixDelete());
                } catch (LedgerException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                }
            }
        }
    }

    private void applyOne(Item i) {
        try {
            ledger.postings(i.postings(), i.outcome());
        } catch (LedgerException e) {
            if (e.status() == 409 && ("OPERATION_CONFLICT".equals(e.code()) || "ALREADY_DECIDED".equals(e.code()))) {
                LOG.error("operation {} conflicts with what the data server holds: {}", i.opId(), e.getMessage());
                return;
            }
            throw e;
        }
    }

    private void putOutcome(String id, JsonObject outcome) {
        JsonObject body = outcome.deepCopy();
        body.remove("transaction_id");
        try {
            ledger.putTransaction(id, body);
        } catch (LedgerException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    private static List<String> ids(List<Item> batch) {
        return batch.stream().map(Item::opId).toList();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
