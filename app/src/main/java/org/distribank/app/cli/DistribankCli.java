package org.distribank.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./distribank} launcher. Each subcommand lives in its own class in this package;
 * this is the only package of the product that writes to standard output.
 */
@Command(
        name = "distribank",
        mixinStandardHelpOptions = true,
        versionProvider = DistribankCli.Version.class,
        description = "DistriBank: a consortium of banks with no central bank.",
        subcommands = {
                CommandLine.HelpCommand.class,
                AppCommand.class,
                BenchCommand.class,
                ConsortiumCommand.class,
                PeerCommand.class,
                DataServerCommand.class,
                PkiCommand.class,
        })
public final class DistribankCli implements java.util.concurrent.Callable<Integer> {

    /** Exit code for a command line that names no known subcommand or option. */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // No subcommand: the desktop application is the default (API.md, "Launcher").
        return new AppCommand().call();
    }

    public static CommandLine commandLine() {
        return new CommandLine(new DistribankCli())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DistribankCli.class.getPackage().getImplementationVersion();
            return new String[] {"distribank " + (v == null ? "dev" : v)};
        }
    }
}
