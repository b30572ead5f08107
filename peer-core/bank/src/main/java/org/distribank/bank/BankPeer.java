package org.distribank.bank;

import io.javalin.Javalin;
import com.google.gson.JsonObject;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distribank.bank.account.AccountDirectory;
import org.distribank.bank.account.AccountService;
import org.distribank.bank.account.Passwords;
import org.distribank.bank.api.BankOpenApi;
import org.distribank.bank.api.ConsentApi;
import org.distribank.bank.api.CustomerApi;
import org.distribank.bank.api.OperatorApi;
import org.distribank.bank.consent.ConsentDirectory;
import org.distribank.bank.consent.ConsentService;
import org.distribank.bank.api.RequestLimits;
import org.distribank.bank.api.Requests;
import org.distribank.bank.execution.Applier;
import org.distribank.bank.execution.BankMachine;
import org.distribank.bank.execution.DecidedStore;
import org.distribank.bank.execution.PostingIds;
import org.distribank.bank.execution.DecisionWaiters;
import org.distribank.bank.execution.Refused;
import org.distribank.bank.execution.TransactionService;
import org.distribank.bank.ledger.LedgerClient;
import org.distribank.bank.metrics.BankMetrics;
import org.distribank.bank.ledger.LedgerException;
import org.distribank.bank.peer.AppliedTracker;
import org.distribank.bank.peer.PeerBankClient;
import org.distribank.bank.peer.PeerBankRoutes;
import org.distribank.bank.peer.PeerCertificates;
import org.distribank.bank.pix.PixDirectory;
import org.distribank.bank.session.SessionService;
import org.distribank.common.ApiException;
import org.distribank.common.JsonResponses;
import org.distribank.common.SecureFiles;
import org.distribank.common.StrictJson;
import org.distribank.common.tls.TlsContext;
import org.distribank.consortium.Consortium;
import org.distribank.consortium.NodeOptions;
import org.distribank.consortium.PeerSigner;
import org.distribank.consortium.ConsortiumNode;
import org.distribank.consortium.ConsortiumRoutes;
import org.distribank.consortium.LinkControls;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.PeerInfo;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bank of the consortium: a Javalin server carrying the customer API, the operator API and the peer routes
 * (the protocol's and the bank's), its consortium node with the bank's state machine, and the applier writing
 * to its data server. {@link #start} loads the accounts from the data server, starts HTTP, then the node (which
 * replays its log, rebuilding balances, holds and the PIX directory); until the replay ends, {@code /api/*} answers
 * 503 STARTING (Retry-After) and {@code /health} says STARTING.
 */
public final class BankPeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BankPeer.class);
    private static final String ANSWERED = "bank.answered";
    /** How long a stop waits for requests still being answered. */
    private static final long STOP_TIMEOUT_MS = 3_000;

    private final BankOptions options;
    private final LedgerClient ledger;
    private final PeerBankClient peerClient;
    private final AppliedTracker remoteApplied;
    private final Applier applier;
    private final BankMachine machine;
    private final ConsortiumNode node;
    private final Javalin server;
    private volatile boolean closed;
    private SessionService sessions;
    private DecidedStore decided;

    private BankPeer(BankOptions options, LedgerClient ledger, PeerBankClient peerClient, AppliedTracker remoteApplied,
                     Applier applier, BankMachine machine, ConsortiumNode node, Javalin server) {
        this.options = options;
        this.ledger = ledger;
        this.peerClient = peerClient;
        this.remoteApplied = remoteApplied;
        this.applier = applier;
        this.machine = machine;
        this.node = node;
        this.server = server;
    }

    public static BankPeer start(BankOptions given) throws IOException {
        BankOptions options = given; // immutable, validated when built
        // the protocol log holds every customer's operations: owner-only from the start
        SecureFiles.createPrivateDirectories(options.dataDir());
        TlsContext tls = options.tls() == null ? null : options.tls().load();
        LedgerClient ledger = new LedgerClient(options.dataServer(), tls);
        AccountDirectory accounts = new AccountDirectory();
        try {
            // one owner per account: from here on the original API cannot move this bank's money behind its back
            ledger.claimManager(options.id(), options.displayName());
            accounts.load(ledger);
        } catch (LedgerException e) {
            ledger.close();
            throw new IOException("bank " + options.id() + " cannot claim or read its accounts at " + options.dataServer().url()
                    + ": " + e.getMessage(), e);
        }
        Passwords passwords = new Passwords(options.bcryptCost());
        SessionService sessions = new SessionService(ledger, passwords, options.sessionTtl(), options.clock(),
                options.limits());
        RequestLimits requestLimits = new RequestLimits(options.limits(), options.clock());
        PixDirectory pix = new PixDirectory();
        Applier applier = new Applier(ledger, options.id(), options.dataDir().resolve("applied-position"));
        List<String> peerIds = options.peers().stream().map(PeerInfo::id).toList();
        // decided operations and the client-id record live on disk, not in the heap (a bounded cache there)
        DecidedStore decided = DecidedStore.open(options.dataDir().resolve("decided.mv.db"), options.clock());
        BankMachine machine = new BankMachine(options.id(), peerIds, accounts, pix, applier,
                PostingIds.of(options.dataDir()), // before the node creates its log: a fresh directory names by position
                new ConsentDirectory(), options.clock(), options.moneySupplyCap(), decided);
        DecisionWaiters waiters = new DecisionWaiters(machine);
        Map<String, String> urls = new ConcurrentHashMap<>();
        options.peers().forEach(p -> urls.put(p.id(), p.url()));
        // the protocol's own transport choice (streaming WebSocket links by default), URLs resolved at each connect,
        // wrapped for the operator's link controls: straight through while no link is cut or slowed
        NodeOptions nodeOptions = options.toNodeOptions().withOwnIdentity();
        PeerSigner signer = nodeOptions.signer(); // this bank's own key: every peer request it sends says it is this bank
        LinkControls links = LinkControls.wrap(Consortium.transport(options.transport(), urls::get, signer, tls));
        ConsortiumNode node = Consortium.createNode(nodeOptions, machine, links);
        // decided work waiting for the data server stays bounded: past the applier's limit, no frames are taken
        node.admitFramesWhile(applier::admitting);
        // the operator's event stream hears when the applier stops on its data server, or an audit differs
        applier.onHealthChange(reason -> node.report(EventType.HEALTH, null,
                reason.map(r -> "DEGRADED " + r).orElse("UP")));
        PeerBankClient peerClient = new PeerBankClient(urls::get, signer, links::pass, tls);
        AppliedTracker remoteApplied = AppliedTracker.of(
                peerIds.stream().filter(p -> !p.equals(options.id())).toList(), peerClient);
        TransactionService transactions = new TransactionService(options.id(), node, machine, waiters, applier, peerClient,
                remoteApplied, accounts, pix, options.answerWaitMs(), options.limits().maxInFlight());
        AccountService accountService = new AccountService(ledger, accounts, passwords);
        ConsentService consentService = new ConsentService(options.id(), machine, waiters, accounts, transactions, peerClient,
                options.clock(), options.answerWaitMs());
        CustomerApi customer = new CustomerApi(options.id(), accountService, accounts, sessions, transactions, machine,
                applier, pix, ledger, consentService);
        ConsentApi consentApi = new ConsentApi(consentService, sessions);
        OperatorApi operator = new OperatorApi(options.id(), options.operatorToken(), node, machine, transactions,
                accounts, links, peerIds);
        BankMetrics metrics = BankMetrics.bind(options.id(), node, machine, applier, ledger);
        AtomicBoolean serving = new AtomicBoolean(false);
        byte[] openApi = StrictJson.GSON.toJson(BankOpenApi.document(options.id())).getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
        Javalin server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            if (tls != null) {
                // one HTTPS port for customers and peers: a client certificate is asked for, required on /peer/
                cfg.jetty.addConnector(tls.connector(options.host(), options.port(), TlsContext.ClientAuth.WANT));
                PeerCertificates.register(cfg, java.util.Set.copyOf(peerIds));
            }
            // Graceful stop: requests still being answered (e.g. told PENDING as the node stops) get their answer
            // before the connections close; new ones meanwhile get 503
            cfg.jetty.modifyServer(s -> {
                s.setStopTimeout(STOP_TIMEOUT_MS);
                s.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        s.insertHandler(new GracefulHandler());
                    }
                });
            });
            cfg.routes.get("/health", ctx -> {
                // fail-stop: a bank whose log cannot be made durable says so here (and answers nothing else);
                // DEGRADED: it serves, but its data server refuses (or misses) decided writes, or an audit differs
                java.util.Optional<String> stopped = node.stoppedBecause();
                java.util.Optional<String> degraded = applier.degradedReason();
                JsonObject health = new JsonObject();
                // STARTING (503) while the log replays; DOWN (503) after a fail-stop; DEGRADED (200) still serves
                String status = stopped.isPresent() ? "DOWN" : !serving.get() ? "STARTING"
                        : degraded.isPresent() ? "DEGRADED" : "UP";
                health.addProperty("status", status);
                stopped.or(() -> degraded).ifPresent(why -> health.addProperty("reason", why));
                if (stopped.isEmpty() && degraded.isPresent()) {
                    health.addProperty("refusals", applier.refusals());
                }
                ctx.status(status.equals("UP") || status.equals("DEGRADED") ? 200 : 503).contentType("application/json")
                        .result(health.toString());
            });
            // The port opens before the log's replay (peers and /health need it: a closed port cannot say
            // STARTING), but no customer or operator is answered from a half-replayed state
            cfg.routes.before("/api/*", ctx -> {
                if (!serving.get()) {
                    JsonObject retry = new JsonObject();
                    retry.addProperty("retryAfter", 1);
                    throw new ApiException(503, "STARTING", "This bank is replaying its log and answers shortly.",
                            retry);
                }
            });
            cfg.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            metrics.register(cfg, options.operatorToken());
            cfg.events.serverStopped(metrics::close);
            ConsortiumRoutes.register(cfg, node);
            PeerBankRoutes.register(cfg, node.endpoint().authenticator(), options.id(), machine, applier, waiters);
            requestLimits.register(cfg);
            customer.register(cfg);
            consentApi.register(cfg);
            operator.register(cfg);
            cfg.routes.exception(ApiException.class, (e, ctx) -> {
                JsonObject body = e.body();
                if (body.has("retryAfter")) {
                    ctx.header("Retry-After", body.get("retryAfter").getAsString());
                }
                error(ctx, e.status(), body);
            });
            cfg.routes.exception(Refused.class, (e, ctx) -> {
                ApiException a = Requests.error(e);
                if (e.retryAfterSeconds() != null) {
                    ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
                }
                error(ctx, a.status(), a.body());
            });
            cfg.routes.exception(LedgerException.class, (e, ctx) -> {
                LOG.warn("data server trouble on {} {}: {} {}", ctx.method(), ctx.path(), e.code(), e.getMessage());
                if (e.unreachable()) {
                    error(ctx, 503, new ApiException(503, "DATA_SERVER_UNAVAILABLE",
                            "The bank's data server is not answering; try again shortly.").body());
                } else {
                    error(ctx, 502, new ApiException(502, "DATA_SERVER_ERROR",
                            "The bank's data server refused the request: " + e.code()).body());
                }
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, new ApiException(500, "INTERNAL", "Unexpected server error.").body());
            });
            cfg.routes.error(404, "*", ctx -> {
                if (ctx.attribute(ANSWERED) == null) {
                    error(ctx, 404, new ApiException(404, "NOT_FOUND", "No such resource: " + ctx.path()).body());
                }
            });
            cfg.routes.error(405, "*", ctx -> error(ctx, 405,
                    new ApiException(405, "METHOD_NOT_ALLOWED", "This method is not allowed here.").body()));
        });
        try {
            server.start(options.host(), options.port());
        } catch (RuntimeException e) {
            sessions.close();
            node.close();
            decided.close();
            remoteApplied.close();
            peerClient.close();
            ledger.close();
            throw new IOException("bank " + options.id() + " cannot listen on " + options.host() + ":" + options.port(), e);
        }
        urls.put(options.id(), scheme(options) + "://" + options.host() + ":" + server.port());
        applier.start();
        BankPeer peer = new BankPeer(options, ledger, peerClient, remoteApplied, applier, machine, node, server);
        peer.sessions = sessions;
        peer.decided = decided;
        try {
            applier.replaying(true);
            node.start(); // replays the log: balances, holds, directories and undecided operations are back
        } catch (RuntimeException e) {
            peer.close();
            throw new IOException("bank " + options.id() + " could not start its consortium node: " + e.getMessage(), e);
        } finally {
            applier.replaying(false);
        }
        serving.set(true);
        LOG.info("bank {} ({}) listening on {}", options.id(), options.displayName(), peer.url());
        return peer;
    }

    private static void error(Context ctx, int status, com.google.gson.JsonObject body) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        JsonResponses.send(ctx, status, body);
    }

    public String id() {
        return options.id();
    }

    /** Whether its node asked to be restarted (left past a view's cut: a restart rebuilds it from its log). */
    public boolean restartRequested() {
        return node.restartRequested();
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return scheme(options) + "://" + options.host() + ":" + port();
    }

    private static String scheme(BankOptions o) {
        return o.tls() == null ? "http" : "https";
    }

    public ConsortiumNode node() {
        return node;
    }

    /** The bank's state machine (balances, decided operations), for tests and the launcher's diagnostics. */
    public BankMachine machine() {
        return machine;
    }

    /** Sign-in and sessions (for tests: sessions and failure records held in memory). */
    public SessionService sessions() {
        return sessions;
    }

    public BankOptions options() {
        return options;
    }

    /** Every registered HTTP route as "METHOD path", for the OpenAPI completeness test. */
    public List<String> routes() {
        return server.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // the node first: requests waiting for it are answered PENDING (the operation may still commit) while
        // the server can still send that answer; then the server, gracefully (bounded)
        node.close();
        try {
            server.stop();
        } catch (RuntimeException e) {
            // a request that outlived the stop's bound: everything else must still close (its files' locks with it)
            LOG.warn("bank {}: its server did not stop gracefully: {}", options.id(), e.toString());
        }
        if (sessions != null) {
            sessions.close();
        }
        applier.close();
        if (decided != null) {
            decided.close(); // after the node: nothing decides any more
        }
        remoteApplied.close();
        peerClient.close();
        ledger.close();
        LOG.info("bank {} stopped", options.id());
    }
}
