package org.distribank.app.cli;

import java.util.concurrent.Callable;
import org.distribank.app.bench.SoakBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank bench soak --minutes M}: banks as processes under steady load; heap, disk and a restart. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Soak: banks as processes under steady paced load; every minute each bank's live heap after a "
                + "full GC, bytes on disk and snapshot position; at the end one bank killed and the time until it "
                + "serves again.")
public final class SoakBenchCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "30", description = "Minutes under load (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--banks", defaultValue = "4", description = "Banks (default: ${DEFAULT-VALUE}).")
    int banks;

    @Option(names = "--clients", defaultValue = "64", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "0", description = "Transfers/s; 0: 70%% of what the clients commit "
            + "closed-loop, measured first (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--calibrate-seconds", defaultValue = "30",
            description = "Seconds of the closed-loop measurement behind --rate 0 (default: ${DEFAULT-VALUE}).")
    int calibrateSeconds;

    @Option(names = "--heap-mb", defaultValue = "1024", description = "Each bank's -Xmx (default: ${DEFAULT-VALUE}).")
    int heapMb;

    @Option(names = "--restart-bank", defaultValue = "b2",
            description = "The bank killed and restarted at the end (default: ${DEFAULT-VALUE}).")
    String restartBank;

    @Override
    public Integer call() throws Exception {
        SoakBenchmark.run(System.out, SoakBenchmark.Options.builder().minutes(minutes).banks(banks).clients(clients)
                .rate(rate).calibrateSeconds(calibrateSeconds).heapMb(heapMb).restartBank(restartBank).build());
        return 0;
    }
}
