package org.distribank.app.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A server of a {@link RunningConsortium}: a bank or a data server, run as a child process ({@link ProcessMember})
 * or in this JVM ({@link EmbeddedMember}).
 */
interface Member {

    /** Which server: {@code name} the bank's id or the data server's directory, its URL and its config file. */
    record Where(String name, String url, Path config) {
    }

    Where where();

    default String name() {
        return where().name();
    }

    default String url() {
        return where().url();
    }

    default Path config() {
        return where().config();
    }

    void start() throws IOException;

    /** Asks it to stop without waiting (so many stop in parallel). */
    void requestStop();

    /** Stops it and waits (bounded). */
    void stop();

    /** SIGKILL and wait for it to be gone (processes only). */
    void kill();

    /** Sends {@code SIG<signal>}, e.g. STOP or CONT (processes only). */
    void signal(String signal);

    boolean alive();

    /** Its process id while it runs as a process. */
    OptionalLong pid();

    /** Whether it asked to be restarted (a bank left past a view's cut). */
    boolean restartWanted();

    /** Where to look when it fails to start: " (see its log)", or nothing. */
    default String logHint() {
        return "";
    }
}
