package org.distribank.app.service.scenario;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.ConsortiumMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Scenarios} against a consortium, one step per {@link #step()}: the step's action, then its condition
 * checked each time an event arrives (and at least every 100 ms, for conditions on the banks' state) until it holds
 * or the step's timeout passes. Events come from the app's {@link ConsortiumMonitor}.
 */
public final class ScenarioRunner implements ScenarioService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
    private static final AtomicLong RUNS = new AtomicLong();
    /** How long a scenario waits at its start for a bank still rejoining. */
    private static final Duration WHOLE = Duration.ofSeconds(30);

    private final ConsortiumConnection connection;
    private final ConsortiumMonitor monitor;
    private final List<Scenario> catalog;
    private final ScenarioEvents events = new ScenarioEvents();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scenario");
        t.setDaemon(true);
        return t;
    });
    private Scenario current;
    private ScenarioContext context;
    private int done;
    /** Set by a reset while a step waits, so the wait ends at once instead of at its timeout. */
    private volatile boolean cancelling;

    public ScenarioRunner(ConsortiumConnection connection, ConsortiumMonitor monitor) {
        this(connection, monitor, Scenarios.all());
    }

    ScenarioRunner(ConsortiumConnection connection, ConsortiumMonitor monitor, List<Scenario> catalog) {
        this.connection = connection;
        this.monitor = monitor;
        this.catalog = List.copyOf(catalog);
        monitor.addListener(events);
    }

    @Override
    public List<ScenarioInfo> scenarios() {
        return catalog.stream().map(ScenarioInfo::of).toList();
    }

    @Override
    public List<String> banks() {
        return connection.banks().stream().map(BankRef::id).toList();
    }

    @Override
    public Pause begin(String id) {
        Scenario s = catalog.stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new ScenarioException("No scenario " + id + "."));
        if (connection.banks().size() < 3) {
            throw new ScenarioException("The scenarios need three banks; this consortium has "
                    + connection.banks().size() + ".");
        }
        cancelling = true; // a step of the previous scenario still waiting ends now, not at its timeout
        synchronized (this) {
            cancelling = false;
            undoCurrent();
            awaitWhole();
            current = s;
            done = 0;
            // a run tag in the customers' names and operation ids: scenarios run again, and after one another
            String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + RUNS.incrementAndGet();
            context = new ScenarioContext(connection, events, background, run);
            events.begin();
            return new Pause(s.id(), 0, s.steps().size(), s.title(), s.description(), List.of());
        }
    }

    @Override
    public synchronized Pause step() {
        if (current == null) {
            throw new ScenarioException("Choose a scenario first.");
        }
        if (done >= current.steps().size()) {
            throw new ScenarioException("The scenario is over: Reset to run it again.");
        }
        Step s = current.steps().get(done);
        String where = "Step " + (done + 1) + " (" + s.title() + ")";
        try {
            s.action().run(context);
        } catch (ScenarioException e) {
            throw new ScenarioException(where + ": " + e.getMessage(), e);
        } catch (BankApiException e) {
            throw new ScenarioException(where + " was refused: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException(where + " was interrupted.", e);
        } catch (Exception e) {
            throw new ScenarioException(where + " failed: " + e.getMessage(), e);
        }
        await(s, where);
        done++;
        String line = s.explanation().line(context);
        LOG.info("scenario {} step {}: {}", current.id(), done, line);
        return new Pause(current.id(), done, current.steps().size(), s.title(), line, context.events(),
                current.focus() == null ? null : context.id(current.focus()));
    }

    /**
     * Waits (bounded) until every bank runs and is a member of the view: a scenario right after another one (or a
     * fault from the Faults page) may find a bank still rejoining, and its faults would then hit a minority.
     */
    private void awaitWhole() {
        long deadline = System.nanoTime() + WHOLE.toNanos();
        String problem;
        while (true) {
            problem = wholeProblem();
            if (problem == null) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ScenarioException("The consortium is not whole: " + problem + ". Wait for it to rejoin, "
                        + "or restart it from the Faults page, then choose the scenario again.");
            }
            try {
                events.awaitChange(Math.min(100, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScenarioException("Interrupted while waiting for every bank.", e);
            }
        }
    }

    /** Why the consortium is not whole now, or null when every bank runs and is a member of every bank's view. */
    private String wholeProblem() {
        List<String> ids = banks();
        for (String b : ids) {
            if (!connection.bankRunning(b)) {
                return b + " is not running";
            }
            try {
                ConsortiumSnapshot v = connection.operator(b)
                        .orElseThrow(() -> new ScenarioException("no operator token for " + b)).consortium();
                if (v.hasView() && !v.members().containsAll(ids)) {
                    return ids.stream().filter(x -> !v.members().contains(x)).collect(Collectors.joining(", "))
                            + " out of " + b + "'s view (epoch " + v.epoch() + ")";
                }
            } catch (BankApiException e) {
                return b + " does not answer (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    private void await(Step s, String where) {
        long deadline = System.nanoTime() + s.timeout().toNanos();
        String lastProblem = null;
        while (true) {
            if (cancelling) {
                throw new ScenarioException(where + " was stopped by a reset.");
            }
            try {
                if (s.until().met(context)) {
                    return;
                }
            } catch (BankApiException | ScenarioException e) {
                lastProblem = e.getMessage(); // a bank down or busy: its state is asked again
            } catch (Exception e) {
                lastProblem = String.valueOf(e.getMessage());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ScenarioException(where + ": " + s.waitingFor() + " did not happen within "
                        + s.timeout().toSeconds() + " s"
                        + (lastProblem == null ? "." : " (last: " + lastProblem + ")."));
            }
            try {
                events.awaitChange(Math.min(100, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScenarioException(where + " was interrupted.", e);
            }
        }
    }

    @Override
    public void reset() {
        cancelling = true;
        synchronized (this) {
            cancelling = false;
            undoCurrent();
        }
    }

    private void undoCurrent() {
        if (context != null) {
            context.undo();
        }
        current = null;
        context = null;
        done = 0;
        events.stop();
    }

    /** The current run's context (tests check what a student would). */
    synchronized ScenarioContext context() {
        return context;
    }

    @Override
    public void close() {
        reset();
        monitor.removeListener(events);
        background.shutdownNow();
    }
}
