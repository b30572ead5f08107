package org.distribank.consortium.observe;

import io.javalin.config.JavalinConfig;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.transport.Json;

/**
 * A Server-Sent Events route of protocol events (the bank mounts it at {@code /api/v1/events}
 * behind its operator check). Each event is {@code event: <TYPE>} with the event's JSON as data.
 * Events are handed over through a bounded per-client queue so a slow client never slows the
 * protocol thread; when the queue is full the client misses events and gets a comment saying so.
 */
public final class EventStreamRoute {

    private static final int CLIENT_QUEUE = 10_000;

    private EventStreamRoute() {
    }

    public static void register(JavalinConfig config, String path, EventSource source) {
        config.routes.sse(path, client -> {
            LinkedBlockingQueue<ProtocolEvent> q = new LinkedBlockingQueue<>(CLIENT_QUEUE);
            boolean[] dropped = {false};
            AutoCloseable sub = source.subscribe(e -> {
                if (!q.offer(e)) {
                    dropped[0] = true;
                }
            });
            client.onClose(() -> close(sub));
            client.sendComment("connected");
            try {
                while (!client.terminated()) {
                    ProtocolEvent e = q.poll(15, TimeUnit.SECONDS); // bounded: wakes up to send keep-alives
                    if (e == null) {
                        client.sendComment("keep-alive");
                        continue;
                    }
                    if (dropped[0]) {
                        dropped[0] = false;
                        client.sendComment("slow client: some events were dropped");
                    }
                    client.sendEvent(e.type().name(), Json.GSON.toJson(e), String.valueOf(e.index()));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } finally {
                close(sub);
            }
        });
    }

    private static void close(AutoCloseable sub) {
        try {
            sub.close();
        } catch (Exception ignored) {
            // unsubscribing cannot fail meaningfully
        }
    }
}
