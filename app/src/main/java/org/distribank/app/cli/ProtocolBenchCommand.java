package org.distribank.app.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.distribank.consortium.TransportKind;
import org.distribank.consortium.bench.ProtocolBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank bench protocol}: ordered operations per second and latency at 3, 4 and 8 peers. */
@Command(name = "protocol", mixinStandardHelpOptions = true,
        description = "Benchmark the consortium protocol: peers in one JVM on loopback (WebSocket or HTTP links), fsync on.")
public final class ProtocolBenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", description = "Measured seconds per row (default ${DEFAULT-VALUE}).")
    long seconds = 4;

    @Option(names = "--warmup-seconds", description = "Warm-up seconds per row (default ${DEFAULT-VALUE}).")
    long warmupSeconds = 2;

    @Option(names = "--peers", split = ",", description = "Peer counts (default 3,4,8).")
    int[] peers = {3, 4, 8};

    @Option(names = "--submitters", split = ",", description = "Concurrent submitters (default 1,64).")
    int[] submitters = {1, 64};

    @Option(names = "--batch-window-micros", description = "Busy-node gathering window (default: the node default, "
            + "300; 0 turns it off).")
    Long batchWindowMicros;

    @Option(names = "--transport", description = "Link transport: websocket or http (default: the node default, "
            + "websocket).")
    TransportKind transport;

    @Option(names = "--frames-in-flight", description = "WebSocket links: most unacknowledged frames per link "
            + "(default: the node default).")
    Integer framesInFlight;

    @Option(names = "--no-fsync", description = "Skip fsync (not durable; for comparison only).")
    boolean noFsync;

    @Override
    public Integer call() {
        ProtocolBenchmark.Options.Builder o = ProtocolBenchmark.Options.builder()
                .measureMs(seconds * 1000L)
                .warmupMs(warmupSeconds * 1000L)
                .peerCounts(Arrays.stream(peers).boxed().toList())
                .submitterCounts(Arrays.stream(submitters).boxed().toList())
                .fsync(!noFsync);
        if (batchWindowMicros != null) {
            o.batchWindowMicros(batchWindowMicros);
        }
        if (framesInFlight != null) {
            o.maxFramesInFlight(framesInFlight);
        }
        if (transport != null) {
            o.transport(transport);
        }
        new ProtocolBenchmark(o.build()).run(System.out);
        return 0;
    }
}
