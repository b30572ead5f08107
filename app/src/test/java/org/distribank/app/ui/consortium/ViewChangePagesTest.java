package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import atlantafx.base.theme.PrimerLight;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.PeerState;
import org.distribank.app.desktop.DistribankDesktop;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.EventLog;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A view change as an operator sees it, from made-up events and polls (no consortium): b4 left out of epoch 3. The
 * overview's summary, b4's card and the refused audit say so; the diagram marks "epoch 3" across the lanes.
 */
@ExtendWith(ApplicationExtension.class)
class ViewChangePagesTest {

    private static final List<String> IDS = List.of("b1", "b2", "b3", "b4");
    private static final List<BankRef> BANKS = IDS.stream().map(b -> new BankRef(b, "Bank " + b, "http://" + b))
            .toList();
    private static final View EPOCH_3 = new View(3, List.of("b1", "b2", "b3"), IDS);

    private OverviewViewModel overview;
    private MessagesViewModel messages;

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        // the banks refuse every audit while b4 is out, naming it
        overview = new OverviewViewModel(BANKS, () -> {
            throw new BankApiException(503, "BANK_OFFLINE", "Bank b4 did not report its total for audit audit-7.");
        }, UiTasks.fx());
        messages = new MessagesViewModel(IDS, new EventLog(1_000), UiTasks.fx());
        SplitPane root = new SplitPane(new OverviewView(overview), new MessagesView(messages));
        Scene scene = new Scene(root, 1280, 800); // the headless screen's size
        scene.getStylesheets().add(Objects.requireNonNull(
                DistribankDesktop.class.getResource(DistribankDesktop.STYLESHEET)).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    private static BankStatus inView(String self, long epoch, List<String> members) {
        List<PeerState> peers = IDS.stream().map(b -> new PeerState(b, "Bank " + b, "http://" + b, true, 0)).toList();
        return new BankStatus(self, true, new ConsortiumSnapshot(self, peers, Map.of(self, 4L), List.of(), 12, "ab12",
                epoch, members, IDS), null, 0);
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @Test
    void aBankLeftOutIsShownOutOfTheViewItsAuditRefusalNamesItAndTheDiagramMarksTheEpoch(FxRobot robot) {
        Events ev = new Events(System.currentTimeMillis());
        ev.operation(IDS, "T1", true, 2);
        ev.now += 5;
        ev.view("b1", EPOCH_3);
        ev.view("b2", EPOCH_3);
        ev.view("b3", EPOCH_3);
        robot.interact(() -> {
            messages.events(List.copyOf(ev.all()));
            // b4 answers but has not heard of epoch 3
            overview.statuses(Map.of("b1", inView("b1", 3, EPOCH_3.members()), "b2", inView("b2", 3,
                    EPOCH_3.members()), "b3", inView("b3", 3, EPOCH_3.members()), "b4", inView("b4", 2, IDS)));
        });
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(text(robot, "#view-summary"))
                .isEqualTo("Epoch 3 \u00b7 ordering: b1, b2, b3 \u00b7 out: b4 \u00b7 at an older epoch: b4 (epoch 2)");
        assertThat(text(robot, "#membership-b4"))
                .isEqualTo("out of the view (epoch 3): the others order without it; it is still at epoch 2");
        assertThat(robot.lookup("#bank-card-b4").query().getStyleClass()).contains("out-of-view");
        assertThat(robot.lookup("#bank-card-b1").query().getStyleClass()).doesNotContain("out-of-view");
        assertThat(text(robot, "#state-b4")).as("b4 answers: online, yet out").isEqualTo("online");

        robot.clickOn("#audit-button");
        String refused = "Audit refused: b4 is outside the view; its total and owed legs are unknown.";
        await().atMost(Duration.ofSeconds(10)).until(() -> refused.equals(text(robot, "#audit-refused")));
        assertThat(robot.lookup("#audit-refused").query().isVisible()).isTrue();

        Label mark = robot.lookup("#view-mark-3").queryAs(Label.class);
        assertThat(mark.getText()).isEqualTo("epoch 3");
        assertThat(mark.isVisible()).isTrue();
        assertThat(text(robot, "#view-status")).isEqualTo("Epoch 3 \u00b7 ordering: b1, b2, b3 \u00b7 out: b4 (lane dimmed)");
    }
}
