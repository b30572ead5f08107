package org.distribank.app.launch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankMain;
import org.distribank.bank.BankPeer;
import org.distribank.common.SecureFiles;
import org.distribank.common.StrictJson;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.DataServerMain;
import org.distribank.dataserver.config.DataServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consortium started by {@link ConsortiumLauncher}: its banks and data servers, their URLs and pids, and the
 * faults a test injects (kill -9, SIGSTOP/SIGCONT: processes mode only; stop/restart: both modes).
 * {@link #close()} stops the banks first, then the data servers (SIGTERM, a bounded wait, then SIGKILL).
 */
public final class RunningConsortium implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningConsortium.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    /** A bank as the launcher's JSON line shows it. {@code pid} is null in embedded mode. */
    public record BankInfo(String id, String name, String url, Long pid, Path config, DataServerRef dataServer) {
    }

    public record DataServerRef(String url, String businessId, String token) {
    }

    public record DataServerInfo(String url, Long pid) {
    }

    private final LaunchOptions options;
    private final ConsortiumState state;
    private final List<Member> dataServers = new ArrayList<>();
    private final List<Member> banks = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Restarts a bank whose node asked for it (left past a view's cut), as systemd would a server's. */
    private java.util.concurrent.ScheduledExecutorService supervisor;
    private boolean closed;
    /** How often the supervisor restarted each bank because it asked to be ({@link #restartWhereAsked}). */
    private final java.util.Map<String, Integer> supervisedRestarts = new java.util.concurrent.ConcurrentHashMap<>();

    RunningConsortium(LaunchOptions options, ConsortiumState state, List<Path> dsConfigs, List<Path> bankConfigs) {
        this.options = options;
        this.state = state;
        Path logs = options.dataDir().resolve("logs");
        for (int j = 0; j < dsConfigs.size(); j++) {
            String name = state.dataServers.get(j).dir;
            String url = "http://127.0.0.1:" + state.dataServers.get(j).port;
            dataServers.add(options.processes()
                    ? new ProcessMember(name, url, DataServerMain.class.getName(), dsConfigs.get(j),
                    logs.resolve(name + ".log"), options.javaOptions())
                    : new EmbeddedMember(name, url, dsConfigs.get(j), true));
        }
        for (int i = 0; i < bankConfigs.size(); i++) {
            ConsortiumState.Bank b = state.banks.get(i);
            String url = "http://127.0.0.1:" + b.port;
            banks.add(options.processes()
                    ? new ProcessMember(b.id, url, BankMain.class.getName(), bankConfigs.get(i),
                    logs.resolve(b.id + ".log"), options.javaOptions())
                    : new EmbeddedMember(b.id, url, bankConfigs.get(i), false));
        }
    }

    void startAll() throws IOException {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        for (Member d : dataServers) {
            d.start();
        }
        for (Member d : dataServers) {
            awaitHealth(d, deadline);
        }
        for (int i = 0; i < banks.size(); i++) {
            if (state.banks.get(i).active()) {
                banks.get(i).start();
            }
        }
        awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        supervisor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consortium-supervisor");
            t.setDaemon(true);
            return t;
        });
        supervisor.scheduleWithFixedDelay(() -> {
            restartWhereAsked();
            startAddedSlots();
        }, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.info("consortium of {} banks ready in {} ({} mode)", banks.size(), options.dataDir(),
                options.processes() ? "processes" : "embedded");
    }

    // ---- what the JSON line shows ----

    /** The banks, not the slots waiting for add-bank ({@link #slots()}). */
    public List<BankInfo> banks() {
        List<BankInfo> out = new ArrayList<>();
        for (int i = 0; i < banks.size(); i++) {
            ConsortiumState.Bank b = state.banks.get(i);
            if (b.slot) {
                continue;
            }
            Member m = banks.get(i);
            out.add(new BankInfo(b.id, b.name, m.url, m.pid().isPresent() ? m.pid().getAsLong() : null, m.config,
                    new DataServerRef(dataServers.get(b.dataServer).url, b.id, b.token)));
        }
        return out;
    }

    /** How often the launcher restarted bank {@code id} because its node asked to be (left past a view's cut). */
    public int supervisedRestarts(String id) {
        return supervisedRestarts.getOrDefault(id, 0);
    }

    /** The slots configured for banks added later and not added yet (add-bank). */
    public synchronized List<String> slots() {
        return state.banks.stream().filter(b -> b.slot).map(b -> b.id).toList();
    }

    public BankInfo bank(String id) {
        return banks().stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bank " + id));
    }

    public List<DataServerInfo> dataServers() {
        return dataServers.stream().map(d -> new DataServerInfo(d.url, d.pid().isPresent() ? d.pid().getAsLong()
                : null)).toList();
    }

    /** Index into {@link #dataServers()} of the data server bank {@code id} uses. */
    public int dataServerOf(String id) {
        return state.banks.get(indexOf(id)).dataServer;
    }

    /** Bank b1's operator token (each bank has its own: {@link #operatorToken(String)}). */
    public String operatorToken() {
        return state.operatorToken;
    }

    /** Bank {@code id}'s own operator token. */
    public String operatorToken(String id) {
        return state.banks.get(indexOf(id)).operatorToken;
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public boolean processes() {
        return options.processes();
    }

    /** The launcher's JSON line (API.md, "Launcher"); it carries secrets, for the person or test driving it. */
    public String toJsonLine() {
        JsonObject root = new JsonObject();
        JsonArray bs = new JsonArray();
        for (BankInfo b : banks()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", b.id());
            o.addProperty("name", b.name());
            o.addProperty("url", b.url());
            if (b.pid() != null) {
                o.addProperty("pid", b.pid());
            }
            o.addProperty("config", b.config().toString());
            JsonObject ds = new JsonObject();
            ds.addProperty("url", b.dataServer().url());
            ds.addProperty("businessId", b.dataServer().businessId());
            ds.addProperty("token", b.dataServer().token());
            o.add("dataServer", ds);
            o.addProperty("operatorToken", operatorToken(b.id()));
            bs.add(o);
        }
        root.add("banks", bs);
        JsonArray dss = new JsonArray();
        for (DataServerInfo d : dataServers()) {
            JsonObject o = new JsonObject();
            o.addProperty("url", d.url());
            if (d.pid() != null) {
                o.addProperty("pid", d.pid());
            }
            dss.add(o);
        }
        root.add("dataServers", dss);
        root.addProperty("operatorToken", state.operatorToken); // b1's, as before per-bank tokens
        root.addProperty("dataDir", options.dataDir().toString());
        return StrictJson.GSON.toJson(root);
    }

    // ---- faults and lifecycle (one bank or data server) ----

    /** SIGKILL bank {@code id} and wait for it to be gone (processes mode). */
    public void killBank(String id) {
        banks.get(indexOf(id)).kill();
    }

    /** Stops bank {@code id} cleanly (SIGTERM or close). */
    public void stopBank(String id) {
        banks.get(indexOf(id)).stop();
    }

    /** Starts bank {@code id} again (stopping it first if it still runs) on the same config. */
    public void restartBank(String id) throws IOException {
        Member m = banks.get(indexOf(id));
        m.stop();
        m.start();
    }

    public void pauseBank(String id) {
        banks.get(indexOf(id)).signal("STOP");
    }

    public void resumeBank(String id) {
        banks.get(indexOf(id)).signal("CONT");
    }

    public void killDataServer(int index) {
        dataServers.get(index).kill();
    }

    public void stopDataServer(int index) {
        dataServers.get(index).stop();
    }

    public void restartDataServer(int index) throws IOException {
        Member m = dataServers.get(index);
        m.stop();
        m.start();
    }

    public void pauseDataServer(int index) {
        dataServers.get(index).signal("STOP");
    }

    public void resumeDataServer(int index) {
        dataServers.get(index).signal("CONT");
    }

    /** Whether bank {@code id}'s process (or embedded server) is running. */
    public boolean bankAlive(String id) {
        return banks.get(indexOf(id)).alive();
    }

    /**
     * Waits until every bank answers {@code /health} and its operator view shows every other bank online (with
     * views: and every bank a member of its view).
     *
     * @throws IOException when the bound passes first, or a child process exits meanwhile (naming its log)
     */
    public void awaitReady(Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Member d : dataServers) {
            awaitHealth(d, deadline);
        }
        for (int i = 0; i < banks.size(); i++) {
            Member b = banks.get(i);
            while (state.banks.get(i).active() && !bankReady(b)) {
                pause(b, deadline, "every peer online");
            }
        }
    }

    /**
     * The operator's retire-bank (BANK.md, "Retiring a bank"): asks bank {@code id} to leave the consortium, and once
     * it has, stops it and notes it in the data dir, so later starts leave it out. Returns the bank's answer (200, or
     * the refusal that changed nothing: 409 while an account holds money).
     */
    public HttpResponse<String> retire(String id) throws IOException {
        HttpResponse<String> r = retireAt(bank(id).url(), operatorToken(id));
        if (r.statusCode() == 200) {
            retired(id);
        }
        return r;
    }

    /** Bank {@code id} has retired (its API said so): noted in the data dir and stopped. */
    public void retired(String id) throws IOException {
        int i = indexOf(id);
        state.banks.get(i).retired = true;
        state.save(options.dataDir());
        banks.get(i).stop();
    }

    /**
     * The operator's add-bank (BANK.md "Adding a bank"): asks a member to add slot {@code id}, and once it agreed
     * (202) notes it in the data dir and starts the bank, which takes its first snapshot from a member. Returns the
     * member's answer (202, or the refusal that changed nothing). {@link #awaitReady} then waits for it as for any.
     */
    public synchronized HttpResponse<String> addBank(String id) throws IOException {
        int i = indexOf(id);
        if (!state.banks.get(i).slot) {
            throw new IllegalArgumentException(id + " is not a slot waiting to be added (slots: " + slots() + ")");
        }
        ConsortiumState.Bank member = state.banks.stream().filter(ConsortiumState.Bank::active).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running bank to ask"));
        HttpResponse<String> r = addBankAt("http://127.0.0.1:" + member.port, member.operatorToken, id);
        if (r.statusCode() == 202) {
            startSlot(i);
        }
        return r;
    }

    /** Slot {@code i} was added: noted in the data dir (later starts start it) and started. */
    private void startSlot(int i) throws IOException {
        state.banks.get(i).slot = false;
        state.save(options.dataDir());
        LOG.info("{} was added to the consortium: starting it (it takes its first snapshot from a member)",
                state.banks.get(i).id);
        banks.get(i).start();
    }

    /**
     * The supervisor's other round: a slot that a view has among its banks (an add-bank asked from another process,
     * the CLI's) is started here, where the consortium runs. Asks one running bank only while slots wait.
     */
    private void startAddedSlots() {
        if (state.banks.stream().noneMatch(b -> b.slot)) {
            return;
        }
        ConsortiumState.Bank member = state.banks.stream().filter(ConsortiumState.Bank::active).findFirst()
                .orElse(null);
        JsonObject view = member == null ? null : get("http://127.0.0.1:" + member.port + "/api/v1/consortium",
                member.operatorToken);
        if (view == null || !view.has("view") || !view.get("view").isJsonObject()) {
            return;
        }
        List<String> viewBanks = new ArrayList<>();
        view.getAsJsonObject("view").getAsJsonArray("banks").forEach(e -> viewBanks.add(e.getAsString()));
        synchronized (this) {
            for (int i = 0; i < state.banks.size() && !closed; i++) {
                if (state.banks.get(i).slot && viewBanks.contains(state.banks.get(i).id)) {
                    try {
                        startSlot(i);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("starting the added bank {} failed: {}", state.banks.get(i).id, e.toString());
                    }
                }
            }
        }
    }

    /** {@code POST /api/v1/admin/add-bank} at a member, with its operator token (also for the CLI). */
    static HttpResponse<String> addBankAt(String memberUrl, String operatorToken, String id) throws IOException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(memberUrl + "/api/v1/admin/add-bank"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + operatorToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"bank\":\"" + id + "\"}")).build();
        try {
            return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + memberUrl + " to add " + id, e);
        }
    }

    /** {@code POST /api/v1/admin/retire} at a bank, with its operator token (also for the CLI, on another process). */
    static HttpResponse<String> retireAt(String bankUrl, String operatorToken) throws IOException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(bankUrl + "/api/v1/admin/retire"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + operatorToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retiring at " + bankUrl, e);
        }
    }

    private void awaitHealth(Member m, long deadline) throws IOException {
        while (!healthy(m.url)) {
            pause(m, deadline, "/health");
        }
    }

    private void pause(Member m, long deadline, String what) throws IOException {
        if (!m.alive()) {
            throw new IOException(m.name + " stopped while starting" + m.logHint());
        }
        if (System.nanoTime() > deadline) {
            throw new IOException(m.name + " did not answer " + what + " in time" + m.logHint());
        }
        try {
            Thread.sleep(100); // poll interval while a child server starts; the deadline above bounds the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + m.name, e);
        }
    }

    private boolean healthy(String url) {
        return get(url + "/health", null) != null;
    }

    private boolean bankReady(Member b) {
        JsonObject view = get(b.url + "/api/v1/consortium", operatorToken(b.name));
        if (view == null || !view.has("peers")) {
            return false;
        }
        int online = 0;
        for (JsonElement e : view.getAsJsonArray("peers")) {
            JsonObject p = e.getAsJsonObject();
            if (!p.get("id").getAsString().equals(b.name) && p.get("online").getAsBoolean()) {
                online++;
            }
        }
        long active = state.banks.stream().filter(ConsortiumState.Bank::active).count();
        return online >= active - 1 && (!options.views() || inEveryView(view));
    }

    /**
     * With views a bank can see every peer online and still be outside the view (it restarted and waits to be voted
     * back in: PROTOCOL.md "Rejoin"), refusing customers with 503 BANK_OFFLINE; ready means a member of a view of
     * every bank.
     */
    private boolean inEveryView(JsonObject view) {
        if (!view.has("view") || !view.get("view").isJsonObject() || !view.getAsJsonObject("view").has("members")) {
            return false;
        }
        List<String> members = new ArrayList<>();
        for (JsonElement m : view.getAsJsonObject("view").getAsJsonArray("members")) {
            members.add(m.getAsString());
        }
        return state.banks.stream().allMatch(b -> !b.active() || members.contains(b.id));
    }

    /** Bank {@code id}'s operator view ({@code GET /api/v1/consortium}), or null when it does not answer 200. */
    public JsonObject consortiumView(String id) {
        return get(bank(id).url() + "/api/v1/consortium", operatorToken(id));
    }

    /** Whether bank {@code id}'s {@code /health} answers 200 with {@code "status":"UP"} (serving customers). */
    public boolean bankUp(String id) {
        JsonObject health = get(bank(id).url() + "/health", null);
        return health != null && health.has("status") && "UP".equals(health.get("status").getAsString());
    }

    private JsonObject get(String url, String bearer) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET();
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return null;
            }
            JsonElement e = JsonParser.parseString(resp.body());
            return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private int indexOf(String id) {
        for (int i = 0; i < state.banks.size(); i++) {
            if (state.banks.get(i).id.equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no bank " + id);
    }

    /** Banks first, then data servers: SIGTERM (after SIGCONT), a bounded wait, then SIGKILL. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (supervisor != null) {
            supervisor.shutdownNow();
        }
        stopAll(banks);
        stopAll(dataServers);
        LOG.info("consortium in {} stopped", options.dataDir());
    }

    /**
     * The supervisor's round: a bank whose node asked to be restarted (a process that exited with {@link
     * BankMain#RESTART_EXIT_CODE}, an embedded bank that says so) is started again, and rebuilds from its log. A
     * bank killed, stopped or paused on purpose is left alone.
     */
    private void restartWhereAsked() {
        for (int i = 0; i < banks.size(); i++) {
            Member m = banks.get(i);
            if (!state.banks.get(i).active() || !m.restartWanted()) {
                continue;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                LOG.warn("{} asked to be restarted (left past a view's cut): starting it again", m.name);
                supervisedRestarts.merge(m.name, 1, Integer::sum);
                try {
                    m.stop();
                    m.start();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("restarting {} failed: {}", m.name, e.toString());
                }
            }
        }
    }

    private static void stopAll(List<Member> members) {
        members.forEach(Member::requestStop);
        members.forEach(Member::stop);
    }

    // ---- members ----

    private abstract static class Member {
        final String name;
        final String url;
        final Path config;

        Member(String name, String url, Path config) {
            this.name = name;
            this.url = url;
            this.config = config;
        }

        abstract void start() throws IOException;

        /** Asks it to stop without waiting (so many stop in parallel). */
        abstract void requestStop();

        /** Stops it and waits (bounded). */
        abstract void stop();

        abstract void kill();

        abstract void signal(String signal);

        abstract boolean alive();

        abstract OptionalLong pid();

        /** Whether it asked to be restarted (a bank left past a view's cut). */
        abstract boolean restartWanted();

        String logHint() {
            return "";
        }
    }

    private static final class EmbeddedMember extends Member {
        private final boolean dataServer;
        private AutoCloseable running;

        EmbeddedMember(String name, String url, Path config, boolean dataServer) {
            super(name, url, config);
            this.dataServer = dataServer;
        }

        @Override
        synchronized void start() throws IOException {
            if (running == null) {
                running = dataServer ? DataServer.start(DataServerConfig.load(config)) : BankPeer.start(BankConfig.load(config));
            }
        }

        @Override
        void requestStop() {
            // closing is synchronous: stop() does it
        }

        @Override
        synchronized void stop() {
            if (running != null) {
                try {
                    running.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", name, e.toString());
                }
                running = null;
            }
        }

        @Override
        void kill() {
            throw new UnsupportedOperationException("kill -9 needs the processes mode");
        }

        @Override
        void signal(String signal) {
            throw new UnsupportedOperationException("SIG" + signal + " needs the processes mode");
        }

        @Override
        synchronized boolean alive() {
            return running != null;
        }

        @Override
        OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        synchronized boolean restartWanted() {
            return running instanceof BankPeer p && p.restartRequested();
        }
    }

    private static final class ProcessMember extends Member {
        private final String mainClass;
        private final Path log;
        private final List<String> javaOptions;
        private static final String THROUGHPUT_GC = "-XX:+UseParallelGC";
        /** A server out of memory ends (fail-stop) rather than limp on with dead threads while its heartbeats go on. */
        static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
        private Process process;
        private boolean paused;

        ProcessMember(String name, String url, String mainClass, Path config, Path log, List<String> javaOptions) {
            super(name, url, config);
            this.mainClass = mainClass;
            this.log = log;
            this.javaOptions = javaOptions;
        }

        @Override
        synchronized void start() throws IOException {
            if (process != null && process.isAlive()) {
                return;
            }
            SecureFiles.createPrivateDirectories(log.getParent());
            if (!java.nio.file.Files.exists(log)) {
                SecureFiles.createPrivateFile(log); // a server's log names accounts and customers
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add(EXIT_ON_OOM);
            if (javaOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
                cmd.add(THROUGHPUT_GC); // as ./distribank: less CPU per operation than G1 for this load
            }
            cmd.addAll(javaOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.add("--config");
            cmd.add(config.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            process = pb.start();
            paused = false;
            LOG.info("{} started as pid {} (log {})", name, process.pid(), log);
        }

        @Override
        synchronized void requestStop() {
            if (process != null && process.isAlive()) {
                if (paused) {
                    sendSignal(process.pid(), "CONT");
                    paused = false;
                }
                process.destroy();
            }
        }

        @Override
        synchronized void stop() {
            if (process == null) {
                return;
            }
            requestStop();
            try {
                if (!process.waitFor(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} (pid {}) ignored SIGTERM for {}; SIGKILL", name, process.pid(), STOP_WAIT);
                    process.destroyForcibly();
                    process.waitFor(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        synchronized void kill() {
            if (process == null) {
                return;
            }
            process.destroyForcibly(); // SIGKILL on POSIX
            try {
                if (!process.waitFor(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(name + " survived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        synchronized void signal(String signal) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(name + " is not running");
            }
            sendSignal(process.pid(), signal);
            paused = "STOP".equals(signal);
        }

        private void sendSignal(long pid, String signal) {
            try {
                Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                        .start();
                if (!k.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || k.exitValue() != 0) {
                    LOG.warn("kill -{} {} failed", signal, pid);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        synchronized boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        synchronized boolean restartWanted() {
            return process != null && !process.isAlive() && process.exitValue() == BankMain.RESTART_EXIT_CODE;
        }

        @Override
        synchronized OptionalLong pid() {
            return process == null || !process.isAlive() ? OptionalLong.empty() : OptionalLong.of(process.pid());
        }

        @Override
        String logHint() {
            return " (see " + log + ")";
        }
    }
}
