package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.TOKEN_B1;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.distribank.dataserver.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only PostgreSQL has to show: the Flyway migrations applied there, the commit made durable by
 * {@code synchronous_commit} (forced back on where the connection says off; no H2 {@code CHECKPOINT SYNC}),
 * and the data kept across a restart of the server. The contract itself runs on PostgreSQL in the
 * {@code ...OnPostgresTest} classes.
 */
class PostgresBackendTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema();

    @TempDir
    Path dir;

    @Test
    void migrationsRunOnPostgresql() throws Exception {
        try (Database db = Database.open(postgres.options(dir, 5_000))) {
            assertThat(db.isH2()).as("no CHECKPOINT SYNC on PostgreSQL").isFalse();
        }
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(2)).isTrue();
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_name IN ('customers', 'accounts',"
                    + " 'account_holders', 'pix_keys', 'statement_entries', 'operations', 'transaction_outcomes')")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void synchronousCommitIsOnEvenWhereTheConnectionTurnsItOff() throws Exception {
        String off = "&options=-c%20synchronous_commit%3Doff";
        try (Connection plain = DriverManager.getConnection(postgres.jdbcUrl(off),
                System.getenv("DISTRIBANK_TEST_PG_USER"), System.getenv("DISTRIBANK_TEST_PG_PASSWORD"))) {
            assertThat(show(plain)).as("the URL option takes effect on a plain connection").isEqualTo("off");
        }
        DataServerOptions base = postgres.options(dir, 5_000);
        DataServerOptions offOptions = DataServerOptions.builder().port(0).dataDir(dir).business(B1, TOKEN_B1)
                .jdbc(postgres.jdbcUrl(off), base.jdbcUser(), base.jdbcPassword()).build();
        try (Database db = Database.open(offOptions); Connection c = db.connection()) {
            assertThat(show(c)).isEqualTo("on");
        }
    }

    @Test
    void dataSurvivesARestartOfTheServer() throws Exception {
        try (DataServer server = DataServer.start(postgres.options(dir, 5_000))) {
            Client b1 = new Client(server.url(), TOKEN_B1);
            b1.openAccount(B1, "kept", "11111111111");
            assertThat(b1.setBalance(B1, "kept", 4_321, "op-kept").status()).isEqualTo(200);
        }
        try (DataServer again = DataServer.start(postgres.options(dir, 5_000))) {
            Client b1 = new Client(again.url(), TOKEN_B1);
            assertThat(b1.balance(B1, "kept")).isEqualTo(4_321);
            assertThat(b1.setBalance(B1, "kept", 4_321, "op-kept").json().get("balance").getAsLong())
                    .as("the applied operation id is remembered too").isEqualTo(4_321);
        }
    }

    private static String show(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW synchronous_commit")) {
            r.next();
            return r.getString(1);
        }
    }
}
