package org.distribank.app.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankPeer;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.config.DataServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bank or data server in this JVM: stop and restart only (no process to kill or signal). */
final class EmbeddedMember implements Member {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMember.class);

    private final Where where;
    private final boolean dataServer;
    private AutoCloseable running;

    EmbeddedMember(String name, String url, Path config, boolean dataServer) {
        this.where = new Where(name, url, config);
        this.dataServer = dataServer;
    }

    @Override
    public Where where() {
        return where;
    }

    @Override
    public synchronized void start() throws IOException {
        if (running == null) {
            running = dataServer ? DataServer.start(DataServerConfig.load(config()))
                    : BankPeer.start(BankConfig.load(config()));
        }
    }

    @Override
    public void requestStop() {
        // closing is synchronous: stop() does it
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", name(), e.toString());
            }
            running = null;
        }
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("kill -9 needs the processes mode");
    }

    @Override
    public void signal(String signal) {
        throw new UnsupportedOperationException("SIG" + signal + " needs the processes mode");
    }

    @Override
    public synchronized boolean alive() {
        return running != null;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public synchronized boolean restartWanted() {
        return running instanceof BankPeer p && p.restartRequested();
    }
}
