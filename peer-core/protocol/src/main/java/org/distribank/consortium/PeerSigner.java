package org.distribank.consortium;

import java.util.function.BiConsumer;

/**
 * The sending side of peer identity: adds to each peer request the headers that prove this peer
 * sent it to that receiver ({@link PeerAuthenticator} checks them). Thread-safe.
 */
public interface PeerSigner {

    /** This peer's id, the sender every signed request names. */
    String self();

    /**
     * Signs one request to peer {@code to}: {@code target} is the path (and {@code ?query}) exactly
     * as sent, URL-encoded; {@code body} the exact bytes sent (empty for none). Each header goes to
     * {@code header}.
     */
    void sign(String to, String method, String target, byte[] body, BiConsumer<String, String> header);
}
