package org.distribank.app.service.scenario;

import java.util.List;

/**
 * Runs the built-in teaching scenarios one step at a time. Every method but {@link #scenarios()} and {@link
 * #banks()} may block (bank calls, bounded waits): callers use a background thread. One scenario runs at a time.
 */
public interface ScenarioService {

    List<ScenarioInfo> scenarios();

    /** The banks, in lane order for the diagram. */
    List<String> banks();

    /** Makes {@code id} the current scenario from its start (undoing what a previous run left: links, banks). */
    Pause begin(String id);

    /**
     * Runs the current scenario's next step: its action, then its wait (bounded).
     *
     * @throws ScenarioException with a sentence when the action is refused or the wait times out; the scenario then
     *                           stays at the failed step (Reset starts over)
     */
    Pause step();

    /** Puts back what the current scenario changed (links restored, banks it stopped restarted) and forgets it. */
    void reset();
}
