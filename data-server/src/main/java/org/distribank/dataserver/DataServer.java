package org.distribank.dataserver;

import com.google.gson.JsonObject;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.distribank.common.ApiException;
import org.distribank.common.tls.TlsContext;
import org.distribank.dataserver.api.Json;
import org.distribank.dataserver.api.LegacyApi;
import org.distribank.dataserver.api.TokenAuth;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.bank.BankApi;
import org.distribank.dataserver.lock.LockTable;
import org.distribank.dataserver.store.Database;
import org.distribank.dataserver.store.GroupCommitWriter;
import org.distribank.dataserver.store.Journal;
import org.distribank.dataserver.bank.Writes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running data server: the public entry point for the rest of the product.
 * {@code try (DataServer ds = DataServer.start(options)) { ... ds.url() ... }}
 */
public final class DataServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataServer.class);

    /** Marks a response whose error body a handler already wrote, so the 404 page does not replace it. */
    private static final String ANSWERED = "distribank.answered";

    private final Javalin javalin;
    private final Database database;
    private final GroupCommitWriter writer;
    private final String host;
    private final int port;
    private final String scheme;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private DataServer(Javalin javalin, Database database, GroupCommitWriter writer, String host, String scheme) {
        this.javalin = javalin;
        this.scheme = scheme;
        this.database = database;
        this.writer = writer;
        this.host = host;
        this.port = javalin.port();
    }

    public static DataServer start(DataServerOptions options) throws IOException {
        TlsContext tls = options.tls() == null ? null : options.tls().load(); // before anything is opened
        Database database = Database.open(options);
        LockTable locks = new LockTable();
        Writes writes = new Writes(new Ledger(locks));
        GroupCommitWriter writer;
        try {
            // the journal makes the default embedded H2 database's commits durable (GroupCommitWriter, Journal)
            writer = options.jdbcUrl() == null
                    ? new GroupCommitWriter(database, Journal.open(options.dataDir().resolve("journal")), writes,
                            options.checkpointMs())
                    : new GroupCommitWriter(database);
        } catch (SQLException | IOException e) {
            database.close();
            throw new IOException("cannot open the writer (database or journal)", e);
        }
        TokenAuth auth = new TokenAuth(options.tokens());
        LegacyApi legacy = new LegacyApi(auth, database, writer, locks, writes, options.lockLeaseMs());
        BankApi bank = new BankApi(auth, database, writer, writes);
        byte[] openApi = openApiDocument();
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            if (tls != null) {
                // only its own bank calls a data server: with a trusted CA, no certificate from it, no connection
                config.jetty.addConnector(tls.connector(options.host(), options.port(),
                        tls.hasTrustedCa() ? TlsContext.ClientAuth.NEED : TlsContext.ClientAuth.NONE));
            }
            config.routes.get("/health", ctx -> Json.send(ctx, 200, status()));
            config.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            legacy.register(config.routes);
            bank.register(config.routes);
            config.routes.exception(ApiException.class, (e, ctx) -> {
                ctx.attribute(ANSWERED, Boolean.TRUE);
                Json.send(ctx, e.status(), e.body());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                Json.send(ctx, 500, new ApiException(500, "INTERNAL", "Unexpected server error.").body());
            });
            config.routes.error(404, "*", DataServer::notFoundUnlessAnswered);
            config.routes.error(405, "*", ctx -> Json.send(ctx, 405,
                    new ApiException(405, "METHOD_NOT_ALLOWED", "This method is not allowed here.").body()));
        });
        try {
            javalin.start(options.host(), options.port());
        } catch (RuntimeException e) {
            writer.close();
            database.close();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
        DataServer server = new DataServer(javalin, database, writer, options.host(), tls == null ? "http" : "https");
        LOG.info("data server for {} listening on {} (data in {})", options.tokens().keySet(), server.url(),
                options.jdbcUrl() == null ? options.dataDir() : "the configured JDBC database");
        return server;
    }

    /** Unknown routes answer the JSON error shape too; a handler's own 404 body is kept. */
    private static void notFoundUnlessAnswered(Context ctx) {
        if (ctx.attribute(ANSWERED) == null) {
            Json.send(ctx, 404, new ApiException(404, "NOT_FOUND", "No such resource: " + ctx.path()).body());
        }
    }

    private static JsonObject status() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "UP");
        return o;
    }

    private static byte[] openApiDocument() throws IOException {
        try (InputStream in = DataServer.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IOException("openapi.json is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return scheme + "://" + host + ":" + port();
    }

    /** Every registered HTTP route as "METHOD path", for the OpenAPI completeness test. */
    public List<String> routes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Stops taking requests, finishes the queued writes, and closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            javalin.stop();
        } finally {
            writer.close();
            database.close();
            stopped.countDown();
            LOG.info("data server on port {} stopped", port);
        }
    }
}
