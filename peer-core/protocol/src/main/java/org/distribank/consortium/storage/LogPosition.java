package org.distribank.consortium.storage;

/**
 * A place in a {@link SegmentLog}: the byte {@code offset} in segment number {@code segment}; records from
 * there on follow it. A snapshot names the position its state reaches, so a restart replays only what is after.
 */
public record LogPosition(int segment, long offset) {

    /** The very start of a log that was never truncated. */
    public static final LogPosition START = new LogPosition(1, 0);

    public LogPosition {
        if (segment < 1 || offset < 0) {
            throw new IllegalArgumentException("no such log position: " + segment + "/" + offset);
        }
    }
}
