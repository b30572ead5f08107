package org.distribank.bank;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java org.distribank.bank.BankMain --config FILE}: runs one bank peer until the JVM is asked to stop
 * (SIGINT/SIGTERM), then closes it (HTTP, then the node's log, then the applier).
 */
public final class BankMain {

    private static final Logger LOG = LoggerFactory.getLogger(BankMain.class);

    /**
     * The exit status of a bank whose node asked to be restarted (left past a view's cut): its supervisor (the
     * launcher in processes mode, systemd's Restart=on-failure) starts it again, and the restart rebuilds it from its
     * log. EX_TEMPFAIL: try again.
     */
    public static final int RESTART_EXIT_CODE = 75;

    private BankMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--config".equals(args[0])) {
            LOG.error("usage: BankMain --config FILE");
            Runtime.getRuntime().exit(2);
            return;
        }
        runUntilStopped(Path.of(args[1]));
    }

    /** Starts a bank from a config file and blocks until a shutdown hook has closed it. */
    public static void runUntilStopped(Path config) throws Exception {
        BankPeer bank = BankPeer.start(BankConfig.load(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bank.close();
            stopped.countDown();
        }, "bank-shutdown"));
        LOG.info("bank {} listening on {}", bank.id(), bank.url());
        while (!stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (bank.restartRequested()) {
                LOG.warn("bank {}: its node asked to be restarted (left past a view's cut); exiting with {} for its "
                        + "supervisor to start it again, rebuilt from its log", bank.id(), RESTART_EXIT_CODE);
                Runtime.getRuntime().exit(RESTART_EXIT_CODE); // the shutdown hook closes the bank first
                return;
            }
        }
    }
}
