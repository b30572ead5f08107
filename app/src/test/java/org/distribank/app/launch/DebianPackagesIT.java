package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two .debs that {@code packaging/jpackage.sh} builds ({@code mvn verify}, where dpkg-deb is installed), installed
 * as an operator would (docs/DEPLOYMENT.md): {@code apt install ./distribank_<v>-<revision>_<arch>.deb} on a server, a data
 * server and a bank configured in /etc/distribank and started from their systemd units (no systemd runs here: each
 * unit's {@code ExecStart} is run as its {@code User}, with its {@code Environment} and {@code UMask}), {@code /health}
 * asked, SIGTERM as {@code systemctl stop} sends it, a reinstall (the upgrade path), purge; and the desktop package
 * beside it. Each test runs in a mount namespace of its own whose /etc, /opt, /usr and /var are overlays over the
 * machine's and whose /tmp is empty (the units' {@code PrivateTmp}), and apt runs without a network: when the
 * namespace ends the machine has no trace of the packages, the user or the data. Skipped, saying why, without root,
 * dpkg, apt-get, unshare, nsenter, setpriv or the built .debs.
 */
class DebianPackagesIT {

    private static final Logger LOG = LoggerFactory.getLogger(DebianPackagesIT.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private Process namespace;
    private final List<Process> services = new ArrayList<>();

    private static Path packages() {
        String configured = System.getProperty("distribank.packages");
        return Path.of(configured == null ? "target/jpackage" : configured).toAbsolutePath();
    }

    /** Where the namespace has its copy of the .debs (its /tmp is empty). */
    private static final String INSIDE = "/var/cache/distribank-packages";

    /** The namespace's copy of {@code deb}. */
    private static Path inside(Path deb) {
        return Path.of(INSIDE).resolve(deb.getFileName());
    }

    private static Path deb(String name) throws IOException {
        try (var files = Files.list(packages())) {
            return files.filter(f -> f.getFileName().toString().matches(name + "_[0-9.]+-[0-9]+_[a-z0-9]+\\.deb"))
                    .findFirst().orElse(null);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @BeforeEach
    void enterAThrowawayMachine() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing packages needs root");
        for (String tool : List.of("dpkg", "apt-get", "unshare", "nsenter", "setpriv")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), "no /usr/bin/" + tool + " (not Debian?)");
        }
        assumeTrue(deb("distribank") != null && deb("distribank-desktop") != null, "no .debs in " + packages()
                + ": build them with packaging/jpackage.sh (mvn verify does where dpkg-deb is installed)");
        assumeTrue(!Files.exists(Path.of("/opt/distribank")) && !installedOnTheMachine("distribank")
                && run(List.of("getent", "passwd", "distribank"), null).code != 0,
                "distribank (or its user) is installed on this machine: the test would only upgrade it");
        // The overlays are mounted by the namespace's first process before it says "ready": nothing enters it
        // before, so nothing can mount over the machine's own /etc.
        Path layers = Files.createDirectories(dir.resolve("layers"));
        String script = "set -e\n"
                + "for d in etc opt usr var; do\n"
                + "  mkdir -p \"$0/$d/upper\" \"$0/$d/work\"\n"
                + "  mount -t overlay overlay -o \"lowerdir=/$d,upperdir=$0/$d/upper,workdir=$0/$d/work\" \"/$d\"\n"
                + "done\n"
                // the .debs may be under /tmp (a clone in a temporary directory): copied into the throwaway /var
                // first, since the empty /tmp hides them
                + "mkdir -p " + INSIDE + "\n"
                + "cp \"$1\"/*.deb " + INSIDE + "/\n"
                + "mount -t tmpfs -o mode=1777 tmpfs /tmp\n"
                + "echo ready\n"
                + "exec sleep infinity\n";
        namespace = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                layers.toString(), packages().toString()).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("namespace.log").toFile()))
                .start();
        String ready = new BufferedReader(new InputStreamReader(namespace.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assumeTrue("ready".equals(ready), "cannot make a mount namespace with overlays here: "
                + Files.readString(dir.resolve("namespace.log")));
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(namespace.pid()), "ns/mnt")))
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
    }

    @AfterEach
    void leaveIt() throws Exception {
        for (Process p : services) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (namespace != null) {
            namespace.destroyForcibly();
            assertThat(namespace.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // nothing of it on the machine
            assertThat(Path.of("/opt/distribank")).doesNotExist();
            assertThat(Path.of("/usr/lib/systemd/system/distribank-peer@.service")).doesNotExist();
            assertThat(run(List.of("getent", "passwd", "distribank"), null).code).as("no distribank user").isNotZero();
            assertThat(installedOnTheMachine("distribank")).isFalse();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aServerInstallsRunsABankAndItsDataServerFromTheUnitsAndPurges() throws Exception {
        Path server = inside(deb("distribank"));
        Result install = aptGet("install", "-y", server.toString());
        assertThat(install.code).as(install.output).isZero();
        assertThat(install.output).doesNotContain("xdg-desktop-menu").contains("Setting up distribank ");
        assertThat(ns("dpkg-query", "-W", "-f=${Status}", "distribank").output).isEqualTo("install ok installed");
        // a server package: no GTK, no menu entry
        assertThat(ns("dpkg-query", "-W", "-f=${Depends}", "distribank").output).doesNotContain("gtk");
        assertThat(ns("dpkg", "-L", "distribank").output).doesNotContain("/usr/share/applications")
                .contains("/usr/lib/systemd/system/distribank-peer@.service",
                        "/usr/lib/systemd/system/distribank-data-server@.service");

        // the service user and its directories
        String user = ns("getent", "passwd", "distribank").output.strip();
        String[] pw = user.split(":");
        assertThat(Integer.parseInt(pw[2])).as(user).isLessThan(1000); // a system user
        assertThat(pw[5]).isEqualTo("/var/lib/distribank");
        assertThat(pw[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(ns("stat", "-c", "%U:%G %a", "/etc/distribank", "/var/lib/distribank").output)
                .isEqualTo("root:distribank 750\ndistribank:distribank 700\n");
        assertThat(ns("distribank", "--version").output).startsWith("distribank ");
        // the installed units as systemd reads them: no unknown or invalid setting (systemd-analyze needs no
        // running systemd; it is part of the systemd package, present on most machines that would run them)
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Result verify = ns("systemd-analyze", "verify", "distribank-data-server@ds1.service",
                    "distribank-peer@b1.service");
            assertThat(verify.code).as(verify.output).isZero();
            assertThat(verify.output).as("systemd's warnings").isBlank();
        }

        // configs as DEPLOYMENT.md says (loopback and plain HTTP here: certificates are MutualTlsTest's part)
        String dsToken = "ds-token-" + Long.toHexString(System.nanoTime());
        String operatorToken = "op-token-" + Long.toHexString(System.nanoTime());
        writeConfig("/etc/distribank/ds1.json", "{\"host\": \"127.0.0.1\", \"port\": 0, \"dataDir\":"
                + " \"/var/lib/distribank/ds1\", \"businesses\": [{\"id\": \"b1\", \"token\": \"" + dsToken + "\"}]}");
        Unit dataServerUnit = unit("distribank-data-server@.service", "ds1");
        assertThat(dataServerUnit.settings).containsEntry("NoNewPrivileges", "true")
                .containsEntry("ProtectSystem", "strict").containsEntry("ReadWritePaths", "/var/lib/distribank")
                .containsEntry("SuccessExitStatus", "143");
        Process dataServer = start(dataServerUnit, "ds1");
        JsonObject started = JsonParser.parseString(new BufferedReader(new InputStreamReader(
                dataServer.getInputStream(), StandardCharsets.UTF_8)).readLine()).getAsJsonObject();
        String dsUrl = started.getAsJsonObject("dataServer").get("url").getAsString();
        assertThat(dsUrl).startsWith("http://127.0.0.1:");

        String publicKey = JsonParser.parseString(ns("distribank", "peer", "--new-key", "/etc/distribank/b1.key")
                .output).getAsJsonObject().get("publicKey").getAsString();
        assertThat(ns("chown", "distribank:distribank", "/etc/distribank/b1.key").code).isZero();
        int bankPort = freePort();
        String bankUrl = "http://127.0.0.1:" + bankPort;
        writeConfig("/etc/distribank/b1.json", "{\"id\": \"b1\", \"name\": \"Banco Um\", \"host\": \"127.0.0.1\","
                + " \"port\": " + bankPort + ", \"dataDir\": \"/var/lib/distribank/b1\",\n \"peers\": [{\"id\": \"b1\","
                + " \"name\": \"Banco Um\", \"url\": \"" + bankUrl + "\", \"publicKey\": \"" + publicKey + "\"}],\n"
                + " \"peerKeyFile\": \"/etc/distribank/b1.key\", \"operatorToken\": \"" + operatorToken + "\",\n"
                + " \"dataServer\": {\"url\": \"" + dsUrl + "\", \"businessId\": \"b1\", \"token\": \"" + dsToken
                + "\"}, \"bcryptCost\": 4}");
        Process bank = start(unit("distribank-peer@.service", "b1"), "b1");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(
                () -> assertThat(Http.get(bankUrl + "/health", null).text()).contains("\"UP\""));
        assertThat(Http.get(dsUrl + "/health", null).status()).isEqualTo(200);
        // run as the unit's user, the data where the config says, owner-only
        for (Process p : List.of(dataServer, bank)) {
            assertThat(ns("stat", "-c", "%U", "/proc/" + p.pid()).output.strip()).isEqualTo("distribank");
        }
        assertThat(ns("stat", "-c", "%U %a", "/var/lib/distribank/ds1", "/var/lib/distribank/b1").output)
                .isEqualTo("distribank 700\ndistribank 700\n");
        // the unit's JVM option reached the JVM
        assertThat(Files.readString(dir.resolve("ds1.log")))
                .contains("Picked up JAVA_TOOL_OPTIONS: -XX:+ExitOnOutOfMemoryError");

        // systemctl stop: SIGTERM, the bank before its data server, each done within the unit's TimeoutStopSec
        for (Process p : List.of(bank, dataServer)) {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(p.exitValue()).as("0 or the unit's SuccessExitStatus").isIn(0, 143);
        }
        assertThat(Files.readString(dir.resolve("b1.log"))).doesNotContain(operatorToken, dsToken);

        // an upgrade (here to the same version): prerm upgrade, unpack, postinst configure <old version>
        Result reinstall = aptGet("install", "-y", "--reinstall", server.toString());
        assertThat(reinstall.code).as(reinstall.output).isZero();
        assertThat(ns("stat", "-c", "%U:%G %a", "/etc/distribank").output).isEqualTo("root:distribank 750\n");

        Result purge = aptGet("purge", "-y", "distribank");
        assertThat(purge.code).as(purge.output).isZero();
        assertThat(ns("dpkg-query", "-W", "-f=${Status}", "distribank").code).isNotZero();
        assertThat(ns("test", "-e", "/opt/distribank").code).isNotZero();
        assertThat(ns("test", "-e", "/usr/bin/distribank").code).isNotZero();
        assertThat(ns("test", "-e", "/usr/lib/systemd/system/distribank-peer@.service").code).isNotZero();
        // the operator's configs and the bank's data are not the package's: purge keeps them
        assertThat(ns("test", "-f", "/etc/distribank/b1.json").code).isZero();
        assertThat(ns("test", "-d", "/var/lib/distribank/b1").code).isZero();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDesktopPackageAddsOneMenuEntryAndGoesAgainLeavingTheServerPackage() throws Exception {
        assumeTrue(installedOnTheMachine("libgtk-3-0") || installedOnTheMachine("libgtk-3-0t64"),
                "libgtk-3-0 is not installed and apt may not download it here (apt-get install libgtk-3-0)");
        Result install = aptGet("install", "-y", inside(deb("distribank")).toString(),
                inside(deb("distribank-desktop")).toString());
        assertThat(install.code).as(install.output).isZero();
        assertThat(install.output).doesNotContain("xdg-desktop-menu");
        String entries = ns("sh", "-c", "grep -l '/opt/distribank' /usr/share/applications/*.desktop").output;
        assertThat(entries.strip()).isEqualTo("/usr/share/applications/distribank.desktop");
        String entry = ns("cat", "/usr/share/applications/distribank.desktop").output;
        assertThat(entry).contains("Exec=/opt/distribank/bin/DistriBank\n", "Icon=distribank\n", "Terminal=false\n");
        assertThat(ns("test", "-f", "/usr/share/icons/hicolor/256x256/apps/distribank.png").code).isZero();
        Result help = ns("/opt/distribank/bin/DistriBank", "app", "--help");
        assertThat(help.output).as("exit " + help.code).contains("The desktop application");

        Result removeDesktop = aptGet("purge", "-y", "distribank-desktop");
        assertThat(removeDesktop.code).as(removeDesktop.output).isZero();
        assertThat(ns("test", "-e", "/usr/share/applications/distribank.desktop").code).isNotZero();
        assertThat(ns("test", "-e", "/usr/share/icons/hicolor/256x256/apps/distribank.png").code).isNotZero();
        assertThat(ns("distribank", "--version").output).startsWith("distribank ");
        Result purge = aptGet("purge", "-y", "distribank");
        assertThat(purge.code).as(purge.output).isZero();
        assertThat(ns("test", "-e", "/opt/distribank").code).isNotZero();
        // nothing was written to them: purge removes the empty directories
        assertThat(ns("test", "-e", "/etc/distribank").code).isNotZero();
        assertThat(ns("test", "-e", "/var/lib/distribank").code).isNotZero();
    }

    /** A unit file installed by the package: its [Service] settings, %i replaced by the instance. */
    private record Unit(Map<String, String> settings, List<String> environment) {
        String get(String key) {
            assertThat(settings).containsKey(key);
            return settings.get(key);
        }
    }

    private Unit unit(String file, String instance) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> environment = new ArrayList<>();
        for (String line : ns("cat", "/usr/lib/systemd/system/" + file).output.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[") || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip().replace("%i", instance);
            if (key.equals("Environment")) {
                environment.add(value);
            } else {
                settings.put(key, value);
            }
        }
        return new Unit(settings, environment);
    }

    /**
     * Runs the unit's ExecStart as systemd would: as User/Group, in /, with a clean environment plus the unit's
     * Environment, under its UMask. Its stderr goes to {@code <instance>.log} here.
     */
    private Process start(Unit unit, String instance) throws IOException {
        String user = unit.get("User");
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(namespace.pid()), "-m", "--",
                "setpriv", "--reuid=" + user, "--regid=" + unit.get("Group"), "--init-groups", "--",
                "sh", "-c", "umask " + unit.get("UMask") + " && exec \"$@\"", "sh"));
        cmd.addAll(List.of(unit.get("ExecStart").split("\\s+")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File("/"))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(instance + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", "/var/lib/distribank", "USER", user, "LOGNAME", user, "LANG", "C.UTF-8"));
        for (String assignment : unit.environment) {
            int eq = assignment.indexOf('=');
            pb.environment().put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        LOG.info("{}: {}", instance, String.join(" ", cmd));
        Process p = pb.start();
        services.add(p);
        return p;
    }

    /** Writes a config as the operator would: the service user's, 0640. */
    private void writeConfig(String path, String content) throws Exception {
        Result r = ns(content, List.of("sh", "-c",
                "cat > \"$1\" && chown distribank:distribank \"$1\" && chmod 0640 \"$1\"", "sh", path));
        assertThat(r.code).as(r.output).isZero();
    }

    /** apt-get in the namespace, with no network (whatever it lacks it cannot fetch: it fails instead). */
    private Result aptGet(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "unshare", "--net",
                "apt-get", "-q"));
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        Result r = run(inNamespace(cmd), null);
        LOG.info("apt-get {}: exit {} in {} ms", String.join(" ", args), r.code, (System.nanoTime() - t0) / 1_000_000);
        return r;
    }

    /** A command in the namespace: its exit code and output (stdout and stderr). */
    private Result ns(String... cmd) throws Exception {
        return run(inNamespace(List.of(cmd)), null);
    }

    private Result ns(String stdin, List<String> cmd) throws Exception {
        return run(inNamespace(cmd), stdin);
    }

    private List<String> inNamespace(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("nsenter", "-t", Long.toString(namespace.pid()), "-m", "--"));
        all.addAll(cmd);
        return all;
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd, String stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not end within " + COMMAND_TIMEOUT + ": " + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static boolean installedOnTheMachine(String pkg) throws Exception {
        return run(List.of("dpkg-query", "-W", "-f=${Status}", pkg), null).output.equals("install ok installed");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
