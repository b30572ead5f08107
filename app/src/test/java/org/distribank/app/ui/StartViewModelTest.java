package org.distribank.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.RecentConsortiums;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.app.ui.start.StartViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start screen's ViewModel, without a UI. */
class StartViewModelTest {

    @TempDir
    Path dir;

    private final AtomicReference<ConsortiumConnection> connected = new AtomicReference<>();

    @AfterEach
    void close() {
        ConsortiumConnection c = connected.get();
        if (c != null) {
            c.close();
        }
    }

    private StartViewModel vm(UiTasks tasks) {
        return new StartViewModel(tasks, new RecentConsortiums(dir.resolve("recent.json")), DesktopTestKit.QUICK,
                connected::set);
    }

    @Test
    void formsAreValidOnlyWithSensibleInput() {
        StartViewModel vm = vm(UiTasks.direct());
        assertThat(vm.launchValidProperty().get()).isTrue();
        vm.banksProperty().set(2);
        assertThat(vm.launchValidProperty().get()).isFalse();
        vm.banksProperty().set(9);
        assertThat(vm.launchValidProperty().get()).isFalse();
        vm.banksProperty().set(8);
        vm.dataDirProperty().set("  ");
        assertThat(vm.launchValidProperty().get()).isFalse();

        assertThat(vm.connectValidProperty().get()).isFalse();
        vm.urlsProperty().set("http://127.0.0.1:7001\n http://127.0.0.1:7002 ");
        assertThat(vm.connectValidProperty().get()).isTrue();
        assertThat(vm.urlList()).containsExactly("http://127.0.0.1:7001", "http://127.0.0.1:7002");
        vm.urlsProperty().set("127.0.0.1:7001");
        assertThat(vm.connectValidProperty().get()).isFalse();
    }

    @Test
    void aBankThatDoesNotAnswerIsAnErrorAPersonCanRead() {
        StartViewModel vm = vm(UiTasks.direct());
        vm.urlsProperty().set("http://127.0.0.1:1");
        vm.connect();
        assertThat(connected.get()).isNull();
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.errorProperty().get()).contains("http://127.0.0.1:1");
        assertThat(vm.recent()).isEmpty();
        assertThat(vm.recentLabels()).isEmpty();
    }

    @Test
    void launchingRunsInTheBackgroundThenHandsOverTheConsortiumAndRemembersIt() {
        StartViewModel vm = vm(UiTasks.backgroundOnly());
        vm.banksProperty().set(3);
        vm.dataDirProperty().set(dir.resolve("data").toString());
        vm.separateDataServersProperty().set(true);
        vm.launch();
        assertThat(vm.busyProperty().get()).as("busy while the banks start").isTrue();
        assertThat(vm.statusProperty().get()).contains("3 banks");
        await().atMost(Duration.ofSeconds(60)).until(() -> connected.get() != null);
        assertThat(connected.get().banks()).hasSize(3);
        assertThat(vm.recent()).singleElement().satisfies(e -> {
            assertThat(e.separateDataServers()).isTrue();
            assertThat(e.banks()).isEqualTo(3);
        });

        assertThat(vm.recentLabels()).containsExactly("3 banks in " + dir.resolve("data") + ", a data server each");

        StartViewModel again = vm(UiTasks.direct());
        again.use(0); // the first line of the list, as a double-click gives it
        assertThat(again.dataDirProperty().get()).isEqualTo(dir.resolve("data").toString());
        assertThat(again.separateDataServersProperty().get()).isTrue();
        again.use(new RecentConsortiums.Entry(RecentConsortiums.Entry.Kind.REMOTE, 2, null, false, false,
                List.of("http://127.0.0.1:7001", "http://127.0.0.1:7002"), 1));
        assertThat(again.urlList()).hasSize(2);
    }
}
