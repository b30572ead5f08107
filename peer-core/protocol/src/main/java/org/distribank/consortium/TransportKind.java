package org.distribank.consortium;

import java.util.Locale;

/**
 * How link batches travel between peers ({@link NodeOptions#transport()}): {@link #WEBSOCKET} (one long-lived
 * WebSocket per link, a frame per batch; the default) or {@link #HTTP} (a POST per batch). Heartbeats are HTTP
 * either way, and a node accepts both. Config files and command-line flags name them in lower case
 * ({@link #configName()}, {@link #parse}).
 */
public enum TransportKind {
    WEBSOCKET,
    HTTP;

    /** The name config files and flags use: {@code websocket} or {@code http}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code websocket} or {@code http} (any case); anything else is an IllegalArgumentException naming both. */
    public static TransportKind parse(String name) {
        if (name != null) {
            for (TransportKind k : values()) {
                if (k.name().equalsIgnoreCase(name.strip())) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("transport must be websocket or http, got " + name);
    }

    @Override
    public String toString() {
        return configName();
    }
}
