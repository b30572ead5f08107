package org.distribank.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.distribank.bank.BankMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank peer --config FILE}: one bank peer until SIGINT or SIGTERM (BankMain's logic). */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "Run one bank peer from its JSON config file (e.g. the config a consortium launcher wrote).")
public final class PeerCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The bank's JSON config file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        BankMain.runUntilStopped(config);
        return 0;
    }
}
