package org.distribank.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.distribank.app.service.RecentConsortiums;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainView;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.distribank.app.ui.start.StartView;
import org.distribank.app.ui.start.StartViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The start screen, driven like a person: type a data directory, launch, land in the main window. */
@ExtendWith(ApplicationExtension.class)
class StartScreenTest {

    @TempDir
    Path dir;

    private final AtomicReference<MainViewModel> main = new AtomicReference<>();

    @Start
    void start(Stage stage) {
        StartViewModel vm = new StartViewModel(UiTasks.fx(), new RecentConsortiums(dir.resolve("recent.json")),
                DesktopTestKit.QUICK, c -> {
                    MainViewModel m = new MainViewModel(c, UiTasks.fx());
                    main.set(m);
                    stage.getScene().setRoot(new MainView(m));
                    m.start();
                });
        stage.setScene(new Scene(new StartView(vm), 1200, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        MainViewModel m = main.get();
        if (m != null) {
            m.close();
        }
    }

    @Test
    void launchingThreeBanksOpensTheMainWindowAndRemembersTheConsortium(FxRobot robot) {
        TextField field = robot.lookup("#launch-dir").queryAs(TextField.class);
        robot.clickOn(field).eraseText(field.getText().length()).write(dir.resolve("data").toString());
        robot.clickOn("#launch-button");

        await().atMost(Duration.ofSeconds(60)).until(() -> robot.lookup("#sidebar").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        ListView<PageEntry> sidebar = robot.lookup("#sidebar").queryAs(ListView.class);
        assertThat(sidebar.getItems()).extracting(PageEntry::title).contains("Consortium", "Customers");
        assertThat(main.get().connection().banks()).hasSize(4);
        assertThat(new RecentConsortiums(dir.resolve("recent.json")).list()).singleElement()
                .satisfies(e -> assertThat(e.dataDir()).isEqualTo(dir.resolve("data").toString()));
    }
}
