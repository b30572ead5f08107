package org.distribank.app.ui.consortium;

import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.LoadGenerator;
import org.distribank.app.ui.common.UiTasks;

/**
 * The load generator form: clients (1..64), rate per second (0 = no limit, up to 10000) and duration
 * (1..3600 s), each validated as typed; Start and Stop; progress, counters and latency percentiles.
 */
public final class LoadViewModel {

    /** Starts a generator; tests may give another. */
    public interface Starter {
        LoadGenerator start(ConsortiumConnection connection, LoadGenerator.Settings settings,
                            java.util.function.Consumer<LoadGenerator.Progress> onProgress);

        Starter DEFAULT = (c, s, p) -> {
            LoadGenerator g = new LoadGenerator(c, s, p);
            g.start();
            return g;
        };
    }

    private final ConsortiumConnection connection;
    private final UiTasks tasks;
    private final Starter starter;

    private final StringProperty clients = new SimpleStringProperty("4");
    private final StringProperty rate = new SimpleStringProperty("20");
    private final StringProperty duration = new SimpleStringProperty("30");
    private final StringBinding clientsError;
    private final StringBinding rateError;
    private final StringBinding durationError;
    private final BooleanBinding valid;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final BooleanBinding canStart;

    private final ReadOnlyStringWrapper phase = new ReadOnlyStringWrapper("Not started");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyLongWrapper committed = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper aborted = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper failed = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper p50 = new ReadOnlyStringWrapper("-");
    private final ReadOnlyStringWrapper p99 = new ReadOnlyStringWrapper("-");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private LoadGenerator generator;
    private long runNumber;

    public LoadViewModel(ConsortiumConnection connection, UiTasks tasks) {
        this(connection, tasks, Starter.DEFAULT);
    }

    public LoadViewModel(ConsortiumConnection connection, UiTasks tasks, Starter starter) {
        this.connection = connection;
        this.tasks = tasks;
        this.starter = starter;
        clientsError = check(clients, 1, 64, "Clients: a whole number from 1 to 64.");
        rateError = check(rate, 0, 10_000, "Rate: a whole number from 0 (no limit) to 10000 per second.");
        durationError = check(duration, 1, 3_600, "Duration: a whole number of seconds from 1 to 3600.");
        valid = Bindings.createBooleanBinding(() -> clientsError.get().isEmpty() && rateError.get().isEmpty()
                && durationError.get().isEmpty(), clientsError, rateError, durationError);
        canStart = valid.and(running.not());
    }

    private static StringBinding check(StringProperty p, int min, int max, String message) {
        return Bindings.createStringBinding(() -> parse(p.get(), min, max) == null ? message : "", p);
    }

    static Integer parse(String text, int min, int max) {
        if (text == null || !text.strip().matches("\\d{1,6}")) {
            return null;
        }
        int v = Integer.parseInt(text.strip());
        return v < min || v > max ? null : v;
    }

    public StringProperty clientsProperty() {
        return clients;
    }

    public StringProperty rateProperty() {
        return rate;
    }

    public StringProperty durationProperty() {
        return duration;
    }

    /** Empty when the field is valid, else what is wrong. */
    public StringBinding clientsErrorProperty() {
        return clientsError;
    }

    public StringBinding rateErrorProperty() {
        return rateError;
    }

    public StringBinding durationErrorProperty() {
        return durationError;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public BooleanBinding canStartProperty() {
        return canStart;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** 0..1 of the run's duration. */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty committedProperty() {
        return committed.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty abortedProperty() {
        return aborted.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** Median latency of committed transfers, e.g. "12.3 ms". */
    public ReadOnlyStringProperty p50Property() {
        return p50.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty p99Property() {
        return p99.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** One sentence after a run. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Starts a run with the form's settings (ignored when invalid or running). */
    public void start() {
        if (!canStart.get()) {
            return;
        }
        LoadGenerator.Settings s;
        try {
            s = new LoadGenerator.Settings(parse(clients.get(), 1, 64), parse(rate.get(), 0, 10_000),
                    parse(duration.get(), 1, 3_600));
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        long run = ++runNumber;
        running.set(true);
        error.set("");
        summary.set("");
        phase.set("Starting");
        fraction.set(0);
        committed.set(0);
        aborted.set(0);
        failed.set(0);
        p50.set("-");
        p99.set("-");
        generator = starter.start(connection, s, p -> tasks.onUi(() -> apply(run, p)));
    }

    /** Stops the run early; its last report follows. */
    public void stop() {
        LoadGenerator g = generator;
        if (g != null && running.get()) {
            phase.set("Stopping");
            g.stop();
        }
    }

    private void apply(long run, LoadGenerator.Progress p) {
        if (run != runNumber) {
            return; // a report of an earlier run
        }
        phase.set(p.phase());
        fraction.set(p.fraction());
        committed.set(p.committed());
        aborted.set(p.aborted());
        failed.set(p.failed());
        Function<Long, String> ms = micros -> micros == 0 ? "-" : String.format("%.1f ms", micros / 1000.0);
        p50.set(ms.apply(p.p50Micros()));
        p99.set(ms.apply(p.p99Micros()));
        if (p.done()) {
            running.set(false);
            generator = null;
            if (p.error() != null) {
                error.set(p.error());
            }
            long secs = Math.max(1, p.elapsedMs() / 1000);
            summary.set(p.error() != null ? "" : String.format("Done: %d committed, %d aborted, %d failed in %d s "
                    + "(%.1f committed per second).", p.committed(), p.aborted(), p.failed(), secs,
                    p.committed() / (double) Math.max(1, p.elapsedMs()) * 1000));
        }
    }
}
