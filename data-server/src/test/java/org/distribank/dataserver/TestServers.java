package org.distribank.dataserver;

import java.io.IOException;
import java.nio.file.Path;

/** Real servers for the tests: port 0 on loopback, H2 files in the test's temporary directory. */
final class TestServers {

    static final String B1 = "b1";
    static final String B2 = "b2";
    static final String TOKEN_B1 = "token-of-b1-0123456789";
    static final String TOKEN_B2 = "token-of-b2-0123456789";

    private TestServers() {
    }

    static DataServerOptions options(Path dir, long leaseMs) {
        return DataServerOptions.builder()
                .port(0)
                .dataDir(dir)
                .lockLeaseMs(leaseMs)
                .business(B1, TOKEN_B1)
                .business(B2, TOKEN_B2)
                .build();
    }

    static DataServer start(Path dir) throws IOException {
        return DataServer.start(options(dir, 5_000));
    }
}
