package org.distribank.consortium;

import java.util.function.UnaryOperator;

/**
 * Who sent a peer request, proven by the sender's own credential: the receiving side of peer
 * identity. A message's sender is what this answers, never a field the request writes. Behind an
 * interface so that the peer path can be fronted by mutual TLS later (the client certificate's
 * bank then answers); today {@link org.distribank.consortium.auth.SignedRequests} checks an Ed25519
 * signature made with the sender's own key ({@link PeerSigner} on the sending side).
 */
public interface PeerAuthenticator {

    /**
     * The id of the peer that sent {@code request}.
     *
     * @throws Refused no credential, a wrong, stale or replayed one, or an unknown peer; the message
     *                 names no secret (it goes into the 401 answer and the log)
     */
    String authenticate(Request request);

    /**
     * What a credential covers: the method, the target as sent (path, and {@code ?query} when there
     * is one, both still URL-encoded), the request's headers and its body. {@code singleUse}: the
     * request grants something by itself (a link upgrade, which then speaks as the peer; a
     * heartbeat, which keeps it online), so a copy of it is refused even within the clock window.
     */
    record Request(String method, String target, UnaryOperator<String> header, byte[] body, boolean singleUse) {
    }

    /** A request whose sender is not proven. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
