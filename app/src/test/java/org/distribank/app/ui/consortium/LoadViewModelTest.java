package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.distribank.app.service.LoadGenerator;
import org.distribank.app.ui.common.UiTasks;
import org.junit.jupiter.api.Test;

/** The load form's validation and its progress, with a generator that only records (no banks). */
class LoadViewModelTest {

    private final List<LoadGenerator.Settings> started = new ArrayList<>();
    private final List<Consumer<LoadGenerator.Progress>> reporters = new ArrayList<>();
    private final LoadViewModel vm = new LoadViewModel(null, UiTasks.direct(), (c, s, p) -> {
        started.add(s);
        reporters.add(p);
        return new LoadGenerator(null, s, p); // never started
    });

    @Test
    void eachFieldIsValidatedAndStartIsOffUntilAllAreValid() {
        assertThat(vm.canStartProperty().get()).isTrue();
        for (String bad : new String[] {"0", "65", "", "abc", "-1", "2.5"}) {
            vm.clientsProperty().set(bad);
            assertThat(vm.clientsErrorProperty().get()).as(bad).isNotEmpty();
            assertThat(vm.canStartProperty().get()).as(bad).isFalse();
        }
        vm.clientsProperty().set("64");
        assertThat(vm.clientsErrorProperty().get()).isEmpty();
        vm.rateProperty().set("10001");
        assertThat(vm.rateErrorProperty().get()).contains("0 (no limit) to 10000");
        vm.rateProperty().set("0");
        assertThat(vm.rateErrorProperty().get()).isEmpty();
        vm.durationProperty().set("3601");
        assertThat(vm.durationErrorProperty().get()).contains("1 to 3600");
        assertThat(vm.validProperty().get()).isFalse();
        vm.start();
        assertThat(started).isEmpty();
        vm.durationProperty().set(" 1 ");
        assertThat(vm.validProperty().get()).isTrue();
    }

    @Test
    void aRunShowsItsProgressAndEndsWithASummary() {
        vm.clientsProperty().set("2");
        vm.rateProperty().set("0");
        vm.durationProperty().set("10");
        vm.start();
        assertThat(started).containsExactly(new LoadGenerator.Settings(2, 0, 10));
        assertThat(vm.runningProperty().get()).isTrue();
        assertThat(vm.canStartProperty().get()).isFalse();

        reporters.get(0).accept(new LoadGenerator.Progress("Transferring", 5_000, 10_000, 40, 2, 1, 12_300, 45_000,
                false, null));
        assertThat(vm.fractionProperty().get()).isEqualTo(0.5);
        assertThat(vm.committedProperty().get()).isEqualTo(40);
        assertThat(vm.abortedProperty().get()).isEqualTo(2);
        assertThat(vm.failedProperty().get()).isEqualTo(1);
        assertThat(vm.p50Property().get()).isEqualTo("12.3 ms");
        assertThat(vm.p99Property().get()).isEqualTo("45.0 ms");

        reporters.get(0).accept(new LoadGenerator.Progress("Done", 10_000, 10_000, 80, 2, 1, 12_000, 40_000,
                true, null));
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.summaryProperty().get()).startsWith("Done: 80 committed, 2 aborted, 1 failed in 10 s");
        assertThat(vm.canStartProperty().get()).isTrue();
    }

    @Test
    void aRunThatCouldNotPrepareSaysWhy() {
        vm.start();
        reporters.get(0).accept(new LoadGenerator.Progress("Done", 0, 30_000, 0, 0, 0, 0, 0, true,
                "Could not prepare the customers: Bank b2 is offline."));
        assertThat(vm.errorProperty().get()).contains("Bank b2 is offline");
        assertThat(vm.runningProperty().get()).isFalse();
    }
}
