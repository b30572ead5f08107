package org.distribank.dataserver.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.distribank.common.ApiException;
import org.distribank.common.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of the data server goes through this single thread (group commit). It drains the queued
 * writes, runs each one under its own savepoint in one JDBC transaction (a refused write rolls back to its
 * savepoint and does not sink the batch), commits, makes the batch durable, and only then answers the callers.
 * So a successful answer means the write is on disk, and the cost of one fsync is shared by every write of the
 * batch. One writer also makes every check-then-write free of races.
 *
 * <p>How a batch is made durable depends on the database:
 * <ul>
 *   <li>the embedded H2 file database (the default): the batch's accepted writes are appended to the
 *       {@link Journal} as one frame and fsynced; every {@code checkpointMs}, between two batches, this thread
 *       forces H2's file to disk ({@code CHECKPOINT SYNC}) and then drops the journal segments H2 holds. The
 *       batch's own transaction records its sequence number ({@code journal_position}), so after a crash exactly
 *       the frames H2 lacks are replayed, in order, with their original timestamps;</li>
 *   <li>H2 reached by a JDBC URL, with no journal: {@code CHECKPOINT SYNC} after each batch;</li>
 *   <li>PostgreSQL: the commit itself.</li>
 * </ul>
 *
 * <p>Why the checkpoints run on this thread: H2's store is consistent per map, not across maps (a chunk written
 * while a transaction is under way can hold its change to one table and not to another). H2 then must never
 * write a chunk while a write is under way, so the embedded database runs without H2's background writer
 * ({@code WRITE_DELAY=0}: each commit is written out by the committing thread, and every commit is made here),
 * and nothing else, the checkpoint included, commits or stores beside this thread. A file on disk is then always
 * a prefix of the batches, and {@code journal_position} says which.
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** A write: runs on the writer's connection inside the batch transaction; throws ApiException to refuse. */
    @FunctionalInterface
    public interface Task<T> {
        /** {@code now}: the write's timestamp (epoch ms), kept in the journal so a replay stamps the same rows. */
        T apply(Connection connection, long now) throws SQLException;
    }

    /** Builds the task of a journaled write again from what the journal kept, for the replay after a crash. */
    @FunctionalInterface
    public interface Replayer {
        Task<?> task(String kind, String business, JsonObject args);
    }

    private record Pending<T>(Task<T> task, long now, byte[] record, CompletableFuture<T> future) {
        void fail(Throwable t) {
            future.completeExceptionally(t);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long ANSWER_TIMEOUT_S = 30;

    private final Database database;
    private final Connection connection;
    private final Journal journal;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final long checkpointMs;
    private final int replayed;
    private volatile boolean running = true;
    /** Set when a batch committed in H2 could not be made durable: every later write is refused (fail-stop). */
    private volatile boolean broken;
    private long nextSeq; // writer thread only (and the constructor)
    private long committedSeq; // writer thread only (and the constructor, and close() after the thread ended)
    private long checkpointedSeq; // the same
    private long lastCheckpointNanos; // the same

    /** Without a journal: each batch is made durable by the database itself (see the class comment). */
    public GroupCommitWriter(Database database) throws SQLException {
        this(database, null, null, 0);
    }

    /**
     * With {@code journal} (the embedded H2 file database): replays what H2 lacks, then starts. {@code replayer}
     * rebuilds journaled writes; {@code checkpointMs} is how often H2's pages are written out.
     */
    public GroupCommitWriter(Database database, Journal journal, Replayer replayer, long checkpointMs)
            throws SQLException {
        this.database = database;
        this.journal = journal;
        this.checkpointMs = checkpointMs;
        this.connection = database.connection();
        this.connection.setAutoCommit(false);
        if (journal != null) {
            try {
                this.replayed = replay(replayer);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } else {
            this.replayed = 0;
        }
        this.lastCheckpointNanos = System.nanoTime();
        this.thread = new Thread(this::loop, "data-server-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Writes replayed from the journal when this writer started. */
    public int replayedWrites() {
        return replayed;
    }

    /**
     * Queues the write and waits until it is durable (or refused). {@code kind}, {@code business} and
     * {@code args} are what the journal keeps: the {@link Replayer} must build the same task from them.
     */
    public <T> T execute(String kind, String business, JsonObject args, Task<T> task) {
        if (!running || broken) {
            throw new ApiException(503, "SHUTTING_DOWN", broken ? "The data server cannot write to its disk."
                    : "The data server is shutting down.");
        }
        long now = System.currentTimeMillis();
        byte[] record = journal == null ? null : record(kind, business, now, args);
        CompletableFuture<T> future = new CompletableFuture<>();
        queue.add(new Pending<>(task, now, record, future));
        try {
            return future.get(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("write failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "INTERRUPTED", "The write was interrupted; it may or may not be applied.");
        } catch (TimeoutException e) {
            throw new ApiException(503, "STORE_TIMEOUT", "The store did not answer in time; retry with the same id.");
        }
    }

    private static byte[] record(String kind, String business, long now, JsonObject args) {
        JsonObject r = new JsonObject();
        r.addProperty("k", kind);
        r.addProperty("b", business);
        r.addProperty("t", now);
        r.add("a", args);
        return StrictJson.GSON.toJson(r).getBytes(StandardCharsets.UTF_8);
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    checkpointIfDue();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (broken) {
                    batch.forEach(p -> p.fail(new ApiException(503, "STORE_UNAVAILABLE",
                            "The data server cannot write to its disk.")));
                } else {
                    runBatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit loop failed", e);
                batch.forEach(p -> p.fail(new ApiException(500, "INTERNAL", "The write failed.")));
            } finally {
                batch.clear();
            }
            checkpointIfDue();
        }
    }

    private void checkpointIfDue() {
        if (journal != null && System.nanoTime() - lastCheckpointNanos >= TimeUnit.MILLISECONDS.toNanos(checkpointMs)) {
            checkpoint();
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] refusals = new Throwable[batch.size()];
        List<byte[]> records = new ArrayList<>(batch.size());
        long t0 = System.nanoTime();
        long t1;
        long t2;
        long seq = 0;
        try {
            for (int i = 0; i < batch.size(); i++) {
                Pending<?> p = batch.get(i);
                refusals[i] = runOne(p.task(), p.now(), results, i);
                if (refusals[i] == null && p.record() != null) {
                    records.add(p.record());
                }
            }
            if (!records.isEmpty()) {
                seq = nextSeq++;
                setPosition(seq);
            }
            t1 = System.nanoTime();
            connection.commit();
            t2 = System.nanoTime();
            if (journal == null && database.isH2()) {
                // H2 2.3 (MVStore) does not fsync a commit; CHECKPOINT SYNC writes it out and forces it to disk.
                checkpointSync(connection);
            }
        } catch (SQLException e) {
            LOG.error("batch commit failed; {} writes refused", batch.size(), e);
            try {
                connection.rollback();
            } catch (SQLException inner) {
                e.addSuppressed(inner);
            }
            batch.forEach(p -> p.fail(new ApiException(503, "STORE_UNAVAILABLE",
                    "The store could not commit; nothing was changed. Retry with the same id.")));
            return;
        }
        if (!records.isEmpty()) {
            try {
                journal.append(seq, records);
                committedSeq = seq;
            } catch (IOException e) {
                // committed in H2 but not durable: answering would promise what a crash could take back
                LOG.error("cannot append to the journal; the data server stops taking writes", e);
                broken = true;
                batch.forEach(p -> p.fail(new ApiException(503, "STORE_UNAVAILABLE",
                        "The data server cannot write to its disk; the write may or may not be kept.")));
                return;
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("timing batch: {} writes, statements {} us, commit {} us, durable {} us", batch.size(),
                    (t1 - t0) / 1000, (t2 - t1) / 1000, (System.nanoTime() - t2) / 1000);
        }
        // Refusals are answered after the commit too: they may have depended on writes earlier in the batch.
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], refusals[i]);
        }
    }

    /** Runs one write under its own savepoint; returns its refusal (then rolled back), or null. */
    private Throwable runOne(Task<?> task, long now, Object[] results, int i) throws SQLException {
        // one name for every write's savepoint (the newest shadows the older ones): the same SQL text each
        // time, so H2 takes it from its query cache instead of parsing a new SYSTEM_SAVEPOINT_n per write
        Savepoint savepoint = connection.setSavepoint("w");
        try {
            results[i] = task.apply(connection, now);
            return null;
        } catch (ApiException e) {
            connection.rollback(savepoint);
            return e;
        } catch (SQLException | RuntimeException e) {
            LOG.error("write failed; rolled back to its savepoint", e);
            connection.rollback(savepoint);
            return new ApiException(500, "INTERNAL", "The write failed; nothing was changed.");
        }
    }

    private void setPosition(long seq) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("UPDATE journal_position SET seq = ? WHERE id = 1")) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
    }

    private static void checkpointSync(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    /** Runs, in order, every journaled batch after the one H2 last made durable; returns the writes replayed. */
    private int replay(Replayer replayer) throws SQLException {
        long durable;
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                "SELECT seq FROM journal_position WHERE id = 1")) {
            durable = r.next() ? r.getLong(1) : 0;
        }
        connection.commit();
        List<Journal.Frame> frames;
        try {
            frames = journal.readAll();
        } catch (IOException e) {
            throw new SQLException("cannot read the journal", e);
        }
        long last = durable;
        int writes = 0;
        Object[] ignored = new Object[1];
        for (Journal.Frame f : frames) {
            if (f.seq() <= durable) {
                continue;
            }
            for (String w : f.writes()) {
                JsonObject r = JsonParser.parseString(w).getAsJsonObject();
                String kind = r.get("k").getAsString();
                Task<?> task = replayer.task(kind, r.get("b").getAsString(), r.getAsJsonObject("a"));
                Throwable refusal = runOne(task, r.get("t").getAsLong(), ignored, 0);
                if (refusal != null) {
                    // the same write on the same state was accepted the first time: this is a bug, not a retry
                    LOG.error("journal batch {}: the {} write was refused at replay: {}", f.seq(), kind,
                            refusal.getMessage());
                }
                writes++;
            }
            setPosition(f.seq());
            connection.commit();
            last = Math.max(last, f.seq());
        }
        checkpointSync(connection);
        try {
            journal.restart(last + 1);
        } catch (IOException e) {
            throw new SQLException("cannot restart the journal", e);
        }
        nextSeq = last + 1;
        committedSeq = last;
        checkpointedSeq = last;
        if (writes > 0) {
            LOG.info("replayed {} writes of {} batches from the journal", writes, frames.stream()
                    .filter(f -> f.seq() > durable).count());
        }
        return writes;
    }

    /**
     * Forces H2's file to disk ({@code CHECKPOINT SYNC}) and drops the journal segments it now holds. Runs on the
     * writer thread between batches (or in close(), after it ended): every batch up to {@code committedSeq} is in
     * the file, and no other is partly.
     */
    private void checkpoint() {
        lastCheckpointNanos = System.nanoTime();
        long upTo = committedSeq;
        if (upTo <= checkpointedSeq || broken) {
            return;
        }
        try {
            checkpointSync(connection);
            journal.checkpointed(upTo);
            checkpointedSeq = upTo;
        } catch (SQLException | IOException e) {
            LOG.warn("checkpoint failed; the journal keeps everything since the last one: {}", e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable refusal) {
        if (refusal != null) {
            p.future().completeExceptionally(refusal);
        } else {
            p.future().complete((T) result);
        }
    }

    /**
     * What a crash leaves behind, for tests: the threads stop and nothing more is written (no checkpoint, the
     * journal as it is). The database should be shut down without writing first ({@code SHUTDOWN IMMEDIATELY}).
     */
    void abandon() throws InterruptedException, IOException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_S));
        if (journal != null) {
            journal.close();
        }
    }

    /** Finishes every queued write, writes H2's pages out, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null && !thread.isAlive()) {
            checkpoint();
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("closing the journal failed", e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection failed", e);
        }
    }
}
