package org.distribank.app.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.distribank.bank.BankMain;
import org.distribank.common.SecureFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bank or data server as a child JVM on this app's class path, its output appended to its log: stopped with
 * SIGTERM (then SIGKILL after a bounded wait), killed with SIGKILL, paused and resumed with SIGSTOP and SIGCONT.
 */
final class ProcessMember implements Member {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessMember.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final String THROUGHPUT_GC = "-XX:+UseParallelGC";
    /** A server out of memory ends (fail-stop) rather than limp on with dead threads while its heartbeats go on. */
    static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";

    private final Where where;
    private final String mainClass;
    private final Path log;
    private final List<String> javaOptions;
    private Process process;
    private boolean paused;

    ProcessMember(String name, String url, String mainClass, Path config, Path log, List<String> javaOptions) {
        this.where = new Where(name, url, config);
        this.mainClass = mainClass;
        this.log = log;
        this.javaOptions = javaOptions;
    }

    @Override
    public Where where() {
        return where;
    }

    @Override
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        SecureFiles.createPrivateDirectories(log.getParent());
        if (!Files.exists(log)) {
            SecureFiles.createPrivateFile(log); // a server's log names accounts and customers
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(EXIT_ON_OOM);
        if (javaOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            cmd.add(THROUGHPUT_GC); // as ./distribank: less CPU per operation than G1 for this load
        }
        cmd.addAll(javaOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.add("--config");
        cmd.add(config().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        process = pb.start();
        paused = false;
        LOG.info("{} started as pid {} (log {})", name(), process.pid(), log);
    }

    @Override
    public synchronized void requestStop() {
        if (process != null && process.isAlive()) {
            if (paused) {
                sendSignal(process.pid(), "CONT");
                paused = false;
            }
            process.destroy();
        }
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        requestStop();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) ignored SIGTERM for {}; SIGKILL", name(), process.pid(), STOP_WAIT);
                process.destroyForcibly();
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on POSIX
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name() + " is not running");
        }
        sendSignal(process.pid(), signal);
        paused = "STOP".equals(signal);
    }

    private static void sendSignal(long pid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                LOG.warn("kill -{} {} failed", signal, pid);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized boolean restartWanted() {
        return process != null && !process.isAlive() && process.exitValue() == BankMain.RESTART_EXIT_CODE;
    }

    @Override
    public synchronized OptionalLong pid() {
        return process == null || !process.isAlive() ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public String logHint() {
        return " (see " + log + ")";
    }
}
