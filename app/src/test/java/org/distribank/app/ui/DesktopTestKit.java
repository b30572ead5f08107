package org.distribank.app.ui;

import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;
import org.distribank.app.desktop.DistribankDesktop;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.ui.main.MainView;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.start.StartViewModel;

/** What UI tests share: a quick launch plan (cheap bcrypt, a fast failure detector). */
public final class DesktopTestKit {

    /** bcrypt cost 4 and heartbeats every 200 ms (offline after 1.5 s), so tests see faults quickly. */
    public static final StartViewModel.LaunchPlan QUICK = (banks, dir, separate, processes) -> LaunchOptions
            .builder().banks(banks).dataDir(dir).separateDataServers(separate).processes(processes).bcryptCost(4)
            .heartbeat(200, 1_500).build();

    /** The main window's scene on {@code main}, styled as the app styles it (AtlantaFX Primer and the app's sheet). */
    public static Scene mainScene(MainViewModel main) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(new MainView(main), 1280, 800);
        scene.getStylesheets().add(Objects.requireNonNull(
                DistribankDesktop.class.getResource(DistribankDesktop.STYLESHEET)).toExternalForm());
        return scene;
    }

    /** Ends a page test class: the window's monitor, then the consortium (either may be null: a failed start). */
    public static void close(MainViewModel main, AutoCloseable consortium) throws Exception {
        if (main != null) {
            main.monitor().close();
        }
        if (consortium != null) {
            consortium.close();
        }
    }

    private DesktopTestKit() {
    }
}
