package org.distribank.dataserver.store;

import java.sql.Connection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of the data server goes through this single thread (group commit). It drains the queued
 * writes, runs each one under its own savepoint in one JDBC transaction (a refused write rolls back to its
 * savepoint and does not sink the batch), commits, forces the database file to disk, and only then
 * answers the callers. So a successful answer means the write is on disk, and the cost of one fsync is
 * shared by every write of the batch. One writer also makes every check-then-write free of races.
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** A write: runs on the writer's connection inside the batch transaction; throws ApiException to refuse. */
    @FunctionalInterface
    public interface Task<T> {
        T apply(Connection connection) throws SQLException;
    }

    private record Pending<T>(Task<T> task, CompletableFuture<T> future) {
        void fail(Throwable t) {
            future.completeExceptionally(t);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long ANSWER_TIMEOUT_S = 30;

    private final Database database;
    private final Connection connection;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public GroupCommitWriter(Database database) throws SQLException {
        this.database = database;
        this.connection = database.connection();
        this.connection.setAutoCommit(false);
        this.thread = new Thread(this::loop, "data-server-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues the write and waits until it is durable (or refused). */
    public <T> T execute(Task<T> task) {
        if (!running) {
            throw new ApiException(503, "SHUTTING_DOWN", "The data server is shutting down.");
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        queue.add(new Pending<>(task, future));
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

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit loop failed", e);
                batch.forEach(p -> p.fail(new ApiException(500, "INTERNAL", "The write failed.")));
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] refusals = new Throwable[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                // one name for every write's savepoint (the newest shadows the older ones): the same SQL text each
                // time, so H2 takes it from its query cache instead of parsing a new SYSTEM_SAVEPOINT_n per write
                Savepoint savepoint = connection.setSavepoint("w");
                try {
                    results[i] = batch.get(i).task().apply(connection);
                } catch (ApiException e) {
                    connection.rollback(savepoint);
                    refusals[i] = e;
                } catch (SQLException | RuntimeException e) {
                    LOG.error("write failed; rolled back to its savepoint", e);
                    connection.rollback(savepoint);
                    refusals[i] = new ApiException(500, "INTERNAL", "The write failed; nothing was changed.");
                }
            }
            connection.commit();
            if (database.isH2()) {
                // H2 2.3 (MVStore) does not fsync a commit; CHECKPOINT SYNC writes it out and forces it to disk.
                try (Statement s = connection.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
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
        // Refusals are answered after the commit too: they may have depended on writes earlier in the batch.
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], refusals[i]);
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

    /** Finishes every queued write, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection failed", e);
        }
    }
}
