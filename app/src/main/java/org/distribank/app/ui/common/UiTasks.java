package org.distribank.app.ui.common;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * How ViewModels do work: blocking calls (network, process starts) on a background executor, and the
 * result handed back on the UI thread, so the window never freezes. Tests give a direct UI executor
 * (and may give a direct background one) to run ViewModels without a UI.
 */
public final class UiTasks {

    private static final ExecutorService SHARED = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ui-background");
        t.setDaemon(true);
        return t;
    });

    private final Executor background;
    private final Executor ui;

    public UiTasks(Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
    }

    /** Background threads, results on the JavaFX application thread. */
    public static UiTasks fx() {
        return new UiTasks(SHARED, Platform::runLater);
    }

    /** For ViewModel tests: real background threads, results on the caller of {@link Runnable#run} directly. */
    public static UiTasks backgroundOnly() {
        return new UiTasks(SHARED, Runnable::run);
    }

    /** For ViewModel tests: everything on the calling thread. */
    public static UiTasks direct() {
        return new UiTasks(Runnable::run, Runnable::run);
    }

    /** Runs {@code work} in the background; {@code done} or {@code failed} then runs on the UI thread. */
    public <T> void run(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        background.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable e) {
                ui.execute(() -> failed.accept(e));
                return;
            }
            ui.execute(() -> done.accept(result));
        });
    }

    /** Runs {@code r} on the UI thread. */
    public void onUi(Runnable r) {
        ui.execute(r);
    }

    public Executor background() {
        return background;
    }
}
