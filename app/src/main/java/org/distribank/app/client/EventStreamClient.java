package org.distribank.app.client;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.transport.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one bank's protocol events ({@code GET /api/v1/events}, Server-Sent Events) on a
 * thread of its own, reconnecting after a pause while the bank is down, until {@link #close()}. The
 * first connection asks for the whole history the bank retained ({@code ?since=0}), so the app sees
 * what happened before it connected; a reconnect resumes after the last event received (the bank
 * replays what it kept since).
 * Events go to the listener on that thread; it must hand them on quickly.
 */
public final class EventStreamClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamClient.class);
    /** The bank sends a keep-alive every 15 s; a silence twice as long means the stream is dead. */
    private static final OkHttpClient STREAMING = HttpJson.client().newBuilder()
            .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ZERO).build();
    private static final long RECONNECT_MS = 1_000;

    private final OperatorClient bank;
    private final Consumer<ProtocolEvent> listener;
    private final Consumer<Boolean> connected;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Call call;
    /** The index of the last event received: a reconnect resumes after it (Last-Event-ID), with no gap. */
    private volatile long lastIndex = -1;

    /** Starts following {@code bank}'s events; {@code connected} hears each connect (true) and loss (false). */
    public EventStreamClient(OperatorClient bank, Consumer<ProtocolEvent> listener, Consumer<Boolean> connected) {
        this.bank = bank;
        this.listener = listener;
        this.connected = connected;
        this.thread = new Thread(this::run, "events-" + bank.bank());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            // first connection: everything retained; later ones: after the last event received
            String url = bank.url() + "/api/v1/events" + (lastIndex >= 0 ? "" : "?since=0");
            Request.Builder rb = new Request.Builder().url(url)
                    .header("Authorization", "Bearer " + bank.token()).header("Accept", "text/event-stream");
            if (lastIndex >= 0) {
                rb.header("Last-Event-ID", Long.toString(lastIndex));
            }
            Request req = rb.build();
            Call c = STREAMING.newCall(req);
            call = c;
            try (Response r = c.execute()) {
                if (r.isSuccessful() && r.body() != null) {
                    connected.accept(true);
                    read(r.body().source());
                } else {
                    LOG.debug("events of {}: answered {}", bank.bank(), r.code());
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("events of {}: {}", bank.bank(), e.getMessage());
            }
            if (!closed) {
                connected.accept(false);
                try {
                    TimeUnit.MILLISECONDS.sleep(RECONNECT_MS); // bounded pause before reconnecting to a bank that is down
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Reads SSE lines: {@code data:} lines accumulate, a blank line ends the event. */
    private void read(BufferedSource in) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while (!closed && (line = in.readUtf8Line()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    dispatch(data.toString());
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
    }

    private void dispatch(String json) {
        try {
            ProtocolEvent e = Json.GSON.fromJson(json, ProtocolEvent.class);
            if (e != null && e.opId() != null && e.opId().indexOf('@') > 0) {
                // a customer's operation is scoped to its requester in the order (clientId@digest): the app shows
                // and follows it by the id the customer chose, as the customer's answer and statements do
                e = e.withOpId(OperatorClient.shownId(e.opId()));
            }
            if (e != null && e.type() != null) {
                lastIndex = e.index();
                listener.accept(e);
            }
        } catch (JsonParseException ex) {
            LOG.debug("events of {}: unreadable event {}", bank.bank(), json);
        }
    }

    @Override
    public void close() {
        closed = true;
        Call c = call;
        if (c != null) {
            c.cancel();
        }
        thread.interrupt();
    }
}
