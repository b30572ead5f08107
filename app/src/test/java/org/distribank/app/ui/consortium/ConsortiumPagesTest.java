package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.desktop.DistribankDesktop;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainView;
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
 * The consortium pages driven like an operator, on a real embedded consortium of three banks
 * (launched once for the class): the overview after a cross-bank transfer, the transfer followed on
 * the Messages page, and a bank killed and restarted from the Faults page while a customer transfers.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsortiumPagesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    @TempDir
    static Path dir;

    private static EmbeddedConsortium consortium;
    private static CustomerClient maria;
    private static AccountRef mariaAccount;
    private static AccountRef joaoAccount;
    private static String transferId;

    private static MainViewModel main;
    private static Scene scene;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
        maria = consortium.customer("b1");
        AccountView m = maria.openPersonal(new HolderForm("Maria Souza", "529.982.247-25", "maria", "s3cret-pass",
                null, null));
        AccountView j = consortium.customer("b2").openPersonal(new HolderForm("Joao Lima", "111.444.777-35", "joao",
                "another-pass", null, null));
        mariaAccount = m.ref();
        joaoAccount = j.ref();
        maria.signIn("maria", "s3cret-pass");
        assertThat(maria.deposit(null, m.account(), 50_000).committed()).isTrue();
    }

    @AfterAll
    static void close() throws Exception {
        DesktopTestKit.close(main, consortium);
    }

    /** One main window for the class, as an operator keeps it open: each test goes on where the last stopped. */
    @Start
    void start(Stage stage) {
        if (scene == null) {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            main = new MainViewModel(consortium, UiTasks.fx());
            scene = new Scene(new MainView(main), 1280, 800);
            scene.getStylesheets().add(Objects.requireNonNull(
                    DistribankDesktop.class.getResource(DistribankDesktop.STYLESHEET)).toExternalForm());
            main.start();
        }
        stage.setScene(scene);
        stage.show();
    }

    private static TransactionResult transferToJoao(String id, long cents) {
        return maria.transfer(id, List.of(TransferLeg.toAccount(mariaAccount, joaoAccount, cents)));
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private static boolean hasClass(FxRobot robot, String query, String styleClass) {
        return robot.lookup(query).tryQuery().map(n -> n.getStyleClass().contains(styleClass)).orElse(false);
    }

    private static long delivered(FxRobot robot, String bank) {
        String t = text(robot, "#delivered-" + bank);
        return t == null || t.isEmpty() ? 0 : Long.parseLong(t);
    }

    /** Every card online, with at least {@code atLeast} delivered, equal counts and equal hashes ("agree"). */
    private static void everyBankOnlineAndAgreeing(FxRobot robot, long atLeast) {
        await().atMost(WAIT).until(() -> BANKS.stream().allMatch(b -> hasClass(robot, "#light-" + b, "online-light")
                && delivered(robot, b) >= atLeast && "agree".equals(text(robot, "#hash-state-" + b)))
                && BANKS.stream().map(b -> text(robot, "#hash-" + b)).distinct().count() == 1
                && BANKS.stream().map(b -> text(robot, "#delivered-" + b)).distinct().count() == 1);
    }

    @Test
    @Order(1)
    void afterACrossBankTransferTheOverviewShowsEveryBankOnlineWithEqualHashes(FxRobot robot) {
        TransactionResult r = transferToJoao(null, 12_345);
        assertThat(r.committed()).as(r.toString()).isTrue();
        transferId = r.id();

        everyBankOnlineAndAgreeing(robot, 2); // the deposit and the transfer, at least
        assertThat(text(robot, "#hash-b1")).isNotBlank();
        // epoch 0 on a quiet machine; a bank slow to start (a loaded CI host) may have been voted out and back in
        String summary = text(robot, "#view-summary");
        assertThat(summary).matches("Epoch \\d+ \u00b7 ordering: b1, b2, b3 \u00b7 every bank in the view");
        String epoch = summary.substring("Epoch ".length(), summary.indexOf(' ', "Epoch ".length()));
        assertThat(text(robot, "#membership-b3")).isEqualTo("in the view (epoch " + epoch + ")");
        // an audit after the transfer: money moved between banks, the total is still the deposit
        await().atMost(WAIT).until(() -> !robot.lookup("#audit-button").queryAs(Button.class).isDisabled());
        robot.clickOn("#audit-button");
        await().atMost(WAIT).until(() -> robot.lookup("#share-b2").tryQuery().isPresent()
                && "R$ 123,45".equals(text(robot, "#share-b2")));
        assertThat(text(robot, "#audit-total")).isEqualTo("R$ 500,00");
        assertThat(text(robot, "#share-b1")).isEqualTo("R$ 376,55");
        assertThat(text(robot, "#invariant-text")).doesNotContain("changed by");
    }

    @Test
    @Order(2)
    void theTransferCanBeFollowedOnTheMessagesPage(FxRobot robot) {
        assertThat(transferId).isNotNull();
        robot.clickOn("#page-messages");
        @SuppressWarnings("unchecked")
        ComboBox<String> follow = robot.lookup("#follow-selector").queryAs(ComboBox.class);
        await().atMost(WAIT).until(() -> follow.getItems().contains(transferId));

        robot.interact(() -> follow.setValue(transferId));

        await().atMost(WAIT).until(() -> text(robot, "#follow-summary").contains("COMMITTED at b1, b2, b3"));
        assertThat(text(robot, "#follow-summary")).startsWith("From b1:").contains("delivered at b1, b2, b3");
        ListView<?> steps = robot.lookup("#follow-steps").queryAs(ListView.class);
        assertThat(steps.getItems()).isNotEmpty().anyMatch(s -> s.toString().contains("SEND " + transferId));
    }

    @Test
    @Order(3)
    void aBankKilledFromTheFaultsPageIsShownOfflineRefusesTransfersAndComesBack(FxRobot robot) {
        robot.clickOn("#page-faults");
        robot.clickOn("#kill-b2");
        Button confirm = robot.lookup("#kill-confirmation .button").queryAllAs(Button.class).stream()
                .filter(b -> "Kill b2".equals(b.getText())).findFirst().orElseThrow();
        robot.clickOn(confirm);
        await().atMost(WAIT).until(() -> "stopped".equals(text(robot, "#bank-state-b2")));
        assertThat(robot.lookup("#restart-b2").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#kill-b2").queryAs(Button.class).isDisabled()).isTrue();

        robot.clickOn("#page-overview");
        await().atMost(WAIT).until(() -> hasClass(robot, "#light-b2", "offline-light")
                && text(robot, "#light-text-b2").contains("b1, b3 see it offline"));
        assertThat(text(robot, "#error-b2")).isEqualTo("stopped");

        assertThatThrownBy(() -> transferToJoao(null, 100)).isInstanceOfSatisfying(BankApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).contains("b2");
        });

        robot.clickOn("#page-faults");
        robot.clickOn("#restart-b2");
        await().atMost(WAIT).until(() -> text(robot, "#bank-state-b2").startsWith("running"));
        robot.clickOn("#page-overview");
        await().atMost(WAIT).until(() -> hasClass(robot, "#light-b2", "online-light"));

        long before = delivered(robot, "b1");
        String id = CustomerClient.newId();
        await().atMost(WAIT).ignoreException(BankApiException.class).until(() -> transferToJoao(id, 100).committed());
        everyBankOnlineAndAgreeing(robot, before + 1);
    }

    @Test
    @Order(4)
    void theLinkControlsCutAndRestoreALinkOrSayWhyTheyCannot(FxRobot robot) {
        robot.clickOn("#page-faults");
        await().atMost(WAIT).until(() -> !text(robot, "#link-support").startsWith("Checking"));
        assertThat(text(robot, "#link-support")).doesNotContain("404");
        robot.clickOn("#link-cut"); // b1 and b2, both ways: the form's defaults
        await().atMost(WAIT).until(() -> text(robot, "#faults-message").startsWith("Cut b1 \u2194 b2"));
        @SuppressWarnings("unchecked")
        TableView<LinkFaultsViewModel.LinkRow> table = robot.lookup("#link-table").queryAs(TableView.class);
        await().atMost(WAIT).until(() -> table.getItems().get(0).aToB().equals("CUT")
                && table.getItems().get(0).bToA().equals("CUT"));
        robot.clickOn("#link-restore");
        await().atMost(WAIT).until(() -> text(robot, "#faults-message").startsWith("Restored b1 \u2194 b2")
                && !table.getItems().get(0).faulty());
        robot.clickOn("#page-overview");
        await().atMost(WAIT).until(() -> BANKS.stream().allMatch(b -> hasClass(robot, "#light-" + b, "online-light")));
    }

    @Test
    @Order(5)
    void aTransferWaitingForASlowBankIsSeenInTheQueuesThenDecided(FxRobot robot) throws Exception {
        // b3's links crawl both ways: the transfer waits in every queue for b3's ACK
        for (String other : List.of("b1", "b2")) {
            consortium.operator("b3").orElseThrow().setLink(other, "SLOW", 3_000);
            consortium.operator(other).orElseThrow().setLink("b3", "SLOW", 3_000);
        }
        robot.clickOn("#page-queues");
        String id = CustomerClient.newId();
        java.util.concurrent.CompletableFuture<TransactionResult> pending =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> transferToJoao(id, 250));
        @SuppressWarnings("unchecked")
        TableView<QueuesViewModel.Row> b1 = robot.lookup("#queue-table-b1").queryAs(TableView.class);
        await().atMost(WAIT).until(() -> b1.getItems().stream().anyMatch(r -> r.id().equals(id)));
        QueuesViewModel.Row row = b1.getItems().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        assertThat(row.origin()).isEqualTo("b1");
        assertThat(row.clock()).contains("b1:");

        for (String other : List.of("b1", "b2")) {
            consortium.operator("b3").orElseThrow().setLink(other, "UP", 0);
            consortium.operator(other).orElseThrow().setLink("b3", "UP", 0);
        }
        pending.get(30, java.util.concurrent.TimeUnit.SECONDS); // COMMITTED, or PENDING if the bank stopped waiting
        await().atMost(WAIT).until(() -> maria.transaction(id).committed());
        await().atMost(WAIT).until(() -> b1.getItems().stream().noneMatch(r -> r.id().equals(id)));
    }
}
