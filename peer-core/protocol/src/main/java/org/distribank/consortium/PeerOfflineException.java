package org.distribank.consortium;

import java.util.List;

/** A new operation was refused because a peer the order needs is offline (the bank answers 503). */
public class PeerOfflineException extends ConsortiumException {

    private final List<String> offlinePeers;

    public PeerOfflineException(List<String> offlinePeers) {
        super("peer offline: " + String.join(", ", offlinePeers));
        this.offlinePeers = List.copyOf(offlinePeers);
    }

    public List<String> offlinePeers() {
        return offlinePeers;
    }

    /** The first offline peer, for a one-name error message. */
    public String peerId() {
        return offlinePeers.get(0);
    }
}
