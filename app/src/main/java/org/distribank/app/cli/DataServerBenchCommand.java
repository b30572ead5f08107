package org.distribank.app.cli;

import java.util.concurrent.Callable;
import org.distribank.dataserver.bench.SetBalanceBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank bench data-server}: durable setBalance ops/s and latency at 1, 8 and 64 clients. */
@Command(name = "data-server", mixinStandardHelpOptions = true,
        description = "Benchmark durable setBalance over HTTP against a real data server in a temp directory.")
public final class DataServerBenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "5", description = "Duration of each row (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,64",
            description = "Concurrent clients per row (default: ${DEFAULT-VALUE}).")
    int[] clients;

    @Override
    public Integer call() throws Exception {
        SetBalanceBenchmark.run(System.out, seconds, clients);
        return 0;
    }
}
