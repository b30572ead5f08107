package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.PeerState;
import org.distribank.app.service.BankStatus;
import org.distribank.app.service.EventLog;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.View;
import org.distribank.consortium.observe.ShiVizExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messages page's ViewModel without a UI: live window, pause and step, following, export. */
class MessagesViewModelTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    private final EventLog log = new EventLog(1_000);
    private final MessagesViewModel vm = new MessagesViewModel(BANKS, log, UiTasks.direct());

    private void feed(List<ProtocolEvent> events) {
        events.forEach(log::add);
        vm.events(events);
    }

    @Test
    void liveTheDiagramShowsTheLatestWindowOfEvents() {
        Events ev = new Events(0);
        for (int i = 0; i < 10; i++) {
            ev.operation(BANKS, "T" + i, true, 2);
        }
        vm.windowProperty().set(100);
        feed(ev.all());
        assertThat(ev.all().size()).isGreaterThan(100);
        assertThat(vm.diagram().dots()).hasSize(100);
        assertThat(vm.shownEvents()).containsExactlyElementsOf(ev.all().subList(ev.all().size() - 100, ev.all().size()));
        assertThat(vm.collectedProperty().get()).isEqualTo(ev.all().size());
        assertThat(vm.transactions()).startsWith("T9", "T8").hasSize(10);
    }

    @Test
    void pausedTheDiagramStandsStillWhileEventsAreCollectedAndStepRevealsOneAtATime() {
        Events ev = new Events(0);
        ev.operation(BANKS, "T1", true, 2);
        feed(ev.all());
        vm.pausedProperty().set(true);
        SpaceTime.Diagram before = vm.diagram();
        int shown = before.dots().size();
        int mark = ev.all().size();
        ev.operation(BANKS, "T2", true, 2);
        List<ProtocolEvent> fresh = List.copyOf(ev.all().subList(mark, ev.all().size()));
        feed(fresh);

        assertThat(vm.diagram()).isSameAs(before);
        assertThat(vm.waitingCountProperty().get()).isEqualTo(fresh.size());
        assertThat(vm.collectedProperty().get()).isEqualTo(ev.all().size());
        assertThat(vm.transactions()).contains("T2"); // still collected and listed
        assertThat(vm.statusTextProperty().get()).contains("Paused").contains(fresh.size() + " new events");

        assertThat(vm.step()).isSameAs(fresh.get(0));
        assertThat(vm.diagram().dots()).hasSize(shown + 1);
        assertThat(vm.step()).isSameAs(fresh.get(1));
        assertThat(vm.diagram().dots()).hasSize(shown + 2);
        assertThat(vm.waitingCountProperty().get()).isEqualTo(fresh.size() - 2);

        vm.pausedProperty().set(false);
        assertThat(vm.waitingCountProperty().get()).isZero();
        assertThat(vm.diagram().dots()).hasSize(ev.all().size());
        assertThat(vm.step()).as("step only works while paused").isNull();
    }

    @Test
    void stepWithNothingWaitingDoesNothing() {
        vm.pausedProperty().set(true);
        assertThat(vm.step()).isNull();
    }

    @Test
    void followingATransactionListsItsStepsAndSaysHowItEnded() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T1", true, 2);
        ev.operation(List.of("b2", "b1", "b3"), "T2", false, 2);
        feed(ev.all());

        vm.followProperty().set("T2");
        assertThat(vm.followSummaryProperty().get()).startsWith("From b2:").contains("delivered at b1, b2, b3")
                .contains("ABORTED at b1, b2, b3").contains("INSUFFICIENT_FUNDS");
        assertThat(vm.followSteps()).isNotEmpty().allMatch(l -> l.contains("T2") || l.contains("ACK"));
        assertThat(vm.diagram().dots()).filteredOn(SpaceTime.Dot::highlighted).isNotEmpty()
                .allMatch(d -> d.opId() == null || d.opId().equals("T2"));

        vm.followProperty().set("T1");
        assertThat(vm.followSummaryProperty().get()).contains("COMMITTED at b1, b2, b3");

        vm.select(0);
        assertThat(vm.selectedProperty().get().opId()).isEqualTo("T1");
        vm.followProperty().set("");
        vm.followSelected();
        assertThat(vm.followProperty().get()).isEqualTo("T1");
    }

    @Test
    void whilePausedTheFollowedStepsStandStillToo() {
        Events ev = new Events(0);
        long s = ev.send("b1", "OP", "T1");
        feed(ev.all());
        vm.followProperty().set("T1");
        assertThat(vm.followSteps()).hasSize(1);
        vm.pausedProperty().set(true);
        ev.receive("b2", "b1", "OP", "T1", s);
        feed(List.of(ev.all().get(1)));
        assertThat(vm.followSteps()).hasSize(1);
        vm.step();
        assertThat(vm.followSteps()).hasSize(2);
    }

    @Test
    void exportWritesTheCollectedEventsForShiViz(@TempDir Path dir) throws Exception {
        Events ev = new Events(0);
        ev.operation(BANKS, "T1", true, 2);
        feed(ev.all());
        Path file = dir.resolve("shiviz.log");

        vm.exportShiViz(file);

        String text = Files.readString(file);
        assertThat(text).contains("SEND T1").contains("b1 {").contains("b2 {");
        assertThat(text.lines().count() % 2).isZero();
        assertThat(vm.exportMessageProperty().get()).contains("Wrote " + ev.all().size() + " events").contains(file.toString());
        assertThat(MessagesViewModel.shiVizRegex()).isEqualTo(ShiVizExport.REGEX);
        assertThat(vm.exportErrorProperty().get()).isEmpty();

        vm.exportShiViz(file.resolve("x.log")); // under a regular file: no directory can be made there
        assertThat(vm.exportErrorProperty().get()).startsWith("Could not write");
    }

    @Test
    void aViewEventMarksTheDiagramAndDimsTheBankLeftOutAndAPollCanTellANewerView() {
        Events ev = new Events(0);
        ev.operation(BANKS, "T1", true, 2);
        feed(ev.all());
        assertThat(vm.viewTextProperty().get()).as("no view known yet").isEmpty();
        assertThat(vm.diagram().views()).isEmpty();

        int mark = ev.all().size();
        View v1 = new View(1, List.of("b1", "b2"), BANKS);
        ev.now += 3;
        ev.view("b1", v1);
        ev.view("b2", v1);
        feed(List.copyOf(ev.all().subList(mark, ev.all().size())));

        assertThat(vm.diagram().views()).singleElement().satisfies(m -> {
            assertThat(m.label()).isEqualTo("epoch 1");
            assertThat(m.installedBy()).containsExactly("b1", "b2");
        });
        assertThat(vm.diagram().outside()).containsExactly("b3");
        assertThat(vm.viewTextProperty().get()).isEqualTo("Epoch 1 \u00b7 ordering: b1, b2 \u00b7 out: b3 (lane dimmed)");
        // the VIEW events are in the ShiViz export, in the text of the tick before them
        assertThat(log.toShiViz()).contains("; VIEW epoch 1: members b1,b2; out b3");

        // b3 readmitted: a poll says epoch 2 before any VIEW event of it arrives
        List<PeerState> peers = BANKS.stream().map(b -> new PeerState(b, b, "http://" + b, true, 0)).toList();
        vm.statuses(Map.of("b1", new BankStatus("b1", true, new ConsortiumSnapshot("b1", peers, Map.of(), List.of(),
                9, "aa", 2, BANKS, BANKS), null, 0)));
        assertThat(vm.diagram().outside()).isEmpty();
        assertThat(vm.viewTextProperty().get()).isEqualTo("Epoch 2 \u00b7 ordering: b1, b2, b3 \u00b7 every bank in the view");
        // an older view told later changes nothing
        vm.events(List.of(ev.view("b3", v1)));
        assertThat(vm.diagram().outside()).isEmpty();
    }

    /** T0 from 1_000 to 1_040 ms, b2 seen down by b1 and b3 at 2_000, T1 from b1 and b3 from 3_000 to 3_040. */
    private Events crashRun() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T0", true, 10);
        ev.now = 2_000;
        ev.event("b1", EventType.PEER_DOWN, "b2", null, null);
        ev.event("b3", EventType.PEER_DOWN, "b2", null, null);
        ev.now = 3_000;
        ev.operation(List.of("b1", "b3"), "T1", true, 10);
        return ev;
    }

    private Recording.BankState state(String bank) {
        return vm.states().stream().filter(s -> s.bank().equals(bank)).findFirst().orElseThrow();
    }

    @Test
    void scrubbingBackShowsTheDiagramAndTheBanksAsTheyWereThenAndLiveReturnsToThePresent() {
        feed(crashRun().all());
        assertThat(vm.liveProperty().get()).isTrue();
        assertThat(vm.startProperty().get()).isEqualTo(1_000);
        assertThat(vm.endProperty().get()).isEqualTo(3_040);
        assertThat(state("b2").presence()).isEqualTo(Recording.Presence.OFFLINE);

        vm.scrubTo(1_500);
        assertThat(vm.liveProperty().get()).isFalse();
        assertThat(vm.cursorProperty().get()).isEqualTo(1_500);
        assertThat(state("b2").presence()).isEqualTo(Recording.Presence.ONLINE);
        assertThat(vm.diagram().dots()).allSatisfy(d -> assertThat(d.opId()).isNotEqualTo("T1"));
        assertThat(vm.statusTextProperty().get()).startsWith("History at ");

        vm.scrubTo(1_015); // T0 received and acknowledged, not delivered yet
        assertThat(state("b2").queue()).extracting(Recording.Queued::opId).containsExactly("T0");
        assertThat(state("b2").clockText()).isNotEqualTo("-");

        vm.scrubTo(-5); // clamped to the history
        assertThat(vm.cursorProperty().get()).isEqualTo(1_000);

        Events more = new Events(4_000);
        more.event("b1", EventType.DELIVER, null, "T9", null);
        feed(more.all());
        assertThat(vm.cursorProperty().get()).as("the cursor stays while events come").isEqualTo(1_000);
        assertThat(vm.endProperty().get()).isEqualTo(4_000);

        vm.goLive();
        assertThat(vm.liveProperty().get()).isTrue();
        assertThat(vm.cursorProperty().get()).isEqualTo(4_000);
        assertThat(vm.diagram().dots()).anySatisfy(d -> assertThat(d.opId()).isEqualTo("T9"));
        assertThat(vm.transactions()).as("what came while in the history is listed").startsWith("T9", "T1", "T0");
    }

    @Test
    void playingAdvancesTheCursorAtItsSpeedAndStopsAtTheEnd() {
        feed(crashRun().all());
        vm.scrubTo(1_500);
        vm.speedProperty().set(4.0);
        vm.play();
        assertThat(vm.playingProperty().get()).isTrue();
        vm.advance(100);
        assertThat(vm.cursorProperty().get()).isEqualTo(1_900);
        assertThat(state("b2").presence()).isEqualTo(Recording.Presence.ONLINE);
        vm.advance(50);
        assertThat(vm.cursorProperty().get()).isEqualTo(2_100);
        assertThat(state("b2").presenceText()).isEqualTo("offline (b1, b3 see it down)");

        vm.speedProperty().set(0.25); // slower than a millisecond a frame: the fractions add up
        vm.advance(1);
        vm.advance(1);
        vm.advance(1);
        vm.advance(1);
        assertThat(vm.cursorProperty().get()).isEqualTo(2_101);

        vm.playingProperty().set(false);
        vm.advance(1_000);
        assertThat(vm.cursorProperty().get()).as("paused").isEqualTo(2_101);

        vm.speedProperty().set(16.0);
        vm.play();
        vm.advance(1_000);
        assertThat(vm.playingProperty().get()).isFalse();
        assertThat(vm.cursorProperty().get()).isEqualTo(3_040);
        assertThat(vm.liveProperty().get()).as("at the end; Live returns to the present").isFalse();
    }

    @Test
    void playFromLiveStartsAtTheBeginningOfTheHistory() {
        feed(crashRun().all());
        vm.playingProperty().set(true); // as the play button does before calling play
        vm.play();
        assertThat(vm.liveProperty().get()).isFalse();
        assertThat(vm.cursorProperty().get()).isEqualTo(1_000);
    }

    @Test
    void theFollowedTransactionIsFollowedAsFarAsTheCursor() {
        feed(crashRun().all());
        vm.followProperty().set("T1");
        int all = vm.followSteps().size();
        assertThat(vm.followSummaryProperty().get()).contains("COMMITTED");
        vm.scrubTo(3_005); // T1 sent and received, nothing more
        assertThat(vm.followSteps()).hasSizeLessThan(all).isNotEmpty();
        assertThat(vm.followSummaryProperty().get()).contains("not decided yet");
        assertThat(vm.diagram().dots()).anySatisfy(d -> assertThat(d.highlighted()).isTrue());
        vm.scrubTo(1_500);
        assertThat(vm.followSummaryProperty().get()).startsWith("No event of T1");
    }

    @Test
    void theTimeAxisTogglesWithLogicalOrder() {
        feed(crashRun().all());
        assertThat(vm.diagram().timeAxis()).isTrue();
        vm.timeAxisProperty().set(false);
        assertThat(vm.diagram().timeAxis()).isFalse();
        vm.scrubTo(2_000);
        assertThat(vm.diagram().timeAxis()).isFalse();
    }

    @Test
    void aSavedRunOpensInPlaceOfTheLiveEventsUntilLive(@TempDir Path dir) {
        Events ev = crashRun();
        feed(ev.all());
        Path file = dir.resolve("run.jsonl");
        vm.saveRecording(file);
        assertThat(vm.exportMessageProperty().get()).isEqualTo("Saved " + ev.all().size() + " events to " + file + ".");

        MessagesViewModel other = new MessagesViewModel(BANKS, new EventLog(1_000), UiTasks.direct());
        Events live = new Events(9_000);
        live.event("b1", EventType.DELIVER, null, "LIVE", null);
        other.events(live.all());
        other.openRecording(file);
        assertThat(other.exportErrorProperty().get()).isEmpty();
        assertThat(other.liveProperty().get()).isFalse();
        assertThat(other.sourceTextProperty().get()).startsWith("Recorded run: run.jsonl (DistriBank recording, "
                + ev.all().size() + " events)");
        assertThat(other.history().events()).containsExactlyElementsOf(ev.all());
        assertThat(other.transactions()).containsExactly("T1", "T0");
        assertThat(other.diagram().dots()).hasSize(ev.all().size());
        other.scrubTo(1_500);
        assertThat(other.states()).filteredOn(s -> s.bank().equals("b2")).singleElement()
                .satisfies(s -> assertThat(s.presence()).isEqualTo(Recording.Presence.ONLINE));
        // played to its end, a recorded run stops there
        other.speedProperty().set(16.0);
        other.play();
        other.advance(10_000);
        assertThat(other.cursorProperty().get()).isEqualTo(3_040);
        assertThat(other.liveProperty().get()).isFalse();

        other.goLive();
        assertThat(other.sourceTextProperty().get()).isEmpty();
        assertThat(other.transactions()).containsExactly("LIVE");
        assertThat(other.diagram().dots()).singleElement().satisfies(d -> assertThat(d.opId()).isEqualTo("LIVE"));
    }

    @Test
    void aShiVizLogOpensAsARecordedRunAndAnUnreadableFileSaysWhy(@TempDir Path dir) throws Exception {
        Events ev = new Events(0);
        ev.operation(BANKS, "T1", true, 2);
        feed(ev.all());
        Path shiviz = dir.resolve("run.log");
        vm.exportShiViz(shiviz);
        vm.openRecording(shiviz);
        assertThat(vm.sourceTextProperty().get()).contains("ShiViz log");
        assertThat(vm.history().size()).isEqualTo(ev.all().size());
        assertThat(vm.diagram().arrows()).isNotEmpty();
        assertThat(vm.transactions()).containsExactly("T1");

        Path junk = Files.writeString(dir.resolve("junk.txt"), "not\na run\n");
        vm.openRecording(junk);
        assertThat(vm.exportErrorProperty().get()).startsWith("Could not open " + junk);
    }

    @Test
    void theHistoryKeepsAtMostItsCapacityAndStartsWithWhatTheMonitorCollectedBefore() {
        Events ev = crashRun();
        ev.all().forEach(log::add);
        MessagesViewModel late = new MessagesViewModel(BANKS, log, UiTasks.direct(), 10);
        assertThat(late.history().size()).isEqualTo(9); // at most ten, a tenth more dropped at once
        // the newest: both commits of T1 (3_040) and seven of its last step (3_030)
        assertThat(late.history().events()).allSatisfy(e -> assertThat(e.timeMs()).isGreaterThanOrEqualTo(3_030));
        assertThat(late.history().endMs()).isEqualTo(3_040);
        late.events(ev.all().subList(ev.all().size() - 5, ev.all().size())); // the feed's history: nothing twice
        assertThat(late.history().size()).isEqualTo(9);
    }

    @Test
    void inTheHistoryTheViewIsTheOneInstalledByThen() {
        Events ev = new Events(1_000);
        ev.operation(BANKS, "T0", true, 10);
        ev.now = 2_000;
        View v1 = new View(1, List.of("b1", "b3"), BANKS);
        ev.view("b1", v1);
        ev.view("b3", v1);
        feed(ev.all());
        assertThat(vm.viewTextProperty().get()).startsWith("Epoch 1");

        vm.scrubTo(1_500);
        assertThat(vm.viewTextProperty().get()).as("no view installed by then").isEmpty();
        assertThat(vm.diagram().outside()).isEmpty();
        vm.scrubTo(2_000);
        assertThat(vm.viewTextProperty().get()).isEqualTo("Epoch 1 \u00b7 ordering: b1, b3 \u00b7 out: b2 (lane dimmed)");
        assertThat(vm.diagram().outside()).containsExactly("b2");
        assertThat(vm.diagram().views()).singleElement().satisfies(m -> assertThat(m.epoch()).isEqualTo(1));
        vm.goLive();
        assertThat(vm.viewTextProperty().get()).startsWith("Epoch 1");
    }
}
