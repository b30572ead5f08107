package org.distribank.consortium;

import java.util.Objects;

/**
 * The shape of this peer's outbound link to {@code peer} ({@link LinkControls#link}); {@code delayMs} is 0 unless
 * a delay is set (a link cut while slowed keeps its delay, shown as CUT).
 */
public record LinkState(String peer, LinkMode mode, long delayMs) {

    public LinkState {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(mode, "mode");
        if (delayMs < 0 || (mode == LinkMode.SLOW && delayMs == 0) || (mode == LinkMode.UP && delayMs != 0)) {
            throw new IllegalArgumentException(mode + " with delayMs " + delayMs);
        }
    }

    /** "CUT", "SLOW 300 ms", "UP". */
    public String describe() {
        return mode == LinkMode.SLOW ? "SLOW " + delayMs + " ms" : mode.name();
    }
}
