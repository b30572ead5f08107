package org.distribank.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.config.DataServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank data-server --config FILE}: one data server, until SIGINT or SIGTERM. */
@Command(name = "data-server", mixinStandardHelpOptions = true,
        description = "Run one data server (balances, locks, bank data) from a JSON config file.")
public final class DataServerCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The data server's JSON config file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        DataServer server = DataServer.start(DataServerConfig.load(config));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "data-server-shutdown"));
        System.out.println("{\"dataServer\":{\"url\":\"" + server.url() + "\",\"pid\":" + ProcessHandle.current().pid()
                + "}}");
        System.out.flush();
        server.awaitStopped();
        return 0;
    }
}
