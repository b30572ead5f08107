package org.distribank.consortium;

/** How this peer's outbound link to one peer is shaped by the operator ({@link LinkControls}). */
public enum LinkMode {
    /** Straight through. */
    UP,
    /** Everything dropped (a one-way partition). */
    CUT,
    /** Everything delayed by a fixed time, in order. */
    SLOW
}
