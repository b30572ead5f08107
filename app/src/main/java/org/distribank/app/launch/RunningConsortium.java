package org.distribank.app.launch;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.HttpJson;
import org.distribank.app.client.OperatorClient;
import org.distribank.bank.BankMain;
import org.distribank.dataserver.DataServerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consortium started by {@link ConsortiumLauncher}: its banks and data servers, their URLs and pids, and the
 * faults a test injects (kill -9, SIGSTOP/SIGCONT: processes mode only; stop/restart: both modes).
 * {@link #close()} stops the banks first, then the data servers (SIGTERM, a bounded wait, then SIGKILL).
 */
public final class RunningConsortium implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningConsortium.class);

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
            out.add(new BankInfo(b.id, b.name, m.url(), m.pid().isPresent() ? m.pid().getAsLong() : null, m.config(),
                    new DataServerRef(dataServers.get(b.dataServer).url(), b.id, b.token)));
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
        return dataServers.stream().map(d -> new DataServerInfo(d.url(), d.pid().isPresent() ? d.pid().getAsLong()
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
        return LaunchLine.of(banks(), dataServers(), this::operatorToken, state.operatorToken, options.dataDir());
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
     * views: and every bank a member of its view), all in one pass: while a later bank was waited for, an earlier
     * one may have voted a slow starter out, so a pass that waited is checked again.
     *
     * @throws IOException when the bound passes first, or a child process exits meanwhile (naming its log)
     */
    public void awaitReady(Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Member d : dataServers) {
            awaitHealth(d, deadline);
        }
        boolean waited;
        do { // bounded: pause throws once the deadline passes
            waited = false;
            for (int i = 0; i < banks.size(); i++) {
                Member b = banks.get(i);
                while (state.banks.get(i).active() && !bankReady(b)) {
                    pause(b, deadline, "every peer online");
                    waited = true;
                }
            }
        } while (waited);
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
        ConsortiumSnapshot view = member == null ? null : snapshot(member.id, "http://127.0.0.1:" + member.port);
        if (view == null || !view.hasView()) {
            return;
        }
        List<String> viewBanks = view.banks();
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
        while (!healthy(m.url())) {
            pause(m, deadline, "/health");
        }
    }

    private void pause(Member m, long deadline, String what) throws IOException {
        if (!m.alive()) {
            throw new IOException(m.name() + " stopped while starting" + m.logHint());
        }
        if (System.nanoTime() > deadline) {
            throw new IOException(m.name() + " did not answer " + what + " in time" + m.logHint());
        }
        try {
            Thread.sleep(100); // poll interval while a child server starts; the deadline above bounds the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + m.name(), e);
        }
    }

    /** {@code GET /health} at a bank or a data server: its body, or null when it does not answer 2xx. */
    private static JsonObject health(String url) {
        try {
            return new HttpJson(url).get("/health", null);
        } catch (BankApiException e) {
            return null;
        }
    }

    private static boolean healthy(String url) {
        return health(url) != null;
    }

    private OperatorClient operator(String id, String url) {
        return new OperatorClient(id, url, operatorToken(id));
    }

    /** Bank {@code id}'s view of the consortium, or null when it does not answer. */
    private ConsortiumSnapshot snapshot(String id, String url) {
        try {
            return operator(id, url).consortium();
        } catch (BankApiException e) {
            return null;
        }
    }

    /**
     * Whether bank {@code b} sees every other active bank online; with views, a bank can see them all and still be
     * outside the view (it restarted and waits to be voted back in: PROTOCOL.md "Rejoin"), refusing customers with
     * 503 BANK_OFFLINE, so ready then also means every active bank a member of its view.
     */
    private boolean bankReady(Member b) {
        ConsortiumSnapshot view = snapshot(b.name(), b.url());
        if (view == null) {
            return false;
        }
        long online = view.peers().stream().filter(p -> !p.id().equals(b.name()) && p.online()).count();
        List<String> active = state.banks.stream().filter(ConsortiumState.Bank::active).map(x -> x.id).toList();
        return online >= active.size() - 1
                && (!options.views() || view.hasView() && view.members().containsAll(active));
    }

    /** Bank {@code id}'s operator view ({@code GET /api/v1/consortium}), or null when it does not answer 2xx. */
    public JsonObject consortiumView(String id) {
        try {
            return new HttpJson(bank(id).url()).get("/api/v1/consortium", operatorToken(id));
        } catch (BankApiException e) {
            return null;
        }
    }

    /** Whether bank {@code id}'s {@code /health} answers 200 with {@code "status":"UP"} (serving customers). */
    public boolean bankUp(String id) {
        JsonObject health = health(bank(id).url());
        return health != null && health.has("status") && "UP".equals(health.get("status").getAsString());
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
                LOG.warn("{} asked to be restarted (left past a view's cut): starting it again", m.name());
                supervisedRestarts.merge(m.name(), 1, Integer::sum);
                try {
                    m.stop();
                    m.start();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("restarting {} failed: {}", m.name(), e.toString());
                }
            }
        }
    }

    private static void stopAll(List<Member> members) {
        members.forEach(Member::requestStop);
        members.forEach(Member::stop);
    }
}
