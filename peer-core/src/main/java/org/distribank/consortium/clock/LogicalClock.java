package org.distribank.consortium.clock;

import java.util.List;
import org.distribank.consortium.entity.VectorClock;

/**
 * This peer's own vector clock, with the two rules of the protocol: tick own entry on every send;
 * on every receive merge entry-wise then tick. Not thread-safe: owned by the protocol thread.
 */
public final class LogicalClock {

    private final String self;
    private VectorClock current;

    public LogicalClock(String self, List<String> peerIds) {
        this.self = self;
        this.current = VectorClock.zero(peerIds);
    }

    /** A send: own entry + 1; returns the stamp the message carries. */
    public VectorClock tickForSend() {
        current = current.increment(self);
        return current;
    }

    /** A receive: merge, then own entry + 1. */
    public VectorClock onReceive(VectorClock received) {
        current = current.merge(received).increment(self);
        return current;
    }

    /** Replay of one of our own sends: the clock becomes at least its stamp. */
    public void restoreSend(VectorClock stamp) {
        current = current.merge(stamp);
    }

    public VectorClock current() {
        return current;
    }
}
