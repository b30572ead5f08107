package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankOptions;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.dataserver.DataServerOptions;
import org.distribank.dataserver.config.DataServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files that no engine runs here: the server package's maintainer scripts and systemd units,
 * packaging/docker's config files load with the real
 * {@link BankConfig} / {@link DataServerConfig} and fit together (one consortium, each bank's data-server token
 * is one its data server accepts, compose mounts every file), and packaging/nginx/distribank.conf passes
 * {@code nginx -t} (where nginx is installed; skipped otherwise).
 */
class PackagingFilesTest {

    private static final Path PACKAGING = Path.of("..", "packaging").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A JVM out of memory must end, not limp on with dead threads while its heartbeats say it is online. */
    @Test
    void everyLaunchPathEndsTheJvmOnOutOfMemory() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(Files.readString(root.resolve("distribank")))
                .contains("exec java -XX:+ExitOnOutOfMemoryError ");
        assertThat(Files.readString(root.resolve("packaging/docker/distribank.sh")))
                .contains("exec java -XX:+ExitOnOutOfMemoryError ");
        assertThat(Files.readString(root.resolve("packaging/jpackage.sh")))
                .contains("--java-options -XX:+ExitOnOutOfMemoryError");
        for (String unit : List.of("distribank-peer@.service", "distribank-data-server@.service")) {
            assertThat(Files.readString(PACKAGING.resolve("deb/distribank/" + unit)))
                    .contains("-XX:+ExitOnOutOfMemoryError");
        }
    }

    /**
     * The server package's maintainer scripts never fail for want of a desktop or a running systemd (issue 17:
     * jpackage's called xdg-desktop-menu and left the package half-configured), and its units run hardened.
     * DebianPackagesIT installs the packages themselves.
     */
    @Test
    void theServerPackageNeedsNoDesktopAndItsUnitsAreHardened() throws Exception {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path f = PACKAGING.resolve("deb/distribank/" + script);
            assertThat(f).isExecutable();
            String text = Files.readString(f);
            assertThat(text).startsWith("#!/bin/sh\n").doesNotContain("xdg-");
            Result syntax = run(List.of("sh", "-n", f.toString()));
            assertThat(syntax.code).as(syntax.output).isZero();
            assertThat(text.lines().filter(l -> l.contains("systemctl ")))
                    .as("systemctl may fail (no systemd running) without failing the script")
                    .allSatisfy(l -> assertThat(l).endsWith(" || true"));
        }
        for (String unit : List.of("distribank-peer@.service", "distribank-data-server@.service")) {
            assertThat(Files.readString(PACKAGING.resolve("deb/distribank/" + unit))).contains("User=distribank\n",
                    "--config /etc/distribank/%i.json\n", "NoNewPrivileges=true\n", "ProtectSystem=strict\n",
                    "ReadWritePaths=/var/lib/distribank\n", "PrivateTmp=true\n",
                    "Environment=JAVA_TOOL_OPTIONS=-XX:+ExitOnOutOfMemoryError\n", "SuccessExitStatus=143\n");
        }
        assertThat(Files.readString(PACKAGING.resolve("deb/distribank-desktop/distribank.desktop")))
                .contains("Exec=/opt/distribank/bin/DistriBank\n", "Terminal=false\n");
    }

    @Test
    void theComposeConfigsDescribeOneConsortiumOfFourBanks() throws IOException {
        Path config = PACKAGING.resolve("docker/config");
        List<BankOptions> banks = new ArrayList<>();
        Set<Path> tlsFiles = new HashSet<>();
        for (int i = 1; i <= 4; i++) {
            BankOptions b = BankConfig.load(config.resolve("b" + i + ".json"));
            DataServerOptions ds = DataServerConfig.load(config.resolve("ds" + i + ".json"));
            assertThat(b.id()).isEqualTo("b" + i);
            assertThat(b.host()).as("binds its own service name").isEqualTo("b" + i);
            assertThat(b.dataDir()).isEqualTo(Path.of("/var/lib/distribank/bank-log"));
            assertThat(b.dataServer().url()).isEqualTo("https://ds" + i + ":" + ds.port());
            assertThat(ds.host()).isEqualTo("ds" + i);
            assertThat(ds.dataDir()).isEqualTo(Path.of("/var/lib/distribank/data-server"));
            assertThat(ds.tokens()).containsEntry(b.dataServer().businessId(), b.dataServer().token());
            assertThat(b.peers().stream().filter(p -> p.id().equals(b.id())).map(PeerInfo::url))
                    .containsExactly("https://" + b.host() + ":" + b.port());
            // mutual TLS: each server's own certificate from the consortium CA, mounted by compose
            assertThat(b.tls().certificate()).isEqualTo(Path.of("/etc/distribank/tls/b" + i + ".crt"));
            assertThat(ds.tls().certificate()).isEqualTo(Path.of("/etc/distribank/tls/ds" + i + ".crt"));
            for (var t : List.of(b.tls(), ds.tls())) {
                tlsFiles.addAll(List.of(t.certificate(), t.key(), t.trustedCa()));
            }
            banks.add(b);
        }
        for (BankOptions b : banks) {
            assertThat(b.peers()).isEqualTo(banks.get(0).peers()); // one consortium, every bank's public key
        }
        // no secret shared by two banks (BankConfig.load checked each peer key against its listed public key)
        assertThat(banks.stream().map(BankOptions::peerKey).distinct()).hasSize(4);
        assertThat(banks.stream().map(BankOptions::operatorToken).distinct()).hasSize(4);
        assertThat(banks.stream().map(b -> b.dataServer().token()).distinct()).hasSize(4);

        String compose = Files.readString(PACKAGING.resolve("docker/compose.yaml"));
        Set<String> mounted = new HashSet<>();
        Matcher m = Pattern.compile("\\./config/([a-z0-9]+\\.json):/etc/distribank/").matcher(compose);
        while (m.find()) {
            mounted.add(m.group(1));
        }
        for (Path f : tlsFiles) {
            assertThat(compose).as("compose mounts " + f).contains("./tls/" + f.getFileName() + ":" + f + ":ro");
        }
        try (var files = Files.list(config)) {
            assertThat(mounted).containsExactlyInAnyOrderElementsOf(
                    files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void theNginxExamplePassesNginxT() throws Exception {
        String nginx = onPath("nginx");
        String openssl = onPath("openssl");
        assumeTrue(nginx != null && openssl != null, "nginx and openssl are not installed (optional check;"
                + " Debian: apt-get install nginx-light openssl)");
        // a throwaway certificate where the example expects one, and an nginx.conf around the example
        Path certs = Files.createDirectories(dir.resolve("certs"));
        run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                "/CN=bank1.example.com", "-keyout", certs.resolve("privkey.pem").toString(), "-out",
                certs.resolve("fullchain.pem").toString()));
        // stands in for the consortium CA that the banks' certificates are checked against
        Files.copy(certs.resolve("fullchain.pem"), certs.resolve("consortium-ca.crt"));
        String example = Files.readString(PACKAGING.resolve("nginx/distribank.conf"))
                .replace("/etc/ssl/distribank/", certs + "/")
                .replace("/var/log/nginx/", dir + "/");
        Files.writeString(dir.resolve("distribank.conf"), example);
        Files.writeString(dir.resolve("nginx.conf"), "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + ";\n"
                + "events {}\n"
                + "http {\n  access_log off;\n  include " + dir.resolve("distribank.conf") + ";\n}\n");
        Result t = run(List.of(nginx, "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
        assertThat(t.code).as(t.output).isZero();
        assertThat(t.output).contains("syntax is ok").contains("test is successful");
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String onPath(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return null;
    }
}
