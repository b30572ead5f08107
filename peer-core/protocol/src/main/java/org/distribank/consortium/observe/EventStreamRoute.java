package org.distribank.consortium.observe;

import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.distribank.consortium.EventSource;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.transport.Json;

/**
 * A Server-Sent Events route of protocol events (the bank mounts it at {@code /api/v1/events}
 * behind its operator check). Each event is {@code event: <TYPE>} with the event's JSON as data.
 * Events are handed over through a bounded per-client queue so a slow client never slows the
 * protocol thread; when the queue is full the client misses events and gets a comment saying so.
 *
 * <p>Each event's SSE id is its index at this peer. A client that reconnects with the standard
 * {@code Last-Event-ID} header (or asks {@code ?since=N}) first gets the kept events after that
 * index (in memory, and from the peer's event history on disk), then the live ones, with no gap and no
 * repeat; if the index is ahead of this peer's (it restarted without a history and counts from 1 again),
 * everything it kept since comes first. {@code ?from=T} (epoch ms) replays the kept events from that
 * time on, alone or with an index.
 */
public final class EventStreamRoute {

    private static final int CLIENT_QUEUE = 10_000;

    private EventStreamRoute() {
    }

    /** Put in a client's queue when the server stops: its handler ends while the request still exists. */
    private static final ProtocolEvent STOP = new ProtocolEvent(-1, 0, null, null, null, null, null, null, null);

    public static void register(JavalinConfig config, String path, EventSource source) {
        // Javalin 7 runs an SSE handler as an async task; one that ends after its server stopped
        // (recycled request) sends Javalin into an endless loop of error handling, so every
        // open stream is ended first.
        Set<LinkedBlockingQueue<ProtocolEvent>> open = ConcurrentHashMap.newKeySet();
        config.events.serverStopping(() -> {
            open.forEach(q -> {
                q.clear();
                q.offer(STOP);
            });
            long until = System.nanoTime() + 2_000_000_000L; // bounded: the handlers end within ms
            while (!open.isEmpty() && System.nanoTime() < until) {
                LockSupport.parkNanos(5_000_000L);
            }
        });
        config.routes.sse(path, client -> {
            LinkedBlockingQueue<ProtocolEvent> q = new LinkedBlockingQueue<>(CLIENT_QUEUE);
            open.add(q);
            boolean[] dropped = {false};
            AutoCloseable sub = source.subscribe(e -> {
                if (!q.offer(e)) {
                    dropped[0] = true;
                }
            });
            client.onClose(() -> close(sub));
            client.sendComment("connected");
            long since = since(client.ctx().header("Last-Event-ID"), client.ctx().queryParam("since"));
            long fromMs = fromMs(client.ctx().queryParam("from"));
            long[] lastSent = {-1};
            if (since >= 0 || fromMs > 0) {
                // after subscribing: what happens from now on is in the queue too, and sent once
                List<ProtocolEvent> kept = source.recent();
                boolean restarted = since > 0 && !kept.isEmpty() && kept.get(kept.size() - 1).index() < since;
                source.replay(restarted ? 0 : Math.max(0, since), fromMs, e -> {
                    client.sendEvent(e.type().name(), Json.GSON.toJson(e), String.valueOf(e.index()));
                    lastSent[0] = e.index();
                });
            }
            try {
                while (!client.terminated()) {
                    ProtocolEvent e = q.poll(15, TimeUnit.SECONDS); // bounded: wakes up to send keep-alives
                    if (e == null) {
                        client.sendComment("keep-alive");
                        continue;
                    }
                    if (e == STOP) {
                        break;
                    }
                    if (e.index() <= lastSent[0]) {
                        continue; // already sent from the retained events
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
                open.remove(q);
                close(sub);
            }
        });
    }

    /** {@code ?from=}: the epoch milliseconds to replay from, 0 when absent or malformed. */
    static long fromMs(String from) {
        if (from == null || from.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(from.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The index to resume after, or -1 for live events only; a malformed value counts as absent. */
    static long since(String lastEventId, String sinceParam) {
        for (String v : new String[] {lastEventId, sinceParam}) {
            if (v != null && !v.isBlank()) {
                try {
                    return Math.max(0, Long.parseLong(v.trim()));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static void close(AutoCloseable sub) {
        try {
            sub.close();
        } catch (Exception ignored) {
            // unsubscribing cannot fail meaningfully
        }
    }
}
