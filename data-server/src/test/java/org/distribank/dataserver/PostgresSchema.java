package org.distribank.dataserver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL backend of the data-server tests: a fresh schema per test in the database named by
 * {@code DISTRIBANK_TEST_PG_URL} (user and password in {@code DISTRIBANK_TEST_PG_USER} and
 * {@code DISTRIBANK_TEST_PG_PASSWORD}; {@code .ci/run} sets all three up), dropped after the test (after its
 * {@code @AfterEach} has closed the server). Without the URL the test is skipped with that reason; with it, an
 * unreachable database fails the test.
 */
final class PostgresSchema implements BeforeEachCallback, AfterEachCallback {

    static final String URL_ENV = "DISTRIBANK_TEST_PG_URL";

    private final String url = System.getenv(URL_ENV);
    private final String user = System.getenv("DISTRIBANK_TEST_PG_USER");
    private final String password = System.getenv("DISTRIBANK_TEST_PG_PASSWORD");
    private String schema;

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        assumeTrue(url != null && !url.isBlank(), URL_ENV + " is not set: no PostgreSQL to test on (.ci/run sets"
                + " one up; see data-server/README.md)");
        schema = "test_" + UUID.randomUUID().toString().replace("-", "");
        sql("CREATE SCHEMA " + schema);
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (schema != null) {
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** A JDBC URL of this test's schema (the migrations run there), with extra URL parameters. */
    String jdbcUrl(String extraParameters) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + extraParameters;
    }

    /** The options of {@link TestServers}, on this test's schema. */
    DataServerOptions options(Path dir, long leaseMs) {
        return DataServerOptions.builder()
                .port(0)
                .dataDir(dir)
                .lockLeaseMs(leaseMs)
                .business(TestServers.B1, TestServers.TOKEN_B1)
                .business(TestServers.B2, TestServers.TOKEN_B2)
                .jdbc(jdbcUrl(""), user, password)
                .build();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), user, password);
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
