package org.distribank.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./distribank consortium --banks N ...}: a headless consortium on loopback; prints one JSON line when every
 * bank answers and sees every peer, then runs until SIGINT/SIGTERM (docs/LAUNCHER.md).
 */
@Command(name = "consortium", mixinStandardHelpOptions = true,
        description = "Run a headless consortium of N banks (and their data servers) on 127.0.0.1.",
        subcommands = {ConsortiumCommand.RetireBank.class, ConsortiumCommand.AddBank.class})
public final class ConsortiumCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--banks", description = "Number of banks, 1..16 (required to run one).")
    Integer banks;

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

    @Option(names = "--views", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "View changes (issue 15; on by default, --no-views for the old behaviour): a bank down "
                    + "for 3 s is voted out and the others go on paying among themselves; it is voted back in when "
                    + "it returns.")
    boolean views;

    @Option(names = "--spare", defaultValue = "0",
            description = "Slots for banks added later with add-bank (b(N+1)..; views on), configured in every bank "
                    + "but not started. Only when the data dir is created (default: ${DEFAULT-VALUE}).")
    int spare;

    @Option(names = "--java-option", description = "Extra JVM option of each child process (repeatable).")
    List<String> javaOptions = List.of();

    @Override
    public Integer call() throws Exception {
        if (banks == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--banks=<banks>'");
        }
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
                .spare(spare)
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

    /** What retire-bank and add-bank share: a bank id, the running consortium's data dir, the bank's JSON answer. */
    abstract static class BankAction implements Callable<Integer> {

        @Option(names = "--data-dir", defaultValue = "distribank-data",
                description = "The running consortium's data dir (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        abstract ConsortiumLauncher.Retirement ask() throws java.io.IOException;

        abstract int success();

        @Override
        public Integer call() {
            try {
                ConsortiumLauncher.Retirement r = ask();
                (r.status() == success() ? System.out : System.err).println(r.body());
                return r.status() == success() ? 0 : 1;
            } catch (java.io.IOException | RuntimeException e) {
                System.err.println(getClass().getAnnotation(Command.class).name() + ": " + e.getMessage());
                return 1;
            }
        }
    }

    /**
     * {@code ./distribank consortium retire-bank ID}: bank ID of a running consortium (started with {@code --views})
     * leaves it, only with every account empty; prints the bank's JSON answer (BANK.md, "Retiring a bank").
     */
    @Command(name = "retire-bank", mixinStandardHelpOptions = true,
            description = "Retire a bank from a running consortium (views on): refused while one of its accounts "
                    + "holds money; once retired, later starts of this data dir leave it out.")
    static final class RetireBank extends BankAction {

        @Parameters(index = "0", paramLabel = "ID", description = "The bank to retire, e.g. b4.")
        String bank;

        @Override
        ConsortiumLauncher.Retirement ask() throws java.io.IOException {
            return ConsortiumLauncher.retire(dataDir, bank);
        }

        @Override
        int success() {
            return 200;
        }
    }

    /**
     * {@code ./distribank consortium add-bank ID}: slot ID of a running consortium (created with {@code --spare})
     * joins it: a member is asked to add it, and the running launcher starts it once a view has it among its banks;
     * it takes its first snapshot from a member (BANK.md, "Adding a bank"). Prints the member's JSON answer.
     */
    @Command(name = "add-bank", mixinStandardHelpOptions = true,
            description = "Add a bank to a running consortium (a slot made with --spare): it joins through a view "
                    + "change, with the consortium's directory and no accounts; later starts start it too.")
    static final class AddBank extends BankAction {

        @Parameters(index = "0", paramLabel = "ID", description = "The slot to add, e.g. b5.")
        String bank;

        @Override
        ConsortiumLauncher.Retirement ask() throws java.io.IOException {
            return ConsortiumLauncher.addBank(dataDir, bank);
        }

        @Override
        int success() {
            return 202;
        }
    }
}
