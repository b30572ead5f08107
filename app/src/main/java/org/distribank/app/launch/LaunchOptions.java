package org.distribank.app.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ConsortiumLauncher#start} starts: {@code banks} bank peers b1..bN on 127.0.0.1 with one shared data
 * server (or one per bank), embedded in this JVM or one OS process each. An immutable, validated record: make one
 * with {@link #builder()} (production defaults: free ports, shared data server, embedded, bcrypt 12), change one
 * with {@link #toBuilder()}.
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
 * @param views               view changes in every bank (a bank down is voted out; needed for slots)
 * @param spare               slots for banks added later ({@code consortium add-bank}, BANK.md "Adding a bank"):
 *                            configured in every bank (b(N+1)..), not started until added; only when created
 * @param historyEvents       protocol events each bank keeps on disk (its event history, for the desktop app's
 *                            scrubber; 0: none); written into each bank.json when the consortium is created
 */
public record LaunchOptions(int banks, int portBase, Path dataDir, boolean processes, boolean separateDataServers,
                            int bcryptCost, long heartbeatMs, long offlineMs, Duration readyTimeout,
                            List<String> javaOptions, boolean views, int spare, int historyEvents) {

    public static final int MAX_BANKS = 16;
    public static final Path DEFAULT_DATA_DIR = Path.of("distribank-data");
    public static final int DEFAULT_BCRYPT_COST = 12;
    public static final long DEFAULT_HEARTBEAT_MS = 1_000;
    public static final long DEFAULT_OFFLINE_MS = 3_000;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);

    public LaunchOptions {
        if (banks < 1 || banks > MAX_BANKS) {
            throw new IllegalArgumentException("--banks must be 1.." + MAX_BANKS + ", got " + banks);
        }
        if (spare < 0 || banks + spare > MAX_BANKS) {
            throw new IllegalArgumentException("--spare must be 0.." + (MAX_BANKS - banks) + " (at most " + MAX_BANKS
                    + " banks in all), got " + spare);
        }
        if (spare > 0 && !views) {
            throw new IllegalArgumentException("--spare needs views: a bank joins through a view change");
        }
        if (portBase < 0 || portBase + 100 + banks + spare > 65_535) {
            throw new IllegalArgumentException("--port-base must leave room for " + banks + " banks and their data "
                    + "servers below 65535, got " + portBase);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 4..31");
        }
        if (heartbeatMs <= 0 || offlineMs <= 0) {
            throw new IllegalArgumentException("heartbeatMs and offlineMs must be positive, got " + heartbeatMs
                    + " and " + offlineMs);
        }
        readyTimeout = readyTimeout == null ? DEFAULT_READY_TIMEOUT : readyTimeout;
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("the ready timeout must be positive, got " + readyTimeout);
        }
        javaOptions = javaOptions == null ? List.of() : List.copyOf(javaOptions);
        if (historyEvents < 0) {
            throw new IllegalArgumentException("historyEvents must be 0 or more, got " + historyEvents);
        }
    }

    /** A builder with the production defaults; {@code banks} and {@code dataDir} have none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder().banks(banks).portBase(portBase).dataDir(dataDir).processes(processes)
                .separateDataServers(separateDataServers).bcryptCost(bcryptCost).heartbeat(heartbeatMs, offlineMs)
                .readyTimeout(readyTimeout).javaOptions(javaOptions).views(views).spare(spare)
                .historyEvents(historyEvents);
    }

    public static final class Builder {
        private int banks;
        private int portBase;
        private Path dataDir;
        private boolean processes;
        private boolean separateDataServers;
        private int bcryptCost = DEFAULT_BCRYPT_COST;
        private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
        private long offlineMs = DEFAULT_OFFLINE_MS;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private List<String> javaOptions = List.of();
        /** On by default: a bank down is voted out and the others go on (issue 15); off for the views-off baseline. */
        private boolean views = true;
        private int spare;
        private int historyEvents = org.distribank.bank.BankOptions.DEFAULT_HISTORY_EVENTS;

        private Builder() {
        }

        public Builder banks(int banks) { this.banks = banks; return this; }
        public Builder portBase(int portBase) { this.portBase = portBase; return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder processes(boolean processes) { this.processes = processes; return this; }
        public Builder separateDataServers(boolean separate) { this.separateDataServers = separate; return this; }
        public Builder bcryptCost(int cost) { this.bcryptCost = cost; return this; }
        public Builder readyTimeout(Duration timeout) { this.readyTimeout = timeout; return this; }
        public Builder javaOptions(List<String> options) { this.javaOptions = options; return this; }
        /** View changes in every bank (PROTOCOL.md "Views: the view change"): a bank down is voted out. */
        public Builder views(boolean on) { this.views = on; return this; }
        /** Slots for banks added later (add-bank), configured in every bank but not started. */
        public Builder spare(int slots) { this.spare = slots; return this; }
        /** Protocol events each bank keeps on disk (0: none; the benchmark compares). */
        public Builder historyEvents(int n) { this.historyEvents = n; return this; }

        /** The banks' heartbeat interval and the silence after which a peer is offline. */
        public Builder heartbeat(long heartbeatMs, long offlineMs) {
            this.heartbeatMs = heartbeatMs;
            this.offlineMs = offlineMs;
            return this;
        }

        public LaunchOptions build() {
            return new LaunchOptions(banks, portBase, dataDir, processes, separateDataServers, bcryptCost, heartbeatMs,
                    offlineMs, readyTimeout, javaOptions, views, spare, historyEvents);
        }
    }
}
