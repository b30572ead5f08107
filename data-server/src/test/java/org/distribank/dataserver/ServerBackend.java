package org.distribank.dataserver;

import java.nio.file.Path;

/**
 * Where a contract test's server keeps its data: the embedded H2 default here; the {@code ...OnPostgresTest}
 * subclasses override it to run the same test class on PostgreSQL ({@link PostgresSchema}).
 */
interface ServerBackend {

    default DataServerOptions serverOptions(Path dir, long leaseMs) {
        return TestServers.options(dir, leaseMs);
    }
}
