package org.distribank.consortium;

import java.util.List;
import java.util.function.Consumer;
import org.distribank.consortium.entity.ProtocolEvent;

/** Where observers subscribe to protocol events and read the recent ones. */
public interface EventSource {

    /** Registers a listener; events arrive on the protocol thread, so it must not block. Returns an unsubscriber. */
    AutoCloseable subscribe(Consumer<ProtocolEvent> listener);

    /** The retained events in memory, oldest first (bounded by {@code NodeOptions.eventLogCapacity}). */
    List<ProtocolEvent> recent();

    /**
     * Gives {@code sink} every kept event (in memory, and on disk with an event history: {@code NodeOptions.history*})
     * with an index above {@code afterIndex} and a time at or after {@code fromMs} (epoch ms), oldest first.
     */
    default void replay(long afterIndex, long fromMs, Consumer<ProtocolEvent> sink) {
        for (ProtocolEvent e : recent()) {
            if (e.index() > afterIndex && e.timeMs() >= fromMs) {
                sink.accept(e);
            }
        }
    }
}
