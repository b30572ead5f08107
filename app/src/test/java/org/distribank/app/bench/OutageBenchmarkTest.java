package org.distribank.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short {@code bench outage} of 3 banks as processes. It asserts only what must hold today (the whole consortium
 * stops while a bank is down) and once views let the others go on (issue 15): the table's shape, commits before the
 * fault, no commit touching the down bank once a survivor saw it down and before it is back, commits of every kind
 * after the restart, and an audit equal to the deposits. Never timings, never today's stop.
 */
class OutageBenchmarkTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutageBenchmarkTest.class);

    /** kill -9 only: a run costs a minute of the suite (banks as processes); {@code --fault pause} runs the same path. */
    @Test
    void aKilledBankStopsItsTransfersUntilItsRestartAndTheMoneyAddsUp() throws Exception {
        check(OutageBenchmark.Fault.KILL, "b3");
    }


    private static void check(OutageBenchmark.Fault fault, String down) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        // 6 clients: one per ordered pair of 3 banks, 4 of them touching the down bank; down long enough for the
        // failure detector (offline after 3 s without a heartbeat)
        OutageBenchmark.Report r = OutageBenchmark.run(new PrintStream(text, true, StandardCharsets.UTF_8),
                OutageBenchmark.Options.builder().banks(3).clients(6).secondsBefore(3).secondsDown(7).secondsAfter(2)
                        .fault(fault).down(down).build());
        String printed = text.toString(StandardCharsets.UTF_8);
        LOG.info("bench outage --fault {} --down {}:\n{}", fault, down, printed);

        // the table: one row per phase and kind, in order, each printed
        assertThat(r.rows()).extracting(OutageBenchmark.Row::phase).containsExactly(
                OutageBenchmark.Phase.BEFORE, OutageBenchmark.Phase.BEFORE, OutageBenchmark.Phase.DOWN,
                OutageBenchmark.Phase.DOWN, OutageBenchmark.Phase.AFTER, OutageBenchmark.Phase.AFTER);
        assertThat(r.rows()).extracting(OutageBenchmark.Row::touching).containsExactly(true, false, true, false,
                true, false);
        for (String phase : List.of("before", "down", "after")) {
            assertThat(printed).containsPattern("(?m)^" + phase + " +touching " + down + " ")
                    .containsPattern("(?m)^" + phase + " +not touching " + down + " ");
        }
        assertThat(printed).contains("cores, load average", "pause from the fault to the first commit",
                "to the first commit touching " + down, "adds up");

        // before the fault both kinds commit
        assertThat(r.rows().subList(0, 2)).allSatisfy(row -> assertThat(row.answers()
                .get(BankBenchmark.Result.COMMITTED)).as(row.toString()).isPositive());

        // a survivor saw the bank down; from then until the restart nothing touching it committed
        assertThat(r.detectedMs()).as("a survivor reported %s offline", down).isPresent();
        double detected = r.detectedMs().orElseThrow();
        List<OutageBenchmark.Sample> touchingWhileDown = r.samples().stream()
                .filter(s -> s.touching() && s.sentMs() >= detected && s.answeredMs() < r.recoveredMs()).toList();
        assertThat(touchingWhileDown).as("transfers touching %s sent while it was seen down", down).isNotEmpty()
                .noneMatch(s -> s.result() == BankBenchmark.Result.COMMITTED);

        // after the restart (or resume) transfers of both kinds, sent after it, commit again
        assertThat(r.firstCommitTouchingAfterMs()).isPresent();
        assertThat(r.samples()).anyMatch(s -> !s.touching() && s.sentMs() >= r.recoveredMs()
                && s.result() == BankBenchmark.Result.COMMITTED);

        // the audit once every bank is back: exactly what was deposited
        assertThat(r.deposited()).isEqualTo(6 * BankBenchmark.FUNDING);
        assertThat(r.audited()).contains(r.deposited());
        assertThat(r.addsUp()).isTrue();
    }
}
