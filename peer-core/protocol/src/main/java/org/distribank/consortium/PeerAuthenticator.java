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
     * is one, both still URL-encoded), the request's headers and its body; and what a copy of it may do.
     */
    record Request(String method, String target, UnaryOperator<String> header, byte[] body, Replay replay) {
    }

    /** What a copy of a signed request (replayed by whoever saw it) may do. */
    enum Replay {
        /**
         * Idempotent (a link batch: sequence numbers drop a copy; a relay fetch of a view change, or another read):
         * accepted within the clock window.
         */
        HARMLESS,
        /**
         * Grants something by itself (a link upgrade, which then speaks as the peer), or acts on the receiver's state
         * at arrival (a view-ballot message: a copy of a JOIN would ask again to add a bank that may have left since),
         * and is never sent twice as the same request by its sender: a copy is refused.
         */
        ONCE,
        /**
         * A repeated liveness signal (a heartbeat): its sender may send the same signed request again for a
         * few seconds, so a heartbeat costs no signature; accepted only while recent (30 s), and the receiver
         * checks each distinct signature once.
         */
        RECENT
    }
    /** A request whose sender is not proven. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
