package org.distribank.consortium;

/**
 * A new operation was refused because it would not fit in one link frame ({@link NodeOptions#maxFrameBytes()}):
 * nothing was ordered. A bank answers 413.
 */
public class OperationTooLargeException extends ConsortiumException {

    private final long bytes;
    private final long limit;

    public OperationTooLargeException(long bytes, long limit) {
        super("the operation takes " + bytes + " bytes on the links, more than the " + limit + " a frame can carry");
        this.bytes = bytes;
        this.limit = limit;
    }

    /** Its size as a link message, in UTF-8 bytes (an upper bound). */
    public long bytes() {
        return bytes;
    }

    /** The largest operation a frame can carry. */
    public long limit() {
        return limit;
    }
}
