package org.distribank.app.service.scenario;

import java.time.Duration;

/**
 * One step of a {@link Scenario}: an action on the consortium, then a bounded wait for a condition on the protocol
 * events or the banks' state, then one line saying what the protocol's rule did (shown while the diagram pauses).
 *
 * @param title       what the step does, e.g. "Kill b3"
 * @param action      what it does to the consortium (may be a no-op: a step that only waits)
 * @param waitingFor  the condition in words, for the failure message ("b1 and b2 voted b3 out")
 * @param until       the condition, checked again as events arrive until it holds or {@code timeout} passes
 * @param timeout     how long the condition may take
 * @param explanation the one line shown at the pause, built once the condition holds (it may quote clocks, orders)
 */
public record Step(String title, Action action, String waitingFor, Check until, Duration timeout,
                   Explain explanation) {

    /** What a step does. */
    @FunctionalInterface
    public interface Action {
        void run(ScenarioContext c) throws Exception;
    }

    /** The condition a step waits for; may read the banks (it is called off the UI thread). */
    @FunctionalInterface
    public interface Check {
        boolean met(ScenarioContext c) throws Exception;
    }

    /** The step's one-line explanation. */
    @FunctionalInterface
    public interface Explain {
        String line(ScenarioContext c);
    }

    /** Waits for nothing. */
    public static final Check NOTHING = c -> true;
}
