package org.distribank.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bank benchmark runs end to end and prints one row per client count with committed transfers (no timing asserted). */
class BankBenchmarkTest {

    @ParameterizedTest(name = "remote debit through a consent: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void printsARowPerClientCountWithCommittedTransfers(boolean remoteDebit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            BankBenchmark.run(out, BankBenchmark.Options.builder().banks(4).seconds(1).warmupSeconds(0)
                    .jitWarmupSeconds(1).clients(List.of(1, 4)).remoteDebit(remoteDebit).build());
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("bank benchmark: 4 banks").contains("load average");
        assertThat(lines.get(1).trim().split("\\s+")).containsExactly("clients", "committed/s", "p50", "ms", "p99",
                "ms", "aborted", "other", "cpu", "us/tx");
        for (int i = 0; i < 2; i++) {
            String[] cols = lines.get(2 + i).trim().split("\\s+");
            assertThat(Integer.parseInt(cols[0])).isEqualTo(i == 0 ? 1 : 4);
            assertThat(Double.parseDouble(cols[1])).as(lines.get(2 + i)).isPositive();
            assertThat(Double.parseDouble(cols[2])).isPositive().isLessThanOrEqualTo(Double.parseDouble(cols[3]));
            assertThat(Long.parseLong(cols[4])).as("1-cent transfers from funded accounts never abort").isZero();
            assertThat(Double.parseDouble(cols[6])).as("CPU per committed transfer").isPositive();
        }
    }
}
