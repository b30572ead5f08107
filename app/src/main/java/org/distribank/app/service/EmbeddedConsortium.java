package org.distribank.app.service;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.distribank.app.launch.ConsortiumLauncher;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.launch.RunningConsortium;

/** A consortium this app launched on loopback: data server(s) and banks, in this JVM or as processes. */
public final class EmbeddedConsortium implements ConsortiumConnection {

    private final RunningConsortium running;
    private final LaunchOptions options;

    private EmbeddedConsortium(RunningConsortium running, LaunchOptions options) {
        this.running = running;
        this.options = options;
    }

    /** Starts (or resumes, from the same data directory) a consortium and waits until every bank answers. */
    public static EmbeddedConsortium launch(LaunchOptions options) throws IOException {
        return new EmbeddedConsortium(ConsortiumLauncher.start(options), options);
    }

    public RunningConsortium running() {
        return running;
    }

    @Override
    public String describe() {
        return options.banks() + " banks on this computer (" + options.dataDir() + ")";
    }

    @Override
    public List<BankRef> banks() {
        return running.banks().stream().map(b -> new BankRef(b.id(), b.name(), b.url())).toList();
    }

    @Override
    public Optional<String> operatorToken() {
        return Optional.of(running.operatorToken());
    }

    @Override
    public Optional<String> operatorToken(String id) {
        return Optional.of(running.operatorToken(id)); // each launched bank has its own
    }

    @Override
    public boolean controlsBanks() {
        return true;
    }

    @Override
    public void killBank(String id) {
        if (running.processes()) {
            running.killBank(id);
        } else {
            running.stopBank(id);
        }
    }

    @Override
    public void restartBank(String id) throws IOException {
        running.restartBank(id);
    }

    /** Once the bank retired (refusals as its API gives them), it is stopped and left out of later starts. */
    @Override
    public void retireBank(String id) {
        ConsortiumConnection.super.retireBank(id);
        try {
            running.retired(id);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public boolean bankRunning(String id) {
        return running.bankAlive(id);
    }

    @Override
    public void close() {
        running.close();
    }
}
