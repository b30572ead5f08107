package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distribank.dataserver.TestServers.B1;
import static org.distribank.dataserver.TestServers.TOKEN_B1;
import static org.distribank.dataserver.TestServers.TOKEN_B2;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as a child JVM, killed with SIGKILL in the middle of acknowledged writes, then restarted. */
class CrashRecoveryTest {

    private static final Pattern URL = Pattern.compile("DataServer listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private record Acked(String account, String operationId, long balance) {
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path config = dir.resolve("ds.json");
        Files.writeString(config, "{\"port\":0,\"dataDir\":\"data\",\"lockLeaseMs\":5000,\"businesses\":["
                + "{\"id\":\"b1\",\"token\":\"" + TOKEN_B1 + "\"},{\"id\":\"b2\",\"token\":\"" + TOKEN_B2 + "\"}]}");
        String url = startChild(config, "first");
        Client b1 = new Client(url, TOKEN_B1);
        for (int w = 0; w < WRITERS; w++) {
            b1.openAccount(B1, "acc-" + w, String.format("%011d", w + 1));
        }

        ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            String account = "acc-" + w;
            pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String op = account + "-op-" + i;
                    try {
                        Client.Response r = b1.setBalance(B1, account, 1, op);
                        if (r.status() == 200) {
                            acked.add(new Acked(account, op, r.json().get("balance").getAsLong()));
                            count.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        return; // the server died under us: that write was never acknowledged
                    }
                }
            });
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= 1_500);
        children.get(0).destroyForcibly(); // SIGKILL on Linux, with writes in flight
        assertThat(children.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        String url2 = startChild(config, "second");
        Client after = new Client(url2, TOKEN_B1);
        for (int w = 0; w < WRITERS; w++) {
            String account = "acc-" + w;
            long ackedHere = acked.stream().filter(a -> a.account().equals(account)).count();
            long balance = after.balance(B1, account);
            // Every acknowledged +1 is there; at most the one in-flight write per writer may also be.
            assertThat(balance).as(() -> account + "; the servers said:\n" + logs()).isBetween(ackedHere, ackedHere + 1);
        }
        // Each acknowledged operation is recorded: retrying it returns the same balance and changes nothing.
        List<Acked> sample = new ArrayList<>(acked).subList(Math.max(0, acked.size() - 200), acked.size());
        for (Acked a : sample) {
            Client.Response r = after.setBalance(B1, a.account(), 1, a.operationId());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("balance").getAsLong()).isEqualTo(a.balance());
        }

        // A clean stop on SIGTERM: the shutdown hook closes the server and the JVM exits.
        Process second = children.get(1);
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("second.log"), StandardCharsets.UTF_8)).contains("stopped");
    }

    /** Both children's output, for a failure's message (what was replayed, what was refused). */
    private String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("first", "second")) {
            try {
                out.append("--- ").append(name).append(".log\n")
                        .append(Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append(e).append('\n');
            }
        }
        return out.toString();
    }

    private String startChild(Path config, String name) throws IOException {
        File log = dir.resolve(name + ".log").toFile();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataServerMain.class.getName(),
                "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        children.add(p);
        String[] url = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(p.isAlive()).as("child JVM exited early: %s", Files.readString(log.toPath())).isTrue();
            Matcher m = URL.matcher(Files.readString(log.toPath(), StandardCharsets.UTF_8));
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            return false;
        });
        return url[0];
    }
}
