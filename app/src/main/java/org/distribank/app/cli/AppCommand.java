package org.distribank.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.distribank.app.desktop.DesktopOptions;
import org.distribank.app.desktop.DistribankDesktop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distribank app} (also {@code ./distribank} alone): the desktop application. */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = "The desktop application: launch a consortium here or connect to running banks.")
public final class AppCommand implements Callable<Integer> {

    @Option(names = "--launch", paramLabel = "N",
            description = "Skip the start screen: launch (or resume) N banks (3..8) at once.")
    int launch;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory for --launch (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("distribank-data");

    @Option(names = "--dark", description = "Dark theme.")
    boolean dark;

    @Override
    public Integer call() {
        if (!hasDisplay()) {
            System.err.println("distribank: the desktop app needs a display (DISPLAY is not set). "
                    + "For a consortium without one: ./distribank consortium --banks 3");
            return 1;
        }
        if (launch != 0 && (launch < 3 || launch > 8)) {
            System.err.println("distribank: --launch takes 3 to 8 banks");
            return DistribankCli.USAGE_ERROR;
        }
        DistribankDesktop.run(DesktopOptions.builder().launchBanks(launch).dataDir(dataDir).dark(dark).build());
        return 0;
    }

    private static boolean hasDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.contains("linux")) {
            return true;
        }
        return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null
                || "Monocle".equals(System.getProperty("glass.platform"));
    }
}
