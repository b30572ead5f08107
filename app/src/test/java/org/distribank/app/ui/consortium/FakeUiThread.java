package org.distribank.app.ui.consortium;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.distribank.app.ui.common.UiTasks;

/**
 * One thread standing in for the JavaFX thread in ViewModel tests without a UI: ViewModels get their
 * results on it, as they would on the real one, and the test reads their state on it too.
 */
final class FakeUiThread implements AutoCloseable {

    private final ExecutorService ui = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-ui");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ui-background");
        t.setDaemon(true);
        return t;
    });

    UiTasks tasks() {
        return new UiTasks(background, ui);
    }

    /** Runs {@code c} on the UI thread and returns its result (bounded wait). */
    <T> T get(Callable<T> c) throws Exception {
        return ui.submit(c).get(10, TimeUnit.SECONDS);
    }

    void run(Runnable r) throws Exception {
        get(() -> {
            r.run();
            return null;
        });
    }

    @Override
    public void close() {
        ui.shutdownNow();
        background.shutdownNow();
    }
}
