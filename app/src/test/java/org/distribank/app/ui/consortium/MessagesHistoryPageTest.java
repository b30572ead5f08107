package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainViewModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Messages page's history on a real embedded consortium of three banks: after a transfer and a bank killed,
 * the scrubber goes back to before the kill (the bank online), play shows it go offline, and a run saved to a file
 * opens again in place of the live events.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagesHistoryPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedConsortium consortium;
    private static String transferId;
    private static MainViewModel main;
    private static Scene scene;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
        CustomerClient ana = consortium.customer("b1");
        AccountView a = ana.openPersonal(new HolderForm("Ana Reis", "529.982.247-25", "ana", "s3cret-pass", null,
                null));
        AccountView b = consortium.customer("b2").openPersonal(new HolderForm("Bruno Dias", "111.444.777-35", "bruno",
                "another-pass", null, null));
        ana.signIn("ana", "s3cret-pass");
        assertThat(ana.deposit(null, a.account(), 10_000).committed()).isTrue();
        var r = ana.transfer(null, List.of(TransferLeg.toAccount(a.ref(), b.ref(), 2_500)));
        assertThat(r.committed()).as(r.toString()).isTrue();
        transferId = r.id();
    }

    @AfterAll
    static void close() throws Exception {
        DesktopTestKit.close(main, consortium);
    }

    @Start
    void start(Stage stage) {
        if (scene == null) {
            main = new MainViewModel(consortium, UiTasks.fx());
            scene = DesktopTestKit.mainScene(main);
            main.start();
        }
        stage.setScene(scene);
        stage.show();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }

    private static SpaceTime.Diagram diagram(FxRobot robot) {
        return robot.lookup("#space-time").queryAs(SpaceTimeDiagramView.class).diagram();
    }

    @Test
    @Order(1)
    void scrubbedBackBeforeAKillTheBankIsOnlineAndPlayedForwardItGoesOffline(FxRobot robot) {
        robot.clickOn("#page-messages");
        // the first connection asked for the whole history: the transfer made before the app connected is there
        await().atMost(WAIT).until(() -> diagram(robot).dots().stream().anyMatch(d -> transferId.equals(d.opId()))
                && "online".equals(text(robot, "#presence-b2")));

        long beforeKill = System.currentTimeMillis();
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > beforeKill); // a distinct millisecond
        consortium.killBank("b2"); // what the Faults page's Kill does
        await().atMost(WAIT).until(() -> text(robot, "#presence-b2").startsWith("offline"));

        Slider slider = robot.lookup("#history-slider").queryAs(Slider.class);
        robot.interact(() -> { // a drag of the thumb back to just before the kill
            slider.setValueChanging(true);
            slider.setValue(beforeKill);
            slider.setValueChanging(false);
        });
        assertThat(text(robot, "#presence-b2")).isEqualTo("online");
        assertThat(text(robot, "#clock-b2")).contains("b2:");
        assertThat(robot.lookup("#live-button").queryAs(Button.class).isDisabled()).isFalse();

        // played forward at 16x: b2 goes offline on the way; play stops at the end, still in the history
        @SuppressWarnings("unchecked")
        ComboBox<Double> speed = robot.lookup("#play-speed").queryAs(ComboBox.class);
        robot.interact(() -> speed.setValue(16.0));
        robot.clickOn("#play-button");
        await().atMost(WAIT).until(() -> text(robot, "#presence-b2").startsWith("offline"));
        assertThat(robot.lookup("#live-button").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(text(robot, "#messages-status")).startsWith("History at ");

        robot.clickOn("#live-button");
        await().atMost(WAIT).until(() -> robot.lookup("#live-button").queryAs(Button.class).isDisabled());
        assertThat(text(robot, "#messages-status")).startsWith("Live");

        // a click on the track near its start: back to early in the history
        javafx.geometry.Bounds track = slider.localToScreen(slider.getBoundsInLocal());
        robot.clickOn(new javafx.geometry.Point2D(track.getMinX() + track.getWidth() / 10, track.getCenterY()));
        await().atMost(WAIT).until(() -> text(robot, "#messages-status").startsWith("History at "));
        assertThat(slider.getValue()).isLessThan(beforeKill);
        robot.clickOn("#live-button");
        await().atMost(WAIT).until(() -> robot.lookup("#live-button").queryAs(Button.class).isDisabled());
    }

    @Test
    @Order(2)
    void aRunSavedToAFileOpensAgainInPlaceOfTheLiveEvents(FxRobot robot) throws Exception {
        robot.clickOn("#page-messages");
        Path run = dir.resolve("run.jsonl");
        MessagesView page = robot.lookup("#messages-page").queryAs(MessagesView.class);
        robot.interact(() -> page.setFilePicker((chooser, owner, save) -> run.toFile()));

        robot.clickOn("#save-run");
        await().atMost(WAIT).until(() -> text(robot, "#export-message").startsWith("Saved "));
        assertThat(Files.readString(run)).contains(transferId);

        robot.clickOn("#open-run");
        await().atMost(WAIT).until(() -> text(robot, "#source-text").startsWith("Recorded run: run.jsonl"));
        assertThat(robot.lookup("#live-button").queryAs(Button.class).isDisabled()).isFalse();
        // the recorded run at its end: its last events in the diagram, its transactions to follow, b2 offline
        int recorded = Files.readAllLines(run).size();
        assertThat(diagram(robot).dots()).hasSize(Math.min(recorded, MessagesViewModel.DEFAULT_WINDOW));
        assertThat(text(robot, "#presence-b2")).startsWith("offline");
        @SuppressWarnings("unchecked")
        ComboBox<String> follow = robot.lookup("#follow-selector").queryAs(ComboBox.class);
        assertThat(follow.getItems()).contains(transferId);
        robot.interact(() -> follow.setValue(transferId));
        // the transfer's events, followed in the recorded run: scrub to the start and play to them
        Slider slider = robot.lookup("#history-slider").queryAs(Slider.class);
        robot.interact(() -> {
            slider.setValueChanging(true);
            slider.setValue(slider.getMin());
            slider.setValueChanging(false);
        });
        await().atMost(WAIT).until(() -> text(robot, "#follow-summary").startsWith("No event of " + transferId));
        @SuppressWarnings("unchecked")
        ComboBox<Double> speed = robot.lookup("#play-speed").queryAs(ComboBox.class);
        robot.interact(() -> speed.setValue(1.0)); // real time: the transfer stays in the window a while
        robot.clickOn("#play-button");
        await().atMost(WAIT).until(() -> text(robot, "#follow-summary").contains("COMMITTED at b1, b2, b3")
                && diagram(robot).dots().stream().anyMatch(SpaceTime.Dot::highlighted));

        robot.clickOn("#live-button");
        await().atMost(WAIT).until(() -> text(robot, "#source-text").isEmpty());
    }
}
