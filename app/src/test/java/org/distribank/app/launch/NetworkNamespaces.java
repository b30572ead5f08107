package org.distribank.app.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts of their own for a test: one Linux network namespace per host, each with an {@code eth0} in a private
 * /24 (10.77.X.0/24, X random per run, only inside these namespaces), all plugged into a bridge in a hub
 * namespace; the test's own (root) namespace reaches them through one veth to that bridge, at 10.77.X.254.
 * Names are unique per run ({@code dbk<run>-...}); {@link #close()} deletes everything it made, even after a
 * failure half-way through {@link #create}. {@link #cut}/{@link #restore} cut a host off from the other hosts
 * and back (the test still reaches it).
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespaces.class);

    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final String hub = "dbk" + run + "-hub";
    private final String uplink = "dbk" + run;
    private final List<String> namespaces = new ArrayList<>();
    private final String ip;
    private final int subnet;
    private final int hosts;

    private NetworkNamespaces(String ip, int subnet, int hosts) {
        this.ip = ip;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /**
     * Why namespaces cannot be made here (not Linux, no {@code ip}, not permitted), or null when they can: tries
     * to add and delete one.
     */
    static String unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "network namespaces need Linux";
        }
        String ip = ipCommand();
        if (ip == null) {
            return "no `ip` command (Debian: apt-get install iproute2)";
        }
        String probe = "dbkprobe" + ThreadLocalRandom.current().nextInt(1_000_000);
        try {
            Result r = exec(List.of(ip, "netns", "add", probe));
            if (r.code != 0) {
                return "`ip netns add` is not permitted here (root and CAP_SYS_ADMIN needed): " + r.output.strip();
            }
            exec(List.of(ip, "netns", "delete", probe));
            return null;
        } catch (IOException e) {
            return "cannot run `ip`: " + e.getMessage();
        }
    }

    /** Creates the hub and {@code hosts} hosts (addresses .1 .. .hosts). */
    static NetworkNamespaces create(int hosts) throws IOException {
        String ip = ipCommand();
        if (ip == null) {
            throw new IOException("no ip command");
        }
        String used = exec(List.of(ip, "-4", "route", "show")).output;
        int subnet = -1;
        for (int attempt = 0; attempt < 100 && subnet < 0; attempt++) {
            int x = ThreadLocalRandom.current().nextInt(256);
            if (!used.contains("10.77." + x + ".")) {
                subnet = x;
            }
        }
        if (subnet < 0) {
            throw new IOException("no free 10.77.X.0/24 subnet");
        }
        NetworkNamespaces n = new NetworkNamespaces(ip, subnet, hosts);
        try {
            n.build();
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void build() throws IOException {
        addNamespace(hub);
        ip("-n", hub, "link", "set", "lo", "up");
        ip("-n", hub, "link", "add", "br0", "type", "bridge");
        ip("-n", hub, "link", "set", "br0", "up");
        for (int i = 1; i <= hosts; i++) {
            String ns = host(i);
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port(i), "netns", hub);
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", hub, "link", "set", port(i), "master", "br0");
            ip("-n", hub, "link", "set", port(i), "up");
        }
        ip("link", "add", uplink, "type", "veth", "peer", "name", "uplink", "netns", hub);
        ip("addr", "add", "10.77." + subnet + ".254/24", "dev", uplink);
        ip("link", "set", uplink, "up");
        ip("-n", hub, "link", "set", "uplink", "master", "br0");
        ip("-n", hub, "link", "set", "uplink", "up");
        LOG.info("namespaces {}-h1..h{} on 10.77.{}.0/24, hub {}, uplink {}", "dbk" + run, hosts, subnet, hub, uplink);
    }

    String host(int i) {
        return "dbk" + run + "-h" + i;
    }

    String address(int i) {
        return "10.77." + subnet + "." + i;
    }

    private static String port(int i) {
        return "port" + i;
    }

    /** The command line that runs {@code command} on host {@code i}. */
    List<String> onHost(int i, List<String> command) {
        List<String> c = new ArrayList<>(List.of(ip, "netns", "exec", host(i)));
        c.addAll(command);
        return c;
    }

    /**
     * Cuts host {@code i} off from the other hosts, both ways: on each side of every pair, a blackhole route to
     * the other's address (more specific than the /24), so no packet passes between them while the wire stays
     * plugged. The test (at .254) still reaches every host, host {@code i} included, as an operator at its
     * console would: a cut-off bank can be asked what it sees and what it refuses.
     */
    void cut(int i) throws IOException {
        for (int j = 1; j <= hosts; j++) {
            if (j != i) {
                ip("-n", host(i), "route", "add", "blackhole", address(j) + "/32");
                ip("-n", host(j), "route", "add", "blackhole", address(i) + "/32");
            }
        }
    }

    /** Undoes {@link #cut}: host {@code i} and the others reach each other again. */
    void restore(int i) throws IOException {
        for (int j = 1; j <= hosts; j++) {
            if (j != i) {
                ip("-n", host(i), "route", "del", "blackhole", address(j) + "/32");
                ip("-n", host(j), "route", "del", "blackhole", address(i) + "/32");
            }
        }
    }

    private void addNamespace(String ns) throws IOException {
        ip("netns", "add", ns);
        namespaces.add(ns);
    }

    private void ip(String... args) throws IOException {
        List<String> c = new ArrayList<>(List.of(ip));
        c.addAll(List.of(args));
        Result r = exec(c);
        if (r.code != 0) {
            throw new IOException(String.join(" ", c) + " failed (" + r.code + "): " + r.output.strip());
        }
    }

    /** Deletes the uplink and every namespace made (their veths and the bridge go with them). */
    @Override
    public void close() {
        try {
            exec(List.of(ip, "link", "del", uplink)); // usually already gone with the hub; harmless otherwise
        } catch (IOException e) {
            LOG.warn("deleting {} failed: {}", uplink, e.toString());
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            try {
                Result r = exec(List.of(ip, "netns", "delete", ns));
                if (r.code != 0) {
                    LOG.warn("ip netns delete {}: {}", ns, r.output.strip());
                }
            } catch (IOException e) {
                LOG.warn("ip netns delete {} failed: {}", ns, e.toString());
            }
        }
        namespaces.clear();
    }

    /** The namespaces this object made and has not deleted. */
    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    private record Result(int code, String output) {
    }

    private static Result exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String ipCommand() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "ip"))) {
                return Path.of(d, "ip").toString();
            }
        }
        return null;
    }
}
