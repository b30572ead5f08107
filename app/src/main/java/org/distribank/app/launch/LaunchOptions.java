package org.distribank.app.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ConsortiumLauncher#start} starts: {@code banks} bank peers b1..bN on 127.0.0.1 with one shared data
 * server (or one per bank), embedded in this JVM or one OS process each.
 *
 * @param banks               1..16
 * @param portBase            0: free ports chosen at the first start (then kept in {@code consortium.json}); else
 *                            banks on {@code portBase+1..portBase+N} and data servers on {@code portBase+101..}
 * @param dataDir             where the consortium lives (secrets, ports, configs, logs, H2 files, protocol logs)
 * @param processes           one OS process per bank and data server (pids given; kill/pause possible)
 * @param separateDataServers one data server per bank instead of one shared by all
 * @param bcryptCost          the banks' bcrypt cost (12 in production; tests use 4)
 * @param heartbeatMs         the banks' heartbeat interval
 * @param offlineMs           silence after which a peer is considered offline
 * @param readyTimeout        bound on the wait until every bank answers and sees every peer online
 * @param javaOptions         extra JVM options of the child processes (processes mode only)
 */
public record LaunchOptions(int banks, int portBase, Path dataDir, boolean processes, boolean separateDataServers,
                            int bcryptCost, long heartbeatMs, long offlineMs, Duration readyTimeout,
                            List<String> javaOptions) {

    public static final int MAX_BANKS = 16;
    public static final Path DEFAULT_DATA_DIR = Path.of("distribank-data");

    public LaunchOptions {
        if (banks < 1 || banks > MAX_BANKS) {
            throw new IllegalArgumentException("--banks must be 1.." + MAX_BANKS + ", got " + banks);
        }
        if (portBase < 0 || portBase + 100 + banks > 65_535) {
            throw new IllegalArgumentException("--port-base must leave room for " + banks + " banks and their data "
                    + "servers below 65535, got " + portBase);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 4..31");
        }
        readyTimeout = readyTimeout == null ? Duration.ofSeconds(90) : readyTimeout;
        javaOptions = javaOptions == null ? List.of() : List.copyOf(javaOptions);
    }

    /** Production defaults: free ports, shared data server, embedded, bcrypt 12. */
    public static LaunchOptions of(int banks, Path dataDir) {
        return new LaunchOptions(banks, 0, dataDir, false, false, 12, 1_000, 3_000, Duration.ofSeconds(90), List.of());
    }

    public LaunchOptions withPortBase(int p) {
        return new LaunchOptions(banks, p, dataDir, processes, separateDataServers, bcryptCost, heartbeatMs, offlineMs,
                readyTimeout, javaOptions);
    }

    public LaunchOptions withProcesses(boolean p) {
        return new LaunchOptions(banks, portBase, dataDir, p, separateDataServers, bcryptCost, heartbeatMs, offlineMs,
                readyTimeout, javaOptions);
    }

    public LaunchOptions withSeparateDataServers(boolean s) {
        return new LaunchOptions(banks, portBase, dataDir, processes, s, bcryptCost, heartbeatMs, offlineMs,
                readyTimeout, javaOptions);
    }

    public LaunchOptions withBcryptCost(int c) {
        return new LaunchOptions(banks, portBase, dataDir, processes, separateDataServers, c, heartbeatMs, offlineMs,
                readyTimeout, javaOptions);
    }

    public LaunchOptions withHeartbeat(long heartbeat, long offline) {
        return new LaunchOptions(banks, portBase, dataDir, processes, separateDataServers, bcryptCost, heartbeat,
                offline, readyTimeout, javaOptions);
    }

    public LaunchOptions withReadyTimeout(Duration d) {
        return new LaunchOptions(banks, portBase, dataDir, processes, separateDataServers, bcryptCost, heartbeatMs,
                offlineMs, d, javaOptions);
    }

    public LaunchOptions withJavaOptions(List<String> opts) {
        return new LaunchOptions(banks, portBase, dataDir, processes, separateDataServers, bcryptCost, heartbeatMs,
                offlineMs, readyTimeout, opts);
    }
}
