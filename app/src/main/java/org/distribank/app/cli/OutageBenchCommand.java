package org.distribank.app.cli;

import java.util.concurrent.Callable;
import org.distribank.app.bench.OutageBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank bench outage}: committed transfers before, while and after one bank is down. */
@Command(name = "outage", mixinStandardHelpOptions = true,
        description = "Outage: banks as processes under closed-loop load over every pair of banks; one bank killed "
                + "(or paused), then started again (or resumed). Per phase, transfers touching that bank and the "
                + "others: committed/s, latency, answers by kind; the pause from the fault to the first commit "
                + "among the other banks; the time from the restart to the first commit touching it; an audit.")
public final class OutageBenchCommand implements Callable<Integer> {

    @Option(names = "--banks", defaultValue = "4", description = "Banks, 3 or more (default: ${DEFAULT-VALUE}).")
    int banks;

    @Option(names = "--clients", defaultValue = "32",
            description = "Closed-loop clients, spread over every ordered pair of banks (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds-before", defaultValue = "15",
            description = "Seconds of load before the fault (default: ${DEFAULT-VALUE}).")
    int secondsBefore;

    @Option(names = "--seconds-down", defaultValue = "20",
            description = "Seconds the bank stays down (default: ${DEFAULT-VALUE}).")
    int secondsDown;

    @Option(names = "--seconds-after", defaultValue = "15",
            description = "Seconds of load after the restart or resume once a transfer touching the bank and one "
                    + "not touching it have committed again (waited for up to 2 minutes) (default: ${DEFAULT-VALUE}).")
    int secondsAfter;

    @Option(names = "--fault", defaultValue = "kill", description = "kill: kill -9, then start it again; pause: "
            + "SIGSTOP, then SIGCONT (default: kill).")
    OutageBenchmark.Fault fault;

    @Option(names = "--down", defaultValue = "b4", description = "The bank that goes down (default: ${DEFAULT-VALUE}).")
    String down;

    @Option(names = "--views", description = "View changes on in every bank (issue 15): the others vote the down "
            + "bank out and keep paying among themselves.")
    boolean views;

    @Override
    public Integer call() throws Exception {
        OutageBenchmark.run(System.out, OutageBenchmark.Options.builder().banks(banks).clients(clients)
                .secondsBefore(secondsBefore).secondsDown(secondsDown).secondsAfter(secondsAfter).fault(fault)
                .down(down).views(views).build());
        return 0;
    }
}
