package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jpackage app-image that {@code mvn verify} builds ({@code packaging/jpackage.sh --app-image-only}, in the
 * app module's pre-integration-test phase): its two launchers, JavaFX jlinked into its runtime, and its headless launcher running a consortium
 * of 3 banks, one process each, on the image's own jlinked runtime. A customer opens accounts, signs in,
 * deposits and transfers through the HTTP API; SIGTERM then stops everything. Skipped when there is no image
 * (a plain {@code mvn test}).
 */
class AppImageIT {

    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private static Path image() {
        String configured = System.getProperty("distribank.appImage");
        Path image = Path.of(configured == null ? "target/jpackage/DistriBank" : configured);
        assumeTrue(Files.isExecutable(image.resolve("bin/distribank")),
                "no app-image at " + image + ": build it with packaging/jpackage.sh --app-image-only (mvn verify does)");
        return image;
    }

    @Test
    void theImageHasTheDesktopAndTheCommandLauncherOnItsOwnRuntime() throws Exception {
        Path image = image();
        assertThat(image.resolve("bin/DistriBank")).isExecutable();
        assertThat(image.resolve("lib/runtime/bin/java")).as("kept for --processes").isExecutable();
        assertThat(image.resolve("lib/DistriBank.png")).isRegularFile();
        String desktop = Files.readString(image.resolve("lib/app/DistriBank.cfg"));
        assertThat(desktop).contains("app.mainclass=org.distribank.app.cli.DistribankCli").contains("arguments=app");
        String commands = Files.readString(image.resolve("lib/app/distribank.cfg"));
        assertThat(commands).contains("app.mainclass=org.distribank.app.cli.DistribankCli")
                .doesNotContain("arguments=app");
        List<String> modules = Files.readAllLines(image.resolve("lib/runtime/release")).stream()
                .filter(l -> l.startsWith("MODULES=")).toList();
        assertThat(modules).singleElement().asString()
                .contains("java.net.http", "java.sql", "java.desktop", "jdk.unsupported", "jdk.crypto.ec")
                .contains("javafx.base", "javafx.graphics", "javafx.controls")
                .doesNotContain("jdk.compiler", "jdk.jshell");
        // JavaFX is in the runtime as modules, not on the class path (where it warns "Unsupported JavaFX
        // configuration" at every start)
        assertThat(desktop).doesNotContainPattern("/javafx-(base|graphics|controls)-");

        assertThat(output(image.resolve("bin/distribank"), "--version")).startsWith("distribank ");
        // the desktop launcher reaches the app command (opening a window needs a display, not here)
        assertThat(output(image.resolve("bin/DistriBank"), "app", "--help")).contains("The desktop application");
    }

    /** A launcher's output; it must exit 0 within a minute. */
    private static String output(Path launcher, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theHeadlessLauncherRunsAConsortiumThatMovesMoneyAndStopsOnSigterm() throws Exception {
        Path image = image();
        int portBase = freePortBase(3);
        Path data = dir.resolve("data");
        Path log = dir.resolve("launcher.log");
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/distribank").toString(), "consortium",
                "--banks", "3", "--port-base", Integer.toString(portBase), "--data-dir", data.toString(),
                "--processes", "--bcrypt-cost", "4"));
        CHILD_JVM.forEach(j -> cmd.add("--java-option=" + j));
        Process launcher = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<ProcessHandle> children = new ArrayList<>();
        JsonObject line;
        try {
            line = ConsortiumLauncherTest.firstLine(launcher);
            ConsortiumLauncherTest.assertShape(line, 3, 1, true);
            assertThat(ConsortiumLauncherTest.url(line, "b1")).isEqualTo("http://127.0.0.1:" + (portBase + 1));
            line.getAsJsonArray("banks").forEach(b -> children.add(
                    ProcessHandle.of(b.getAsJsonObject().get("pid").getAsLong()).orElseThrow()));
            children.add(ProcessHandle.of(line.getAsJsonArray("dataServers").get(0).getAsJsonObject().get("pid")
                    .getAsLong()).orElseThrow());
            // the children run on the image's runtime too
            Path java = image.resolve("lib/runtime/bin/java").toRealPath();
            assertThat(children.get(0).info().command()).hasValueSatisfying(c -> assertThat(Path.of(c)).isEqualTo(java));

            String b1 = ConsortiumLauncherTest.url(line, "b1");
            String b2 = ConsortiumLauncherTest.url(line, "b2");
            String from = Customers.openPersonal(b1, "Carla Dias", Customers.newCpf(), "carla");
            String to = Customers.openPersonal(b2, "Davi Reis", Customers.newCpf(), "davi");
            String token = Customers.login(b1, "carla");
            Http.Response deposit = Http.post(b1 + "/api/v1/deposits", token,
                    "{\"account\":\"" + from + "\",\"amount\":50000}");
            assertThat(deposit.field("status")).as(deposit.toString()).isEqualTo("COMMITTED");
            Http.Response transfer = Http.post(b1 + "/api/v1/transfers", token, "{\"legs\":[{\"from\":{\"bank\":\"b1\","
                    + "\"account\":\"" + from + "\"},\"to\":{\"bank\":\"b2\",\"account\":\"" + to + "\"},\"amount\":12345}]}");
            assertThat(transfer.field("status")).as(transfer.toString()).isEqualTo("COMMITTED");
            assertThat(Customers.balance(b1, token, from)).isEqualTo(37_655);
            assertThat(Customers.balance(b2, Customers.login(b2, "davi"), to)).isEqualTo(12_345);
            Http.Response audit = Http.post(b1 + "/api/v1/audits", line.get("operatorToken").getAsString(), "{}");
            assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
            assertThat(audit.json().get("total").getAsLong()).isEqualTo(50_000);
        } finally {
            launcher.destroy(); // SIGTERM
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher stops on SIGTERM").isTrue();
        }
        // 143 = 128 + SIGTERM: the JVM's exit once its shutdown hook (stop the banks, then the data server) ran
        assertThat(launcher.exitValue()).isIn(0, 143);
        for (ProcessHandle child : children) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !child.isAlive());
        }
        JsonObject stopped = line;
        String stderr = Files.readString(log);
        assertThat(stderr).contains("consortium in " + data + " stopped").doesNotContain("SIGKILL");
        assertThatThrownBy(() -> Http.get(ConsortiumLauncherTest.url(stopped, "b1") + "/health", null))
                .isInstanceOf(ConnectException.class);
    }

    /** A port base P with P+1..P+banks and the data server's P+100 free on 127.0.0.1 right now. */
    private static int freePortBase(int banks) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            List<Integer> ports = new ArrayList<>();
            for (int i = 1; i <= banks; i++) {
                ports.add(base + i);
            }
            ports.add(base + 100);
            boolean free = true;
            for (int port : ports) {
                try (ServerSocket s = new ServerSocket(port, 1, loopback)) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free port base found in 100 attempts");
    }
}
