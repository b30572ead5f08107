package org.distribank.app.ui.customer;

import java.time.Duration;
import java.util.function.Consumer;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.ui.common.UiTasks;

/**
 * Follows a PENDING transaction to its outcome: asks the bank again (bounded) and hands over every answer, on the
 * UI thread, until the consortium has decided.
 */
public final class PendingFollower {

    /** Bound on following a PENDING transaction (the bank itself waits a few seconds per call). */
    static final Duration BOUND = Duration.ofSeconds(60);
    /** Pause between two looks at a PENDING transaction. */
    static final Duration PAUSE = Duration.ofMillis(250);

    private final UiTasks tasks;
    private final Duration bound;
    private final Duration pause;

    public PendingFollower(UiTasks tasks) {
        this(tasks, BOUND, PAUSE);
    }

    /** Tests choose a bound and no pause. */
    PendingFollower(UiTasks tasks, Duration bound, Duration pause) {
        this.tasks = tasks;
        this.bound = bound;
        this.pause = pause;
    }

    /**
     * Hands {@code r} to {@code update}; while it is PENDING, asks {@code c} again and hands over every answer,
     * until it is decided. {@code failed} gets a lost bank or the bound.
     */
    void follow(CustomerApi c, String id, TransactionResult r, Consumer<TransactionResult> update,
                Consumer<Throwable> failed) {
        follow(c, id, r, update, failed, System.nanoTime() + bound.toNanos());
    }

    private void follow(CustomerApi c, String id, TransactionResult r, Consumer<TransactionResult> update,
                        Consumer<Throwable> failed, long deadline) {
        update.accept(r);
        if (!r.pending()) {
            return;
        }
        if (System.nanoTime() - deadline >= 0) {
            failed.accept(new IllegalStateException("The consortium has not decided after "
                    + bound.toSeconds() + " s. It will: look at the statement again later."));
            return;
        }
        tasks.run(() -> {
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis()); // on a background thread: a pause between two long polls
            }
            return c.transaction(r.id() != null ? r.id() : id);
        }, next -> follow(c, id, next, update, failed, deadline), failed);
    }
}
