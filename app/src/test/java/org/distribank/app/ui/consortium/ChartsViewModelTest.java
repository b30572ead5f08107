package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distribank.consortium.entity.EventType;
import org.junit.jupiter.api.Test;

/** Throughput and latency from synthetic events. */
class ChartsViewModelTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    @Test
    void throughputCountsEachOperationOnceAtItsFirstOutcome() {
        ChartsViewModel vm = new ChartsViewModel();
        Events ev = new Events(100_000);        // second 100
        ev.operation(BANKS, "A", true, 10);
        ev.operation(BANKS, "B", true, 10);
        ev.operation(BANKS, "C", false, 10);
        ev.now = 101_500;                       // second 101
        ev.operation(BANKS, "D", true, 10);
        vm.events(ev.all());
        // a repeated outcome event (a reconnect, another bank) is not counted again
        ev.event("b1", EventType.COMMIT, null, "A", null);
        vm.events(List.of(ev.all().get(ev.all().size() - 1)));

        vm.tick(102_300);

        assertThat(vm.committed()).hasSize(ChartsViewModel.WINDOW_SECONDS);
        assertThat(vm.committed().get(vm.committed().size() - 1)).isEqualTo(new ChartsViewModel.Point(-1, 1));
        assertThat(vm.committed().get(vm.committed().size() - 2)).isEqualTo(new ChartsViewModel.Point(-2, 2));
        assertThat(vm.aborted().get(vm.aborted().size() - 2)).isEqualTo(new ChartsViewModel.Point(-2, 1));
        assertThat(vm.committed().get(0).x()).isEqualTo(-60);
        assertThat(vm.committed().stream().mapToDouble(ChartsViewModel.Point::y).sum()).isEqualTo(3);
        assertThat(vm.throughputTextProperty().get()).contains("0.4 operations");
    }

    @Test
    void latencyRunsFromTheOriginsMulticastToTheOutcomeAtTheOrigin() {
        ChartsViewModel vm = new ChartsViewModel();
        Events ev = new Events(200_000);
        ev.operation(BANKS, "A", true, 10);     // 4 phases of 10 ms: 40 ms from SEND to COMMIT
        ev.now = 200_100;
        ev.operation(BANKS, "B", true, 50);     // 200 ms
        vm.events(ev.all());

        vm.tick(201_000);

        assertThat(vm.p50()).singleElement().isEqualTo(new ChartsViewModel.Point(-1, 40));
        assertThat(vm.p99()).singleElement().isEqualTo(new ChartsViewModel.Point(-1, 200));
        assertThat(vm.latencyTextProperty().get()).contains("p50 40 ms").contains("p99 200 ms");
    }

    @Test
    void pointsOutsideTheWindowAreDropped() {
        ChartsViewModel vm = new ChartsViewModel();
        Events ev = new Events(10_000);
        ev.operation(BANKS, "old", true, 1);
        vm.events(ev.all());
        vm.tick(10_000 + 200_000);
        assertThat(vm.committed()).allMatch(p -> p.y() == 0);
        assertThat(vm.p50()).isEmpty();
    }

    @Test
    void percentileIsTheNearestRank() {
        assertThat(ChartsViewModel.percentile(new long[] {5, 1, 3, 2, 4}, 50)).isEqualTo(3);
        assertThat(ChartsViewModel.percentile(new long[] {5, 1, 3, 2, 4}, 99)).isEqualTo(5);
        assertThat(ChartsViewModel.percentile(new long[] {7}, 99)).isEqualTo(7);
    }
}
