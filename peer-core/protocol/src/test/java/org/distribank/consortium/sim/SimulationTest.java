package org.distribank.consortium.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distribank.consortium.sample.CounterStateMachine;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deterministic simulator over many seeds with the counter machine (votes, vetoes,
 * reservations). {@code -Dsim.seeds=N} runs N seeds (default 5,000) from {@code -Dsim.start=S}
 * (default 1); {@code -Dsim.seed=X} replays one seed exactly.
 */
class SimulationTest {

    private static final Logger LOG = LoggerFactory.getLogger(SimulationTest.class);

    /** Counters with votes: a random voter set, some vetoes, debits that can be refused for lack of funds. */
    static final Simulation.Workload COUNTERS = (random, n, origin, ids) -> {
        StringBuilder p = new StringBuilder("key=k").append(random.nextInt(3));
        long delta = random.nextInt(3) == 0 ? -(1 + random.nextInt(20)) : 1 + random.nextInt(10);
        // now and then a delta the machine cannot read: its vote throws, and the operation must be refused alike
        p.append(";delta=").append(random.nextInt(40) == 0 ? "unreadable" : Long.toString(delta));
        List<String> voters = new ArrayList<>();
        for (String id : ids) {
            if (random.nextInt(3) == 0) {
                voters.add(id);
            }
        }
        if (!voters.isEmpty()) {
            p.append(";voters=").append(String.join(",", voters));
        }
        if (random.nextInt(10) == 0) {
            p.append(";veto=").append(ids.get(random.nextInt(ids.size()))).append(":VETO");
        }
        return p.toString();
    };

    @Test
    void everySeedKeepsTheOrderTheOutcomesAndProgress() {
        Simulation.Sweep sweep = Simulation.sweep("sim.seeds", 5_000,
                seed -> new Simulation(seed, CounterStateMachine::new, COUNTERS).withEndCheck(SimulationTest::sameState));
        LOG.info("{}", sweep);
        assertThat(sweep.failures()).as("failing seeds").isEmpty();
    }

    /** Every node's machine (restored from snapshots or replayed) holds the same decisions and counters. */
    static String sameState(java.util.Map<String, org.distribank.consortium.StateMachine> machines) {
        CounterStateMachine ref = null;
        String refId = null;
        for (var e : machines.entrySet()) {
            CounterStateMachine m = (CounterStateMachine) e.getValue();
            if (ref == null) {
                ref = m;
                refId = e.getKey();
            } else if (!m.history().equals(ref.history())) {
                return e.getKey() + "'s decisions differ from " + refId + "'s";
            } else {
                for (int k = 0; k < 3; k++) {
                    if (m.value("k" + k) != ref.value("k" + k)) {
                        return e.getKey() + " has k" + k + "=" + m.value("k" + k) + ", " + refId + " "
                                + ref.value("k" + k);
                    }
                }
            }
        }
        return null;
    }

    @Test
    void aSeedReplaysExactly() {
        Simulation.Summary a = new Simulation(7, CounterStateMachine::new, COUNTERS).run();
        Simulation.Summary b = new Simulation(7, CounterStateMachine::new, COUNTERS).run();
        assertThat(b).isEqualTo(a);
        assertThat(a.delivered()).isGreaterThan(0);
        Simulation.Summary c = new Simulation(8, CounterStateMachine::new, COUNTERS).run();
        assertThat(c).isNotEqualTo(a);
    }

    /** The random the workload gets is the run's own: no other source of randomness. */
    @Test
    void paramsComeFromTheSeed() {
        assertThat(Simulation.Params.draw(new Random(3))).isEqualTo(Simulation.Params.draw(new Random(3)));
    }
}
