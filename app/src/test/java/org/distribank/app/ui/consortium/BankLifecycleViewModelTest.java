package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distribank.app.service.BankLifecycle;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.BankStatus;
import org.distribank.app.ui.common.UiTasks;
import org.junit.jupiter.api.Test;

/** The faults page's bank controls against a fake {@link BankLifecycle}: what a bank shows, and what is told. */
class BankLifecycleViewModelTest {

    private static final List<BankRef> BANKS = List.of(new BankRef("b1", "Bank One", "http://127.0.0.1:1"),
            new BankRef("b2", "Bank Two", "http://127.0.0.1:2"));

    /** Records what it was asked; {@code failing}: the next call throws that. */
    private static final class FakeLifecycle implements BankLifecycle {
        final boolean controls;
        final List<String> calls = new ArrayList<>();
        RuntimeException failing;

        FakeLifecycle(boolean controls) {
            this.controls = controls;
        }

        @Override
        public boolean controlsBanks() {
            return controls;
        }

        @Override
        public void killBank(String id) {
            call("kill " + id);
        }

        @Override
        public void restartBank(String id) {
            call("restart " + id);
        }

        @Override
        public void retireBank(String id) {
            call("retire " + id);
        }

        private void call(String what) {
            calls.add(what);
            if (failing != null) {
                throw failing;
            }
        }
    }

    private final FaultLog log = new FaultLog();

    private BankLifecycleViewModel vm(FakeLifecycle lifecycle) {
        return new BankLifecycleViewModel(BANKS, lifecycle, log, UiTasks.direct());
    }

    @Test
    void killingAndRestartingABankShowsItStoppedThenRunning() {
        FakeLifecycle banks = new FakeLifecycle(true);
        BankLifecycleViewModel vm = vm(banks);
        assertThat(vm.banks()).extracting(BankLifecycleViewModel.BankControl::name)
                .containsExactly("Bank One", "Bank Two");
        assertThat(vm.controlsExplanation()).isEmpty();

        vm.kill("b2");
        assertThat(banks.calls).containsExactly("kill b2");
        assertThat(vm.bank("b2").running()).isFalse();
        assertThat(vm.bank("b2").stateTextProperty().get()).isEqualTo("stopped");
        assertThat(log.lastMessageProperty().get()).startsWith("Stopped b2 abruptly");

        vm.restart("b2");
        assertThat(vm.bank("b2").running()).isTrue();
        assertThat(vm.bank("b2").stateTextProperty().get()).isEqualTo("running, answering");
        assertThat(log.lastMessageProperty().get()).startsWith("Started b2 again");
        assertThat(log.messages()).hasSize(2);
    }

    @Test
    void aFailedActionIsToldAndTheBankKeepsItsState() {
        FakeLifecycle banks = new FakeLifecycle(true);
        BankLifecycleViewModel vm = vm(banks);
        vm.statuses(Map.of("b1", new BankStatus("b1", true, null, null, 0)));
        banks.failing = new IllegalStateException("it holds money");
        vm.retire("b1");
        assertThat(banks.calls).containsExactly("retire b1");
        assertThat(vm.bank("b1").running()).isTrue();
        assertThat(vm.bank("b1").busyProperty().get()).isFalse();
        assertThat(vm.bank("b1").stateTextProperty().get()).isEqualTo("running, answering");
        assertThat(log.lastErrorProperty().get()).startsWith("Could not retire b1").contains("it holds money");
        assertThat(log.lastMessageProperty().get()).isEmpty();
    }

    @Test
    void theMonitorsWordSaysWhetherABankIsStoppedOrNotAnswering() {
        BankLifecycleViewModel vm = vm(new FakeLifecycle(true));
        vm.statuses(Map.of("b1", new BankStatus("b1", false, null, BankStatus.STOPPED, 0),
                "b2", new BankStatus("b2", false, null, "The bank is not answering.", 0),
                "b9", new BankStatus("b9", false, null, BankStatus.STOPPED, 0)));
        assertThat(vm.bank("b1").running()).isFalse();
        assertThat(vm.bank("b1").stateTextProperty().get()).isEqualTo("stopped");
        assertThat(vm.bank("b2").running()).as("not answering is not stopped: it may be cut off").isTrue();
        assertThat(vm.bank("b2").stateTextProperty().get()).isEqualTo("not answering");
        assertThat(vm.bank("b9")).isNull();
    }

    @Test
    void banksThisAppDidNotLaunchCannotBeKilledFromItButCanRetire() {
        FakeLifecycle banks = new FakeLifecycle(false);
        BankLifecycleViewModel vm = vm(banks);
        assertThat(vm.controlsBanks()).isFalse();
        assertThat(vm.controlsExplanation()).contains("cannot stop or start them");
        vm.kill("b1");
        vm.restart("b1");
        assertThat(banks.calls).isEmpty();
        assertThat(vm.bank("b1").running()).isTrue();
        assertThat(log.messages()).isEmpty();

        vm.retire("b1");
        assertThat(banks.calls).containsExactly("retire b1");
        assertThat(vm.bank("b1").running()).isFalse();
        assertThat(log.lastMessageProperty().get()).startsWith("Retired b1");
    }
}
