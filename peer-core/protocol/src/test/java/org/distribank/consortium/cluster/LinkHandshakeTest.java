package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.sample.CounterStateMachine;
import org.distribank.consortium.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming link whose WebSocket upgrade is never answered. A peer stopped while it was accepting a link
 * (a bank restarted right after its neighbour: the neighbour's new link reaches it mid-shutdown) can leave
 * that connection up and silent; the link then waited for the transport's read timeout (10 s) before it
 * tried again, resending into the unopened stream meanwhile, and nothing it sent was decided until then.
 * The link must give up on the handshake and reach the restarted peer well before that.
 */
class LinkHandshakeTest {

    @TempDir
    Path dir;

    @Test
    void aLinkWhoseUpgradeIsNeverAnsweredReconnectsToTheRestartedPeerWithinSeconds() throws Exception {
        try (SilentServer silent = new SilentServer();
             TestCluster c = new TestCluster(2, dir, null).withOfflineAfter(60_000).start()) {
            assertThat(c.node("b1").submit("before", CounterStateMachine.payload("x", 1)).get(10, TimeUnit.SECONDS)
                    .committed()).isTrue();

            // b2 goes away; where it was, connections are taken and never answered (what the stopping peer did)
            c.stop("b2");
            c.address("b2", silent.url());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> silent.linkUpgrades() > 0); // b1's link reopened into it: its handshake hangs
            c.restart("b2"); // back, at a new address

            CompletableFuture<Outcome> after = c.node("b1").submit("after", CounterStateMachine.payload("x", 1));
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(after::isDone);
            assertThat(after.get().committed()).isTrue();
            c.awaitDelivered(2, Duration.ofSeconds(3));
        }
    }

    /** Takes connections, reads the request head, and never answers. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final List<String> requestLines = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::acceptLoop, "silent-server");
            accept.setDaemon(true);
            accept.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        long linkUpgrades() {
            return requestLines.stream().filter(l -> l.startsWith("GET " + WebSocketTransport.LINK_PATH)).count();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    held.add(s);
                    Thread reader = new Thread(() -> readHead(s), "silent-connection");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void readHead(Socket s) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String first = in.readLine();
                if (first != null) {
                    requestLines.add(first);
                }
                while (in.read() >= 0) {
                    // swallow the rest; answer nothing
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
