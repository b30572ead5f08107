package org.distribank.consortium.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator with views (DESIGN.md "Views"): a random minority crashes for good while the others crash, restart,
 * lose and reorder frames and get cut off; the failure detectors suspect, the view ballot decides a view without
 * the lost banks, the members fetch its cut and install it. The checker's invariants hold throughout (one decision
 * per position everywhere, outcomes final among the members of the deciding node's view, a restarted node knows
 * what it had decided), and the members of the newest view finish everything and order fresh operations.
 * {@code -Dsim.viewSeeds=N} (default 500) from {@code -Dsim.start=S}; {@code -Dsim.seed=X} replays one.
 */
class ViewSimulationTest {

    private static final Logger LOG = LoggerFactory.getLogger(ViewSimulationTest.class);

    @Test
    void aMinorityLostForGoodStopsNobodyElse() {
        Simulation.Sweep sweep = Simulation.sweep("sim.viewSeeds", 500,
                seed -> new Simulation(seed, CounterStateMachine::new, SimulationTest.COUNTERS).withViews()
                        .replayWith("-pl peer-core/protocol -am test -Dtest=ViewSimulationTest")
                        .withEndCheck(SimulationTest::sameState));
        LOG.info("{}", sweep);
        assertThat(sweep.failures()).as("failing seeds").isEmpty();
    }
}
