package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.service.ConsortiumMonitor;
import org.distribank.app.service.EmbeddedConsortium;
import org.distribank.app.ui.DesktopTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults page's Retire on a consortium launched here (three real banks, views on, as the app launches them):
 * refused while the bank holds a customer's money, done once the customer took it out; the overview then shows the
 * bank retired and the other two in a view of their own, and the bank is stopped.
 */
class RetireFromFaultsPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aBankRetiresOnlyOnceItIsEmpty() throws Exception {
        try (EmbeddedConsortium consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3,
                dir.resolve("data"), false, false));
             FakeUiThread ui = new FakeUiThread();
             ConsortiumMonitor monitor = new ConsortiumMonitor(consortium, 200, 5_000)) {
            LiveFeed feed = LiveFeed.attach(monitor, ui.tasks());
            OverviewViewModel overview = ui.get(() -> {
                OverviewViewModel o = new OverviewViewModel(consortium.banks(), monitor::audit, ui.tasks());
                feed.addSink(o);
                return o;
            });
            FaultLog log = new FaultLog();
            BankLifecycleViewModel faults = ui.get(() -> new BankLifecycleViewModel(consortium.banks(), consortium, log,
                    ui.tasks()));
            monitor.start();
            CustomerClient joana = consortium.customer("b3");
            AccountView a = joana.openPersonal(new HolderForm("Joana Prado", "111.444.777-35", "joana",
                    "s3cret-pass", null, null));
            joana.signIn("joana", "s3cret-pass");
            assertThat(joana.deposit(null, a.account(), 2_500).committed()).isTrue();

            ui.run(() -> faults.retire("b3"));
            await().atMost(WAIT).until(() -> ui.get(() -> !log.lastErrorProperty().get().isEmpty()));
            assertThat(ui.get(() -> log.lastErrorProperty().get())).startsWith("Could not retire b3")
                    .contains("cannot retire");
            assertThat(ui.get(() -> faults.bank("b3").running())).isTrue();

            assertThat(joana.withdraw(null, a.account(), 2_500).committed()).isTrue();
            ui.run(() -> faults.retire("b3"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(ui.get(() -> log.lastMessageProperty().get()))
                    .as(ui.get(() -> log.lastErrorProperty().get())).startsWith("Retired b3"));
            await().atMost(WAIT).until(() -> ui.get(() -> overview.card("b3").membership()
                    == BankCard.Membership.RETIRED && overview.card("b1").membership() == BankCard.Membership.MEMBER));
            assertThat(consortium.bankRunning("b3")).as("a bank launched here is stopped once retired").isFalse();
        }
    }
}
