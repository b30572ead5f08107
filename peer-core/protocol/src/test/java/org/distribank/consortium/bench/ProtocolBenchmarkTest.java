package org.distribank.consortium.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.NodeOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A short run of the protocol benchmark: its peers (each with its own key) order operations over either link. */
class ProtocolBenchmarkTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {NodeOptions.WEBSOCKET, NodeOptions.HTTP})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void ordersOperationsBetweenPeersOfTheirOwnKeys(String transport) {
        ProtocolBenchmark.Options o = new ProtocolBenchmark.Options();
        o.peerCounts = new int[] {3};
        o.submitterCounts = new int[] {4};
        o.warmupMs = 200;
        o.measureMs = 1_000;
        o.jitWarmupMs = 0;
        o.transport = transport;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<ProtocolBenchmark.Row> rows = new ProtocolBenchmark(o).run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).ops()).isPositive();
    }
}
