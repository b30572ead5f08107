package org.distribank.app.ui.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.distribank.app.service.LinkControls;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;
import org.junit.jupiter.api.Test;

/**
 * The faults page's link controls against a fake of the banks' {@link LinkControls}: one that keeps each bank's
 * outbound links, or one whose banks have no link endpoint (an older bank), or one bank that refuses.
 */
class FaultsLinksTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3");

    /** Each bank's outbound links that are not up (peer -> link), as a real bank keeps them. */
    private static final class FakeLinks implements LinkControls {
        final Map<String, Map<String, LinkState>> linksOf = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        final Set<String> stopped = new HashSet<>();
        final Set<String> refusing = new HashSet<>();
        boolean supported = true;

        FakeLinks() {
            BANKS.forEach(b -> linksOf.put(b, new TreeMap<>()));
        }

        @Override
        public boolean canAsk(String bank) {
            return !stopped.contains(bank);
        }

        @Override
        public List<LinkState> links(String bank) {
            check(bank);
            return List.copyOf(linksOf.get(bank).values());
        }

        @Override
        public LinkState set(Direction d, LinkMode mode, long delayMs) {
            calls.add(d.from() + "->" + d.to() + " " + mode);
            check(d.from());
            LinkState l = new LinkState(d.to(), mode, delayMs);
            if (mode == LinkMode.UP) {
                linksOf.get(d.from()).remove(d.to());
            } else {
                linksOf.get(d.from()).put(d.to(), l);
            }
            return l;
        }

        private void check(String bank) {
            if (!supported) {
                throw new LinkCallException(true, "No such endpoint.", null);
            }
            if (refusing.contains(bank)) {
                throw new LinkCallException(false, "The operator token is wrong.", null);
            }
        }
    }

    private final FakeLinks banks = new FakeLinks();
    private final FaultLog log = new FaultLog();
    private final LinkFaultsViewModel vm = new LinkFaultsViewModel(BANKS, banks, log, UiTasks.direct());

    @Test
    void cuttingBothWaysAsksBothBanksAndTheTableShowsIt() {
        vm.refreshLinks();
        assertThat(vm.linkSupportProperty().get()).isEqualTo(LinkFaultsViewModel.LinkSupport.SUPPORTED);
        assertThat(vm.links()).extracting(LinkFaultsViewModel.LinkRow::pair)
                .containsExactly("b1 \u2194 b2", "b1 \u2194 b3", "b2 \u2194 b3");
        assertThat(vm.links()).noneMatch(LinkFaultsViewModel.LinkRow::faulty);

        vm.linkFromProperty().set("b1");
        vm.linkToProperty().set("b3");
        vm.cutLink();
        assertThat(banks.calls).containsExactly("b1->b3 CUT", "b3->b1 CUT");
        assertThat(vm.links().get(1)).isEqualTo(new LinkFaultsViewModel.LinkRow("b1", "b3", "CUT", "CUT"));
        assertThat(log.lastMessageProperty().get()).startsWith("Cut b1 \u2194 b3");

        vm.linkFromProperty().set("b2");
        vm.linkToProperty().set("b3");
        vm.bothWaysProperty().set(false);
        vm.delayMsProperty().set("250");
        vm.slowLink();
        assertThat(banks.linksOf.get("b2")).containsExactly(Map.entry("b3", new LinkState("b3", LinkMode.SLOW, 250)));
        assertThat(banks.linksOf.get("b3")).containsOnlyKeys("b1");
        assertThat(vm.links().get(2)).isEqualTo(new LinkFaultsViewModel.LinkRow("b2", "b3", "SLOW 250 ms", "UP"));
        assertThat(log.lastMessageProperty().get()).isEqualTo("Slowed b2 \u2192 b3: every message on it waits 250 ms.");

        vm.restoreAllLinks();
        assertThat(vm.links()).noneMatch(LinkFaultsViewModel.LinkRow::faulty);
        assertThat(banks.linksOf.values()).allMatch(Map::isEmpty);
        assertThat(log.lastMessageProperty().get()).isEqualTo("Restored every link.");
        assertThat(log.lastErrorProperty().get()).isEmpty();
        assertThat(log.messages()).hasSize(3);
    }

    @Test
    void restoringOneWayLeavesTheOtherWayAsItIs() {
        vm.cutLink(); // b1 and b2, both ways: the form's defaults
        vm.bothWaysProperty().set(false);
        vm.linkFromProperty().set("b2");
        vm.linkToProperty().set("b1");
        vm.restoreLink();
        assertThat(vm.links().get(0)).isEqualTo(new LinkFaultsViewModel.LinkRow("b1", "b2", "CUT", "UP"));
        assertThat(log.lastMessageProperty().get()).startsWith("Restored b2 \u2192 b1");
    }

    @Test
    void theFormRefusesTheSameBankTwiceAndABadDelay() {
        vm.linkToProperty().set("b1");
        assertThat(vm.pairValidProperty().get()).isFalse();
        assertThat(vm.pairErrorProperty().get()).isEqualTo("Pick two different banks.");
        vm.cutLink();
        assertThat(log.lastErrorProperty().get()).contains("Pick two different banks.");
        assertThat(banks.calls).isEmpty();

        vm.linkToProperty().set("b2");
        for (String bad : new String[] {"0", "60001", "abc", "", "1.5"}) {
            vm.delayMsProperty().set(bad);
            assertThat(vm.delayValidProperty().get()).as(bad).isFalse();
        }
        vm.slowLink();
        assertThat(log.lastErrorProperty().get()).startsWith("Cannot slow the link: A delay is a whole number");
        assertThat(banks.calls).isEmpty();
    }

    @Test
    void banksWithoutTheEndpointAreSaidToHaveNoLinkControls() {
        banks.supported = false;
        vm.refreshLinks();
        assertThat(vm.linkSupportProperty().get()).isEqualTo(LinkFaultsViewModel.LinkSupport.UNSUPPORTED);
        assertThat(vm.linkSupportTextProperty().get()).contains("404");
        vm.cutLink();
        assertThat(log.lastErrorProperty().get()).contains("b1 has no link controls").contains("b2 has no link controls");
    }

    @Test
    void aBankThatRefusesIsNamedAndTheOthersStillShowTheirLinks() {
        banks.refusing.add("b2");
        banks.stopped.add("b3");
        vm.refreshLinks();
        assertThat(vm.linkSupportProperty().get()).isEqualTo(LinkFaultsViewModel.LinkSupport.SUPPORTED);
        assertThat(vm.linkSupportTextProperty().get())
                .isEqualTo("Some banks did not report their links: b2: The operator token is wrong.");
        // b1 answered; b2 refused and b3 is stopped, so their sides are unknown
        assertThat(vm.links()).containsExactly(new LinkFaultsViewModel.LinkRow("b1", "b2", "UP", "unknown"),
                new LinkFaultsViewModel.LinkRow("b1", "b3", "UP", "unknown"),
                new LinkFaultsViewModel.LinkRow("b2", "b3", "unknown", "unknown"));

        vm.cutLink();
        assertThat(log.lastErrorProperty().get())
                .isEqualTo("Could not change b1 \u2194 b2: b2: The operator token is wrong.");
        assertThat(vm.links().get(0).aToB()).isEqualTo("CUT");
    }
}
