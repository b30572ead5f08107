package org.distribank.dataserver.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.distribank.common.SecureFiles;
import org.distribank.dataserver.DataServerOptions;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and the schema. Default: an H2 file database under {@code dataDir}; with a
 * {@code jdbcUrl} any database the migrations run on (the SQL is kept portable; tested on PostgreSQL 15).
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource pool;
    private final boolean h2;

    private Database(HikariDataSource pool, boolean h2) {
        this.pool = pool;
        this.h2 = h2;
    }

    public static Database open(DataServerOptions options) throws IOException {
        String url = options.jdbcUrl();
        if (url == null) {
            // customers' data: the directory is owner-only from the start, so H2's files in it are too
            SecureFiles.createPrivateDirectories(options.dataDir());
            // The journal makes each commit durable (GroupCommitWriter, Journal); H2's file is forced to disk at the
            // writer's checkpoints, every checkpointMs. WRITE_DELAY=0: no background writer. H2's store is consistent
            // per map only, so a chunk its background writer wrote while a batch was under way could hold half of
            // that batch, and a crash right after it left a file no replay can mend (a write acknowledged, then
            // lost: CrashRecoveryTest caught it). Without it, each commit is written out by the committing thread,
            // which is always the writer, between its transactions (H2 2.3.232, TransactionStore.endTransaction).
            // DB_CLOSE_ON_EXIT=FALSE: we close the database ourselves, after the last queued write.
            // QUERY_CACHE_SIZE=64: the writer's connection runs more distinct statements per batch than H2's
            // default 8 cached ones, which made it parse SQL again for nearly every statement.
            url = "jdbc:h2:file:" + options.dataDir().toAbsolutePath().resolve("distribank")
                    + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0";
        }
        boolean h2 = url.startsWith("jdbc:h2:");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        // H2's embedded default user; another database takes its user from jdbcUser or from the URL itself.
        if (options.jdbcUser() != null || h2) {
            config.setUsername(options.jdbcUser() == null ? "sa" : options.jdbcUser());
            config.setPassword(options.jdbcPassword() == null ? "" : options.jdbcPassword());
        } else if (options.jdbcPassword() != null) {
            config.setPassword(options.jdbcPassword());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            // On PostgreSQL the commit is the durable point (no CHECKPOINT SYNC), unless the server, database or
            // role says synchronous_commit=off: turn that one off back on (local, on, remote_* all flush first).
            config.setConnectionInitSql("SELECT set_config('synchronous_commit', 'on', false)"
                    + " WHERE current_setting('synchronous_commit') = 'off'");
        }
        config.setMaximumPoolSize(12);
        config.setPoolName("data-server");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, h2);
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public boolean isH2() {
        return h2;
    }

    @Override
    public void close() {
        pool.close();
    }
}
