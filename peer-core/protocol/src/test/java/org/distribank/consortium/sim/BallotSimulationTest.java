package org.distribank.consortium.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the view ballot's deterministic simulation over many seeds. {@code -Dsim.ballotSeeds=N} runs N seeds (default
 * 2,000) from {@code -Dsim.ballotStart=S} (default 1); {@code -Dsim.ballotSeed=X} replays one seed exactly.
 */
class BallotSimulationTest {

    private static final Logger LOG = LoggerFactory.getLogger(BallotSimulationTest.class);

    @Test
    void everySeedChoosesAtMostOneViewPerEpochAndAViewOnceTheFaultsStop() {
        BallotSimulation.Sweep sweep = BallotSimulation.sweep(2_000, BallotSimulation::new);
        LOG.info("{}", sweep);
        assertThat(sweep.failures()).as("failing seeds").isEmpty();
        if (System.getProperty("sim.ballotSeed") == null) {
            assertThat(sweep.chosenEpochs()).as("views chosen").isGreaterThan(sweep.seeds());
            assertThat(sweep.crashes()).as("crashes").isGreaterThan(sweep.seeds() / 4);
            assertThat(sweep.splits()).as("2/2 splits").isGreaterThan(0);
            // seeds whose majority had to be rescued (BallotSimulation.canDecide) test less: they must stay rare
            assertThat(sweep.rescues()).as("rescued seeds").isLessThan(1 + sweep.seeds() / 50);
        }
    }

    @Test
    void aSeedReplaysExactly() {
        BallotSimulation.Summary a = new BallotSimulation(11).run();
        assertThat(new BallotSimulation(11).run()).isEqualTo(a);
        assertThat(new BallotSimulation(12).run()).isNotEqualTo(a);
    }
}
