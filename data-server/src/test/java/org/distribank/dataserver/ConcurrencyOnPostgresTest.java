package org.distribank.dataserver;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ConcurrencyTest} on PostgreSQL: the same tests, the data server's {@code jdbcUrl} on a fresh schema. */
class ConcurrencyOnPostgresTest extends ConcurrencyTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema();

    @Override
    public DataServerOptions serverOptions(Path dir, long leaseMs) {
        return postgres.options(dir, leaseMs);
    }
}
