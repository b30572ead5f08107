package org.distribank.app.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.distribank.app.bench.BankBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank bench bank}: committed cross-bank transfers/s and latency at 1, 16 and 64 clients. */
@Command(name = "bank", mixinStandardHelpOptions = true,
        description = "Benchmark committed cross-bank transfers: 4 banks in one JVM, real HTTP, durable.")
public final class BankBenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per row (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "Warm-up seconds per row (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--jit-warmup-seconds", defaultValue = "60", description = "One warm-up at the largest client "
            + "count before the first row, so that the rows measure compiled code, not the JIT compiler, which keeps "
            + "one core busy for the first 30-60 s of load (default: ${DEFAULT-VALUE}).")
    int jitWarmupSeconds;

    @Option(names = "--clients", split = ",", defaultValue = "1,16,64",
            description = "Concurrent clients per row (default: ${DEFAULT-VALUE}).")
    int[] clients;

    @Option(names = "--banks", defaultValue = "4", description = "Banks (default: ${DEFAULT-VALUE}).")
    int banks;

    @Option(names = "--separate-data-servers", description = "One data server per bank (default: one shared).")
    boolean separateDataServers;

    @Option(names = "--remote-debit", description = "Each transfer debits the client's account at another bank than "
            + "the one it pays at, through a consent of that bank (API.md v1.1); default: its account at that bank.")
    boolean remoteDebit;

    @Option(names = "--views", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "View changes in every bank, as the launcher runs them (default: on; --no-views for the "
                    + "rounds before views).")
    boolean views;

    @Option(names = "--history", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Each bank's event history on disk (default: on; --no-history measures what it costs).")
    boolean history;

    @Override
    public Integer call() throws Exception {
        BankBenchmark.run(System.out, BankBenchmark.Options.builder()
                .banks(banks)
                .seconds(seconds)
                .warmupSeconds(warmupSeconds)
                .jitWarmupSeconds(jitWarmupSeconds)
                .clients(Arrays.stream(clients).boxed().toList())
                .separateDataServers(separateDataServers)
                .remoteDebit(remoteDebit)
                .views(views)
                .history(history)
                .build());
        return 0;
    }
}
