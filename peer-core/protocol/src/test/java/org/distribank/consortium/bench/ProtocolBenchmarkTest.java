package org.distribank.consortium.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.TransportKind;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A short run of the protocol benchmark: its peers (each with its own key) order operations over either link. */
class ProtocolBenchmarkTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(TransportKind.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void ordersOperationsBetweenPeersOfTheirOwnKeys(TransportKind transport) {
        ProtocolBenchmark.Options o = ProtocolBenchmark.Options.builder()
                .peerCounts(List.of(3))
                .submitterCounts(List.of(4))
                .warmupMs(200)
                .measureMs(1_000)
                .jitWarmupMs(0)
                .transport(transport)
                .build();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<ProtocolBenchmark.Row> rows = new ProtocolBenchmark(o).run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).ops()).isPositive();
    }
}
