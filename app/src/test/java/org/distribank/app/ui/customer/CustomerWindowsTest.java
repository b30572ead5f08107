package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.application.Application;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The customer side driven like a person, headless, on a real embedded consortium of 3 banks: the Customers page
 * opens one window per customer, the forms are typed into, and money moves across banks.
 */
@ExtendWith(ApplicationExtension.class)
class CustomerWindowsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static {
        // the robot's mouse glides in at most 200 steps of a millisecond or more each: a few are enough headless
        System.setProperty("testfx.robot.move_max_count", "8");
    }

    @TempDir
    static Path dir;
    static EmbeddedConsortium consortium;

    private CustomersView page;
    private Stage main;
    private Stage fronted;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
    }

    @AfterAll
    static void close() {
        if (consortium != null) {
            consortium.close();
        }
    }

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        // the page as the main window's sidebar builds it
        PageEntry entry = CustomerPages.all(new MainViewModel(consortium, UiTasks.fx())).get(0);
        assertThat(entry.id()).isEqualTo("customers");
        page = (CustomersView) entry.view().get();
        main = stage;
        stage.setScene(new Scene(page, 900, 600));
        stage.show();
    }

    @AfterEach
    void closeWindows(FxRobot robot) {
        robot.interact(() -> page.viewModel().closeAll());
    }

    @Test
    void accountsAreOpenedAndMoneyMovesAcrossBanksInSeveralCustomerWindows(FxRobot robot) {
        // three people's windows: Maria at b1 and at b2 (one CPF, an account at each), Joao at b3
        Stage m1 = openAccountWindow(robot, "Bank 1 (b1)");
        String a1 = openPersonal(robot, m1, "Maria Souza", "529.982.247-25", "maria", "s3cret-pass");
        Stage m2 = openAccountWindow(robot, "Bank 2 (b2)");
        String a2 = openPersonal(robot, m2, "Maria Souza", "529.982.247-25", "maria", "s3cret-pass");
        Stage j3 = openAccountWindow(robot, "Bank 3 (b3)");
        String a3 = openPersonal(robot, j3, "Joao Lima", "111.444.777-35", "joao", "another-pass");

        signIn(robot, m2, "s3cret-pass");
        signIn(robot, j3, "another-pass");
        signIn(robot, m1, "s3cret-pass");
        waitUp().until(() -> fx(robot, m1::getTitle), t -> t.equals("Maria Souza at Bank 1 · DistriBank"));
        assertThat(fx(robot, m2::getTitle)).isEqualTo("Maria Souza at Bank 2 · DistriBank");
        assertThat(fx(robot, j3::getTitle)).isEqualTo("Joao Lima at Bank 3 · DistriBank");
        assertThat(fx(robot, () -> List.of(m1.isShowing(), m2.isShowing(), j3.isShowing())))
                .containsExactly(true, true, true);
        assertThat(page.viewModel().windows()).hasSize(3);

        deposit(robot, m1, "100,00");
        deposit(robot, m2, "50");

        // Maria's b2 account is nothing at b1 until linked: in the b1 window she signs in at b2 (her b2 login, sent
        // to b2 only), b2 consents to b1 debiting up to R$ 40,00, and b1 lists it with that limit left
        assertThat(fx(robot, () -> page.viewModel().windows().get(0).state().myAccounts().size())).isEqualTo(1);
        tab(robot, m1, "tab-accounts");
        click(robot, m1, "accounts-link"); // to the "Linked & consents" tab
        choose(robot, m1, "link-bank", "Bank 2");
        type(robot, m1, "link-username", "maria");
        type(robot, m1, "link-password", "s3cret-pass");
        type(robot, m1, "link-limit", "40,00");
        assertThat(fx(robot, () -> ((TextField) node(robot, m1, "link-days")).getText())).isEqualTo("30");
        robot.type(KeyCode.ENTER); // Enter submits the form, as in the others
        waitUp().until(() -> text(robot, m1, "link-message"), t -> t != null && t.startsWith("Account " + a2
                + " at Bank 2 is linked: this bank may debit up to R$ 40,00 from it until "));
        assertThat(fx(robot, () -> ((TextField) node(robot, m1, "link-password")).getText())).isEmpty();
        waitUp().until(() -> fx(robot, () -> page.viewModel().windows().get(0).state().linkedAccounts().size()) == 1);
        click(robot, m1, "tab-accounts");
        waitUp().until(() -> cells(robot, m1, "accounts-table"), c -> c.contains(a2) && c.contains("Linked")
                && c.contains("R$ 40,00") && c.contains("Active"));

        // a transfer of two legs, from b1 and from the linked b2 account, into Joao's account at b3
        tab(robot, m1, "tab-transfer");
        choose(robot, m1, "leg-0-from", a1 + " at Bank 1");
        choose(robot, m1, "leg-0-bank", "Bank 3");
        type(robot, m1, "leg-0-account", a3);
        type(robot, m1, "leg-0-amount", "30,00");
        click(robot, m1, "transfer-add-leg");
        choose(robot, m1, "leg-1-from", a2 + " at Bank 2");
        type(robot, m1, "leg-1-account", a3); // Bank 3 comes from the leg above
        type(robot, m1, "leg-1-amount", "20,00");
        assertThat(text(robot, m1, "transfer-total")).isEqualTo("Total R$ 50,00");
        click(robot, m1, "transfer-submit");
        awaitText(robot, m1, "transfer-status", "COMMITTED");
        assertThat(text(robot, m1, "transfer-status-text")).isEqualTo("Committed: all 2 legs were applied together.");
        assertThat(text(robot, m1, "transfer-order")).startsWith("Ordered by Bank 1 at vector clock b1:");
        assertThat(styles(robot, m1, "transfer-status")).contains("status-committed");

        // the statement shows the debit, with the balance after it; the linked account's limit left dropped
        tab(robot, m1, "tab-statement");
        waitUp().until(() -> cells(robot, m1, "statement-table"), c -> c.contains("-R$ 30,00"));
        assertThat(cells(robot, m1, "statement-table")).contains("Transfer out", "R$ 70,00", "+R$ 100,00", "Deposit");
        tab(robot, m1, "tab-accounts");
        waitUp().until(() -> cells(robot, m1, "accounts-table"), c -> c.contains("R$ 20,00")
                && !c.contains("R$ 40,00"));
        // Maria's b2 window sees the debit in its statement, and the consent she gave with what is left of it
        tab(robot, m2, "tab-statement");
        click(robot, m2, "statement-refresh");
        waitUp().until(() -> cells(robot, m2, "statement-table"), c -> c.contains("-R$ 20,00")
                && c.contains("R$ 30,00"));
        tab(robot, m2, "tab-links");
        click(robot, m2, "cw-refresh"); // the header's refresh reads the consents too (the list is below the fold)
        waitUp().until(() -> cells(robot, m2, "consents-table"), c -> c.contains(a2) && c.contains("Bank 1")
                && c.contains("R$ 40,00") && c.contains("R$ 20,00") && c.contains("Active"));

        // Joao sees both credits at b3
        click(robot, j3, "cw-refresh");
        waitUp().until(() -> cells(robot, j3, "accounts-table"), c -> c.contains("R$ 50,00"));

        // the same two legs with the second beyond what the consent has left: b2 votes no, leg 2 highlighted
        tab(robot, m1, "tab-transfer");
        replace(robot, m1, "leg-0-amount", "10");
        replace(robot, m1, "leg-1-amount", "25");
        click(robot, m1, "transfer-submit");
        awaitText(robot, m1, "transfer-status", "ABORTED");
        assertThat(text(robot, m1, "transfer-status-text")).isEqualTo("Aborted, nothing was moved. Paying R$ 25,00 "
                + "from account " + a2 + " at Bank 2 goes beyond what is left of its consent's limit (leg 2).");
        assertThat(styles(robot, m1, "transfer-status")).contains("status-aborted");
        assertThat(fx(robot, () -> node(robot, m1, "leg-1-failed").isVisible())).isTrue();
        assertThat(fx(robot, () -> node(robot, m1, "leg-1-row").getPseudoClassStates()))
                .contains(PseudoClass.getPseudoClass("failed"));
        assertThat(fx(robot, () -> node(robot, m1, "leg-0-failed").isVisible())).isFalse();
        tab(robot, m1, "tab-accounts");
        waitUp().until(() -> cells(robot, m1, "accounts-table"), c -> c.contains("R$ 70,00")
                && c.contains("R$ 20,00"));
        assertThat(fx(robot, () -> page.viewModel().windows().get(0).state().accounts().stream()
                .map(AccountRow::remainingText).toList())).containsExactly("", "R$ 20,00");
        click(robot, m2, "cw-refresh");
        waitUp().until(() -> fx(robot, () -> page.viewModel().windows().get(1).state().accounts().get(0).balance()),
                b -> b == 3_000L);
        click(robot, j3, "cw-refresh");
        waitUp().until(() -> cells(robot, j3, "accounts-table"), c -> c.contains("R$ 50,00"));

        // signing out in one window leaves the others signed in
        click(robot, m2, "cw-sign-out");
        waitUp().until(() -> fx(robot, m2::getTitle), t -> t.startsWith("Customer at Bank 2 (signed out)"));
        assertThat(fx(robot, j3::getTitle)).isEqualTo("Joao Lima at Bank 3 · DistriBank");
    }

    @Test
    void formsMarkWhatToFixEnterSubmitsAndAWrongPasswordIsRefused(FxRobot robot) {
        Stage w = openAccountWindow(robot, "Bank 2 (b2)");
        type(robot, w, "holder-0-name", "Ana Costa");
        type(robot, w, "holder-0-cpf", "529.982.247-26");
        type(robot, w, "holder-0-username", "ana");
        type(robot, w, "holder-0-password", "short");
        click(robot, w, "holder-0-email");
        assertThat(text(robot, w, "holder-0-cpf-error")).isEqualTo("This CPF's check digits do not match: check the "
                + "number.");
        assertThat(text(robot, w, "holder-0-password-error")).contains("at least 8 characters");
        assertThat(fx(robot, () -> node(robot, w, "holder-0-cpf").getPseudoClassStates()))
                .contains(PseudoClass.getPseudoClass("danger"));
        assertThat(fx(robot, () -> node(robot, w, "open-submit").isDisabled())).isTrue();
        robot.type(KeyCode.ENTER); // nothing is sent while the form is wrong
        assertThat(text(robot, w, "cw-notice")).isEmpty();

        replace(robot, w, "holder-0-cpf", "390.533.447-05");
        replace(robot, w, "holder-0-password", "ana-password");
        assertThat(fx(robot, () -> node(robot, w, "holder-0-cpf-error").isVisible())).isFalse();
        assertThat(fx(robot, () -> node(robot, w, "open-submit").isDisabled())).isFalse();
        robot.type(KeyCode.ENTER); // Enter submits
        waitUp().until(() -> text(robot, w, "cw-notice"), n -> n.matches("Personal account \\d+ opened at Bank 2\\."));

        // back on the sign-in tab with the username filled in: a wrong password reads like an unknown user
        assertThat(fx(robot, () -> ((TextField) node(robot, w, "sign-in-username")).getText())).isEqualTo("ana");
        type(robot, w, "sign-in-password", "not-her-password");
        robot.type(KeyCode.ENTER);
        awaitText(robot, w, "sign-in-error", SignInViewModel.BAD_CREDENTIALS);
    }

    // ---- driving the windows

    /** Picks {@code bank} on the Customers page and opens a customer window on its account form. */
    private Stage openAccountWindow(FxRobot robot, String bank) {
        int before = fx(robot, () -> page.viewModel().windows().size());
        choose(robot, main, "customers-bank", bank);
        click(robot, main, "customers-open-account");
        waitUp().until(() -> fx(robot, () -> page.viewModel().windows().size() > before));
        return fx(robot, () -> page.stageOf(page.viewModel().windows().get(before)));
    }

    /** Types a PERSONAL account's form and opens it: its number. */
    private String openPersonal(FxRobot robot, Stage w, String name, String cpf, String user, String password) {
        type(robot, w, "holder-0-name", name);
        type(robot, w, "holder-0-cpf", cpf);
        type(robot, w, "holder-0-username", user);
        type(robot, w, "holder-0-password", password);
        click(robot, w, "open-submit");
        Pattern opened = Pattern.compile("Personal account (\\d+) opened at .*");
        waitUp().until(() -> text(robot, w, "cw-notice"), n -> opened.matcher(n).matches());
        Matcher m = opened.matcher(text(robot, w, "cw-notice"));
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    private void signIn(FxRobot robot, Stage w, String password) {
        type(robot, w, "sign-in-password", password);
        click(robot, w, "sign-in-button");
        waitUp().until(() -> fx(robot, () -> node(robot, w, "tab-accounts") != null
                && node(robot, w, "accounts-table") != null && !((TableView<?>) node(robot, w, "accounts-table"))
                .getItems().isEmpty()));
    }

    private void deposit(FxRobot robot, Stage w, String amount) {
        tab(robot, w, "tab-cash");
        type(robot, w, "cash-amount", amount);
        click(robot, w, "cash-submit");
        awaitText(robot, w, "cash-status", "COMMITTED");
    }

    private void tab(FxRobot robot, Stage w, String id) {
        click(robot, w, id);
    }

    private void click(FxRobot robot, Stage w, String id) {
        front(robot, w);
        robot.clickOn(node(robot, w, id));
    }

    /** Brings {@code w} to the front (windows overlap: the robot's clicks go to the topmost). */
    private void front(FxRobot robot, Stage w) {
        if (fronted != w) {
            robot.interact(w::toFront);
            fronted = w;
        }
    }

    private void type(FxRobot robot, Stage w, String id, String text) {
        click(robot, w, id);
        robot.write(text, 0);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void replace(FxRobot robot, Stage w, String id, String text) {
        click(robot, w, id);
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write(text, 0);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Opens a choice box and clicks the item whose text starts with {@code item}. */
    private void choose(FxRobot robot, Stage w, String id, String item) {
        click(robot, w, id);
        AtomicReference<Node> cell = new AtomicReference<>();
        waitUp().until(() -> {
            cell.set(fx(robot, () -> robot.lookup(".combo-box-popup .list-cell").queryAll().stream()
                    .filter(n -> n.isVisible() && n instanceof Labeled l && l.getText() != null
                            && l.getText().startsWith(item)).findFirst().orElse(null)));
            return cell.get() != null;
        });
        robot.clickOn(cell.get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Bounded, and quick to notice. */
    private static ConditionFactory waitUp() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    private static Node node(FxRobot robot, Stage w, String id) {
        return robot.from(w.getScene().getRoot()).lookup("#" + id).tryQuery().orElse(null);
    }

    private String text(FxRobot robot, Stage w, String id) {
        return fx(robot, () -> {
            Node n = node(robot, w, id);
            return n instanceof Labeled l ? l.getText() : n instanceof TextField t ? t.getText() : null;
        });
    }

    private List<String> styles(FxRobot robot, Stage w, String id) {
        return fx(robot, () -> List.copyOf(node(robot, w, id).getStyleClass()));
    }

    private void awaitText(FxRobot robot, Stage w, String id, String expected) {
        waitUp().until(() -> text(robot, w, id), t -> expected.equals(t));
    }

    /** The texts of a table's visible cells. */
    private List<String> cells(FxRobot robot, Stage w, String tableId) {
        return fx(robot, () -> robot.from(node(robot, w, tableId)).lookup(".table-cell").queryAll().stream()
                .filter(n -> n instanceof Labeled l && l.getText() != null).map(n -> ((Labeled) n).getText()).toList());
    }

    private static <T> T fx(FxRobot robot, Callable<T> c) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(c));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }
}
