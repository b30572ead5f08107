package org.distribank.dataserver;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.distribank.common.tls.TlsOptions;

/**
 * Everything a data server needs to start. {@code tokens} maps each business id to its secret token.
 * {@code jdbcUrl} is null for the default embedded H2 file database under {@code dataDir}. {@code tls} is null for
 * plain HTTP; else HTTPS with its certificate and key, and client certificates from its {@code trustedCa} required
 * when that is given (data-server/README.md, "TLS").
 */
public record DataServerOptions(
        String host,
        int port,
        Path dataDir,
        long lockLeaseMs,
        Map<String, String> tokens,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        long checkpointMs,
        TlsOptions tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_LOCK_LEASE_MS = 5_000;
    /**
     * How often the embedded H2 database's pages are written out (each write is durable in the journal at once;
     * this bounds the journal and the replay after a crash to about this much work).
     */
    public static final long DEFAULT_CHECKPOINT_MS = 1_000;

    public DataServerOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (lockLeaseMs <= 0) {
            throw new IllegalArgumentException("lockLeaseMs must be positive, got " + lockLeaseMs);
        }
        if (checkpointMs <= 0) {
            throw new IllegalArgumentException("checkpointMs must be positive, got " + checkpointMs);
        }
        if (tls != null && tls.certificate() == null) {
            throw new IllegalArgumentException("tls needs the data server's \"certificate\" and \"key\"");
        }
        tokens = Map.copyOf(Objects.requireNonNull(tokens, "tokens"));
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one business server with a token is required");
        }
        java.util.Map<String, String> owner = new java.util.HashMap<>();
        tokens.forEach((id, token) -> {
            if (id.isBlank() || token == null || token.length() < 8) {
                throw new IllegalArgumentException("business " + id + " needs a token of at least 8 characters");
            }
            String other = owner.putIfAbsent(token, id);
            if (other != null) {
                // a token opens exactly one business: two sharing one would silently share a tenant
                String[] pair = {other, id};
                java.util.Arrays.sort(pair);
                throw new IllegalArgumentException("businesses " + pair[0] + " and " + pair[1] + " have the same token;"
                        + " each business needs a token of its own");
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hides the tokens: options get logged, secrets must not. */
    @Override
    public String toString() {
        return "DataServerOptions[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", lockLeaseMs="
                + lockLeaseMs + ", businesses=" + tokens.keySet() + ", jdbcUrl=" + (jdbcUrl == null ? "(h2)" : jdbcUrl)
                + ", tls=" + (tls != null) + "]";
    }

    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private Path dataDir;
        private long lockLeaseMs = DEFAULT_LOCK_LEASE_MS;
        private final Map<String, String> tokens = new LinkedHashMap<>();
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private long checkpointMs = DEFAULT_CHECKPOINT_MS;
        private TlsOptions tls;

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder lockLeaseMs(long lockLeaseMs) { this.lockLeaseMs = lockLeaseMs; return this; }
        public Builder checkpointMs(long checkpointMs) { this.checkpointMs = checkpointMs; return this; }
        public Builder tls(TlsOptions tls) { this.tls = tls; return this; }
        public Builder business(String businessId, String token) { tokens.put(businessId, token); return this; }
        public Builder jdbc(String url, String user, String password) {
            this.jdbcUrl = url;
            this.jdbcUser = user;
            this.jdbcPassword = password;
            return this;
        }

        public DataServerOptions build() {
            return new DataServerOptions(host, port, dataDir, lockLeaseMs, tokens, jdbcUrl, jdbcUser, jdbcPassword,
                    checkpointMs, tls);
        }
    }
}
