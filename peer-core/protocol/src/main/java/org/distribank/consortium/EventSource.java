package org.distribank.consortium;

import java.util.List;
import java.util.function.Consumer;
import org.distribank.consortium.entity.ProtocolEvent;

/** Where observers subscribe to protocol events and read the recent ones. */
public interface EventSource {

    /** Registers a listener; events arrive on the protocol thread, so it must not block. Returns an unsubscriber. */
    AutoCloseable subscribe(Consumer<ProtocolEvent> listener);

    /** The retained events, oldest first (bounded by {@code NodeOptions.eventLogCapacity}). */
    List<ProtocolEvent> recent();
}
