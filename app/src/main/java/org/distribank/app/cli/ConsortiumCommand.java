package org.distribank.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distribank consortium --banks N ...}: a headless consortium on loopback; prints one JSON line when every
 * bank answers and sees every peer, then runs until SIGINT/SIGTERM (docs/LAUNCHER.md).
 */
@Command(name = "consortium", mixinStandardHelpOptions = true,
        description = "Run a headless consortium of N banks (and their data servers) on 127.0.0.1.")
public final class ConsortiumCommand implements Callable<Integer> {

    @Option(names = "--banks", required = true, description = "Number of banks, 1..16.")
    int banks;

    @Option(names = "--port-base", defaultValue = "0",
            description = "Banks on P+1..P+N, data servers on P+100 (shared) or P+101..P+100+N. "
                    + "Default: free ports, kept in the data dir.")
    int portBase;

    @Option(names = "--data-dir", defaultValue = "distribank-data",
            description = "Where the consortium lives; the same dir resumes it (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--processes", description = "Each bank and data server in its own OS process.")
    boolean processes;

    @Option(names = "--separate-data-servers", description = "One data server per bank instead of a shared one.")
    boolean separateDataServers;

    @Option(names = "--bcrypt-cost", defaultValue = "12",
            description = "Password hashing cost of the banks (default: ${DEFAULT-VALUE}; tests and demos may use 4).")
    int bcryptCost;

    @Option(names = "--ready-timeout-seconds", defaultValue = "90",
            description = "Bound on the wait for every bank to be up and see every peer (default: ${DEFAULT-VALUE}).")
    int readySeconds;

    @Option(names = "--views", description = "View changes (issue 15): a bank down for 3 s is voted out and the "
            + "others go on paying among themselves; it is voted back in when it returns.")
    boolean views;

    @Option(names = "--java-option", description = "Extra JVM option of each child process (repeatable).")
    List<String> javaOptions = List.of();

    @Override
    public Integer call() throws Exception {
        LaunchOptions o = LaunchOptions.builder()
                .banks(banks)
                .portBase(portBase)
                .dataDir(dataDir)
                .processes(processes)
                .separateDataServers(separateDataServers)
                .bcryptCost(bcryptCost)
                .readyTimeout(Duration.ofSeconds(readySeconds))
                .javaOptions(javaOptions)
                .views(views)
                .build();
        RunningConsortium consortium = ConsortiumLauncher.start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consortium.close();
            stopped.countDown();
        }, "consortium-shutdown"));
        System.out.println(consortium.toJsonLine());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
