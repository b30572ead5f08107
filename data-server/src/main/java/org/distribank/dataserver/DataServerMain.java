package org.distribank.dataserver;

import java.nio.file.Path;
import org.distribank.dataserver.config.DataServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java org.distribank.dataserver.DataServerMain --config FILE}: runs one data server until the JVM is
 * asked to stop (SIGINT/SIGTERM), then finishes the queued writes and closes the database.
 */
public final class DataServerMain {

    private static final Logger LOG = LoggerFactory.getLogger(DataServerMain.class);

    private DataServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--config".equals(args[0])) {
            LOG.error("usage: DataServerMain --config FILE");
            Runtime.getRuntime().exit(2);
            return;
        }
        runUntilStopped(Path.of(args[1]));
    }

    /** Starts the server from a config file and blocks until a shutdown hook has closed it. */
    public static DataServer runUntilStopped(Path config) throws Exception {
        DataServer server = DataServer.start(DataServerConfig.load(config));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "data-server-shutdown"));
        LOG.info("DataServer listening on {}", server.url());
        server.awaitStopped();
        return server;
    }
}
