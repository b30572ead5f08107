package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainViewModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Scenarios page on a real embedded consortium: a scenario stepped through from the sidebar to its end. */
@ExtendWith(ApplicationExtension.class)
class ScenariosPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static EmbeddedConsortium consortium;
    private static MainViewModel main;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
    }

    @AfterAll
    static void close() throws Exception {
        DesktopTestKit.close(main, consortium);
    }

    @Start
    void start(Stage stage) {
        main = new MainViewModel(consortium, UiTasks.fx());
        stage.setScene(DesktopTestKit.mainScene(main));
        main.start();
        stage.show();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @Test
    void aScenarioSteppedToItsEndExplainsEachStepOnItsOwnDiagram(FxRobot robot) {
        robot.clickOn("#page-scenarios");
        ListView<?> list = robot.lookup("#scenario-list").queryAs(ListView.class);
        assertThat(list.getItems()).hasSize(4);
        robot.interact(() -> list.getSelectionModel().select(1)); // a NO vote aborts every leg
        Button step = robot.lookup("#scenario-step").queryAs(Button.class);
        await().atMost(WAIT).until(() -> !step.isDisabled());
        assertThat(text(robot, "#scenario-description")).contains("votes NO");

        List<String> explanations = new ArrayList<>();
        while (!text(robot, "#scenario-progress").endsWith("(done)")) {
            int next = explanations.size() + 1;
            robot.clickOn("#scenario-step");
            await().atMost(WAIT).until(() -> text(robot, "#scenario-progress").startsWith("Step " + next + " of")
                    || !text(robot, "#scenario-error").isEmpty());
            assertThat(text(robot, "#scenario-error")).isEmpty();
            String now = text(robot, "#scenario-explanation");
            assertThat(now).isNotBlank().isNotIn(explanations);
            explanations.add(now);
            await().atMost(WAIT).until(() -> !step.isDisabled()
                    || text(robot, "#scenario-progress").endsWith("(done)"));
        }
        assertThat(explanations).hasSize(4);
        assertThat(explanations.get(1)).contains("b2 NO ACCOUNT_NOT_FOUND");
        assertThat(explanations.get(2)).contains("ABORTED");
        assertThat(text(robot, "#scenario-frozen")).matches("\\d+ events of this scenario, frozen at step 4\\.");
        assertThat(Integer.parseInt(text(robot, "#scenario-frozen").split(" ")[0])).isGreaterThan(10);
        assertThat(step.isDisabled()).isTrue();
    }
}
