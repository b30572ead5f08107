package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.distribank.app.service.scenario.Pause;
import org.distribank.app.service.scenario.ScenarioException;
import org.distribank.app.service.scenario.ScenarioInfo;
import org.distribank.app.service.scenario.ScenarioService;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.ProtocolEvent;
import org.junit.jupiter.api.Test;

/** The Scenarios page's ViewModel against a scenario service that plays made-up steps. */
class ScenariosViewModelTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    /** Two scenarios of three steps; each step adds one operation's events; a step can be made to fail. */
    private static final class FakeService implements ScenarioService {
        final List<String> calls = new ArrayList<>();
        Events events = new Events(1_000);
        String current;
        int done;
        int failAt = -1;

        @Override
        public List<ScenarioInfo> scenarios() {
            return List.of(new ScenarioInfo("one", "First scenario", "What the first shows.",
                            List.of("Open", "Act", "Check")),
                    new ScenarioInfo("two", "Second scenario", "What the second shows.", List.of("Only")));
        }

        @Override
        public List<String> banks() {
            return BANKS;
        }

        @Override
        public Pause begin(String id) {
            calls.add("begin " + id);
            current = id;
            done = 0;
            events = new Events(1_000);
            return pause("Ready");
        }

        @Override
        public Pause step() {
            calls.add("step");
            if (done + 1 == failAt) {
                throw new ScenarioException("Step " + failAt + " (Act): T delivered at every bank did not happen "
                        + "within 15 s.");
            }
            events.operation(BANKS, "T" + (done + 1), true, 5);
            done++;
            return pause("Step " + done);
        }

        private Pause pause(String title) {
            int steps = "one".equals(current) ? 3 : 1;
            return new Pause(current, done, steps, title, done == 0 ? "" : "Rule " + done + " decided.",
                    List.<ProtocolEvent>copyOf(events.all()), "T1");
        }

        @Override
        public void reset() {
            calls.add("reset");
        }
    }

    private final FakeService service = new FakeService();
    private final List<Long> waits = new ArrayList<>();
    private final ScenariosViewModel vm = new ScenariosViewModel(service, UiTasks.direct(), (ms, r) -> {
        waits.add(ms);
        r.run();
    });

    @Test
    void choosingAScenarioSetsItUpAndEachStepShowsItsExplanationAndFrozenDiagram() {
        assertThat(vm.titles()).containsExactly("First scenario", "Second scenario");
        assertThat(vm.canStepProperty().get()).isFalse();

        vm.selectedProperty().set(0);

        assertThat(service.calls).containsExactly("begin one");
        assertThat(vm.descriptionProperty().get()).isEqualTo("What the first shows.");
        assertThat(vm.steps()).containsExactly("Open", "Act", "Check");
        assertThat(vm.progressProperty().get()).startsWith("Ready: 3 steps");
        assertThat(vm.canStepProperty().get()).isTrue();
        assertThat(vm.diagram().dots()).isEmpty();

        vm.step();
        assertThat(vm.doneProperty().get()).isEqualTo(1);
        assertThat(vm.progressProperty().get()).isEqualTo("Step 1 of 3: Step 1");
        assertThat(vm.explanationProperty().get()).isEqualTo("Rule 1 decided.");
        int dotsAfterOne = vm.diagram().dots().size();
        assertThat(dotsAfterOne).isPositive();
        assertThat(vm.diagram().lanes()).containsExactly("b1", "b2", "b3");
        assertThat(vm.diagram().arrows()).isNotEmpty();
        assertThat(vm.frozenProperty().get()).endsWith("events of this scenario, frozen at step 1.");

        vm.step();
        assertThat(vm.explanationProperty().get()).isEqualTo("Rule 2 decided.");
        assertThat(vm.diagram().dots().size()).isGreaterThan(dotsAfterOne);
        assertThat(vm.diagram().dots()).anyMatch(d -> d.highlighted() && "T1".equals(d.opId())) // the focus only
                .anyMatch(d -> "T2".equals(d.opId())).noneMatch(d -> d.highlighted() && "T2".equals(d.opId()));
        vm.step();
        assertThat(vm.finishedProperty().get()).isTrue();
        assertThat(vm.progressProperty().get()).endsWith("(done)");
        assertThat(vm.canStepProperty().get()).isFalse();
        vm.step(); // past the end: nothing asked of the service
        assertThat(service.calls).containsExactly("begin one", "step", "step", "step");
        assertThat(waits).isEmpty();
    }

    @Test
    void runPlaysTheRemainingStepsPausingOnEach() {
        vm.selectedProperty().set(0);
        vm.step();

        vm.run();

        assertThat(vm.finishedProperty().get()).isTrue();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.explanationProperty().get()).isEqualTo("Rule 3 decided.");
        assertThat(waits).containsExactly(ScenariosViewModel.RUN_PAUSE_MS); // between step 2 and 3, not after 3
        assertThat(service.calls).containsExactly("begin one", "step", "step", "step");
    }

    @Test
    void aFailedStepShowsItsSentenceAndStopsTheRun() {
        service.failAt = 2;
        vm.selectedProperty().set(0);

        vm.run();

        assertThat(vm.errorProperty().get()).isEqualTo("Step 2 (Act): T delivered at every bank did not happen "
                + "within 15 s.");
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.doneProperty().get()).isEqualTo(1);
        assertThat(vm.explanationProperty().get()).isEqualTo("Rule 1 decided."); // the last pause stays shown
    }

    @Test
    void resetStartsTheScenarioOverAndChoosingAnotherLeavesTheFirst() {
        service.failAt = 2;
        vm.selectedProperty().set(0);
        vm.step();
        vm.step();
        assertThat(vm.errorProperty().get()).isNotEmpty();

        service.failAt = -1;
        vm.reset();

        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.doneProperty().get()).isZero();
        assertThat(vm.explanationProperty().get()).isEmpty();
        assertThat(vm.diagram().dots()).isEmpty();
        assertThat(vm.canStepProperty().get()).isTrue();

        vm.selectedProperty().set(1);
        assertThat(vm.steps()).containsExactly("Only");
        vm.step();
        assertThat(vm.finishedProperty().get()).isTrue();
        assertThat(service.calls).containsExactly("begin one", "step", "step", "begin one", "begin two", "step");
    }
}
