package org.distribank.consortium.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.distribank.common.NoDelaySocketFactory;
import org.distribank.common.tls.TlsContext;
import org.distribank.consortium.PeerSigner;
import org.distribank.consortium.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming links: one long-lived WebSocket per receiver ({@code GET {url}/peer/v1/link}, upgraded,
 * the upgrade request signed by this peer's {@link PeerSigner}: the connection then speaks for this
 * peer alone). Each batch is one text frame
 * (the same JSON as the HTTP body), sent without waiting for the previous one's answer; the
 * receiver answers with cumulative acks {@code {"ack":N}} once the batches are durable (one for
 * several frames when they land in the same group commit). See {@link
 * org.distribank.consortium.link.StreamLink} for the sending side's recovery.
 *
 * <p>The URL is resolved at each connect, so a peer restarted on a new port is found. Heartbeats
 * (and {@link #sendBatch}, for callers that want one request, and the view ballot's messages and fetches) stay
 * plain HTTP through {@link
 * HttpTransport}, so the failure detector does not depend on the link connection. Pings every few
 * seconds find a silently dead peer; no compression is negotiated (it costs CPU for no gain on a
 * LAN).
 */
public final class WebSocketTransport implements Transport {

    public static final String LINK_PATH = "/peer/v1/link";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

    private final OkHttpClient client;
    private final HttpTransport http;
    private final Function<String, String> urlOf;
    private final PeerSigner signer;
    private final Set<WsStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public WebSocketTransport(Function<String, String> urlOf, PeerSigner signer) {
        this(urlOf, signer, null);
    }

    /** With {@code tls}: {@code https} peers (links are then {@code wss}) as in {@link HttpTransport}. */
    public WebSocketTransport(Function<String, String> urlOf, PeerSigner signer, TlsContext tls) {
        this.urlOf = urlOf;
        this.signer = signer;
        this.http = new HttpTransport(urlOf, signer, tls);
        this.client = HttpTransport.withTls(new OkHttpClient.Builder(), tls)
                .connectTimeout(Duration.ofSeconds(1))
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .pingInterval(Duration.ofSeconds(3))
                .webSocketCloseTimeout(Duration.ofSeconds(1))
                .minWebSocketMessageToCompress(Long.MAX_VALUE)
                // do not offer permessage-deflate: the receiver would compress every ack
                .addInterceptor(chain -> chain.proceed(
                        chain.request().newBuilder().removeHeader("Sec-WebSocket-Extensions").build()))
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public Stream openStream(String to, StreamListener listener) {
        String url = urlOf.apply(to);
        WsStream s = new WsStream(to, listener);
        if (closed || url == null) {
            s.fail(closed ? "transport closed" : "no URL for peer " + to);
            return s;
        }
        Request.Builder rb;
        try {
            rb = new Request.Builder().url(url + LINK_PATH);
            signer.sign(to, "GET", LINK_PATH, new byte[0], rb::header);
        } catch (RuntimeException e) {
            s.fail("cannot open the link to " + to + ": " + e.getMessage());
            return s;
        }
        open.add(s);
        s.ws = client.newWebSocket(rb.build(), s);
        return s;
    }

    @Override
    public long sendBatch(String to, String batchJson) throws IOException {
        return http.sendBatch(to, batchJson);
    }

    @Override
    public void heartbeat(String to, String from) throws IOException {
        http.heartbeat(to, from);
    }

    /** Plain signed HTTP, as heartbeats: ballot messages are rare and need no FIFO. */
    @Override
    public void sendBallot(String to, String json) throws IOException {
        http.sendBallot(to, json);
    }

    @Override
    public String fetch(String to, String json) throws IOException {
        return http.fetch(to, json);
    }

    @Override
    public String transfer(String to, String json) throws IOException {
        return http.transfer(to, json);
    }

    @Override
    public void close() {
        closed = true;
        List.copyOf(open).forEach(WsStream::close);
        http.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** One WebSocket to one peer. */
    private final class WsStream extends WebSocketListener implements Stream {

        private final String peer;
        private final StreamListener listener;
        private final AtomicBoolean done = new AtomicBoolean();
        volatile WebSocket ws;

        WsStream(String peer, StreamListener listener) {
            this.peer = peer;
            this.listener = listener;
        }

        @Override
        public void send(String batchJson) {
            WebSocket w = ws;
            // false: closing, or more than OkHttp's 16 MiB queued: start over on a new connection
            if (w == null || !w.send(batchJson)) {
                fail("link to " + peer + " refused the frame");
                close();
            }
        }

        @Override
        public void close() {
            WebSocket w = ws;
            if (w != null) {
                w.cancel();
            }
            fail("closed by this side");
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            listener.onOpen();
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            long ack = parseAck(text);
            if (ack >= 0) {
                listener.onAck(ack);
            } else {
                LOG.debug("link to {}: unexpected frame {}", peer, text);
                webSocket.cancel();
                fail("peer " + peer + " answered " + text);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            fail("closed by " + peer + ": " + code + " " + reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            fail("closed: " + code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            fail(response != null ? "upgrade answered " + response.code() : String.valueOf(t.getMessage()));
        }

        void fail(String why) {
            if (done.compareAndSet(false, true)) {
                open.remove(this);
                listener.onClosed(why);
            }
        }
    }

    /** {@code {"ack":N}} → N; anything else → -1. */
    static long parseAck(String text) {
        String prefix = "{\"ack\":";
        if (!text.startsWith(prefix) || !text.endsWith("}")) {
            return -1;
        }
        try {
            return Long.parseLong(text, prefix.length(), text.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
