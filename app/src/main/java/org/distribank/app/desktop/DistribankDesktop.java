package org.distribank.app.desktop;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.distribank.app.launch.LaunchOptions;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.RecentConsortiums;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainView;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.start.StartView;
import org.distribank.app.ui.start.StartViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaFX application: the start screen, then the main window of the chosen consortium. Closing
 * the window stops a consortium the app launched (in the background, then the app exits).
 */
public final class DistribankDesktop extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(DistribankDesktop.class);
    private static final AtomicReference<DesktopOptions> OPTIONS = new AtomicReference<>(DesktopOptions.startScreen());

    public static final String STYLESHEET = "/org/distribank/assets/styles/distribank.css";

    private MainViewModel main;

    /** Launches the app and blocks until it exits. */
    public static void run(DesktopOptions options) {
        OPTIONS.set(options);
        Application.launch(DistribankDesktop.class);
    }

    @Override
    public void start(Stage stage) {
        DesktopOptions o = OPTIONS.get();
        Application.setUserAgentStylesheet(o.dark() ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        RecentConsortiums recent = o.recentFile() == null ? RecentConsortiums.inUserHome()
                : new RecentConsortiums(o.recentFile());
        StartViewModel start = new StartViewModel(UiTasks.fx(), recent, StartViewModel.LaunchPlan.DEFAULT,
                c -> showMain(stage, c));
        Scene scene = new Scene(new StartView(start), 1280, 800);
        scene.getStylesheets().add(stylesheet());
        stage.setScene(scene);
        stage.setTitle("DistriBank");
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        icon().ifPresent(stage.getIcons()::add);
        stage.setOnCloseRequest(e -> {
            e.consume();
            shutdown(stage);
        });
        stage.show();
        if (o.launchBanks() > 0) {
            start.banksProperty().set(Math.max(StartViewModel.MIN_BANKS, o.launchBanks()));
            if (o.dataDir() != null) {
                start.dataDirProperty().set(o.dataDir().toString());
            }
            start.launch();
        }
    }

    static String stylesheet() {
        return Objects.requireNonNull(DistribankDesktop.class.getResource(STYLESHEET), STYLESHEET).toExternalForm();
    }

    static java.util.Optional<Image> icon() {
        InputStream in = DistribankDesktop.class.getResourceAsStream("/org/distribank/assets/icons/distribank.png");
        return in == null ? java.util.Optional.empty() : java.util.Optional.of(new Image(in));
    }

    private void showMain(Stage stage, ConsortiumConnection c) {
        main = new MainViewModel(c, UiTasks.fx());
        stage.getScene().setRoot(new MainView(main));
        stage.titleProperty().bind(main.titleProperty());
        main.start();
    }

    /** Hides the window at once, stops what the app launched off the UI thread, then exits. */
    private void shutdown(Stage stage) {
        stage.hide();
        MainViewModel m = main;
        Thread t = new Thread(() -> {
            if (m != null) {
                try {
                    m.close();
                } catch (RuntimeException e) {
                    LOG.warn("stopping the consortium failed: {}", e.toString());
                }
            }
            Platform.exit();
        }, "shutdown");
        t.start();
    }

    /** The default data directory of the app (the same as {@code ./distribank consortium}). */
    public static java.nio.file.Path defaultDataDir() {
        return LaunchOptions.DEFAULT_DATA_DIR;
    }
}
