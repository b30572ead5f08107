package org.distribank.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./distribank bench <component>}: benchmarks that print a table (never timed assertions in tests). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark and print a table of medians and percentiles.",
        subcommands = {
                BankBenchCommand.class,
                DataServerBenchCommand.class,
                ProtocolBenchCommand.class,
                OutageBenchCommand.class,
                SoakBenchCommand.class,
        })
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose what to benchmark");
    }
}
