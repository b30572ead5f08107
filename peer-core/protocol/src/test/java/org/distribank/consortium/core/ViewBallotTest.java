package org.distribank.consortium.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distribank.consortium.entity.View;
import org.junit.jupiter.api.Test;

/** The plain cases of the view ballot, step by step (the seeded harness is {@code sim.BallotSimulation}). */
class ViewBallotTest {

    private static final ViewBallot.Options OPTIONS = ViewBallot.Options.builder().patienceTicks(0).build();

    /** Which messages get through. */
    private interface Pass {
        boolean test(String from, String to, BallotMessage message);
    }

    private static final Pass ALL = (from, to, m) -> true;

    /** A few ballots wired together by hand: messages queue until delivered; fetches complete when asked. */
    private static final class Net {
        final Map<String, ViewBallot> nodes = new LinkedHashMap<>();
        final Map<String, List<BallotRecord>> logs = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> held = new LinkedHashMap<>();
        final Map<String, BallotReady.Fetch> fetches = new LinkedHashMap<>();
        final Map<String, ViewProposal> learned = new LinkedHashMap<>();
        final ArrayDeque<String[]> routes = new ArrayDeque<>();
        final ArrayDeque<BallotMessage> queue = new ArrayDeque<>();
        final List<BallotReady> readies = new ArrayList<>();
        final View initial;

        final ViewBallot.Options options;

        Net(int banks) {
            this(banks, OPTIONS);
        }

        Net(int banks, ViewBallot.Options options) {
            this.options = options;
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= banks; i++) {
                ids.add("b" + i);
            }
            initial = View.initial(ids);
            for (String id : ids) {
                held.put(id, new TreeMap<>(Map.of(id, 100L * Integer.parseInt(id.substring(1)))));
                logs.put(id, new ArrayList<>());
                nodes.put(id, fresh(id));
            }
        }

        ViewBallot fresh(String id) {
            return new ViewBallot(id, initial, options, () -> held.get(id));
        }

        /** Carries out a node's Ready: records first, then messages, fetch, decision. */
        void drain(String id) {
            BallotReady r = nodes.get(id).ready();
            readies.add(r);
            logs.get(id).addAll(r.records());
            for (BallotReady.Envelope e : r.messages()) {
                routes.add(new String[] {id, e.to()});
                queue.add(e.message());
            }
            if (r.fetch() != null) {
                fetches.put(id, r.fetch());
            }
            if (r.decided() != null) {
                learned.put(id, r.decided());
            }
        }

        void act(String id, java.util.function.Consumer<ViewBallot> input) {
            input.accept(nodes.get(id));
            drain(id);
        }

        /** Delivers queued messages while {@code pass} lets them through (others are dropped); completes fetches. */
        void run(Pass pass) {
            for (int guard = 0; guard < 10_000 && (!queue.isEmpty() || !fetches.isEmpty()); guard++) {
                if (!queue.isEmpty()) {
                    String[] r = routes.poll();
                    BallotMessage m = queue.poll();
                    if (pass.test(r[0], r[1], m) && nodes.get(r[1]) != null) {
                        act(r[1], b -> b.receive(r[0], m));
                    }
                } else {
                    var f = fetches.entrySet().iterator().next();
                    fetches.remove(f.getKey());
                    if (nodes.get(f.getKey()) != null) {
                        f.getValue().cut().forEach((b, s) -> held.get(f.getKey()).merge(b, s, Math::max));
                        act(f.getKey(), b -> b.fetched(f.getValue().epoch(), f.getValue().ballot()));
                    }
                }
            }
        }

        void run() {
            run(ALL);
        }

        void ticks(int n, Pass pass) {
            for (int i = 0; i < n; i++) {
                for (String id : List.copyOf(nodes.keySet())) {
                    if (nodes.get(id) != null) {
                        act(id, ViewBallot::tick);
                    }
                }
                run(pass);
            }
        }
    }

    @Test
    void oneSuspicionDecidesAViewOfEveryAnswererWithTheUnionOfTheirHoldings() {
        Net net = new Net(3, OPTIONS.toBuilder().patienceTicks(2).build());
        net.held.get("b2").put("b1", 150L); // b2 holds more of b1's messages than b1 counts here
        net.act("b1", ViewBallot::suspect);
        assertThat(net.nodes.get("b1").isWedged()).as("the proposer promised itself").isTrue();
        net.run();

        ViewProposal decided = net.learned.get("b1");
        assertThat(decided.view()).isEqualTo(new View(1, List.of("b1", "b2", "b3"), List.of("b1", "b2", "b3")));
        assertThat(decided.cut()).containsEntry("b1", 150L).containsEntry("b2", 200L).containsEntry("b3", 300L);
        assertThat(net.learned).hasSize(3).allSatisfy((id, p) -> assertThat(p).isEqualTo(decided));
        assertThat(net.nodes.values()).noneMatch(ViewBallot::isWedged);
    }

    @Test
    void aPromiseAndAnAcceptanceLeaveOnlyWithTheirRecordsAndNothingIsAcceptedBeforeTheFetch() {
        Net net = new Net(3);
        net.act("b1", ViewBallot::suspect);
        BallotMessage.Prepare prepare = (BallotMessage.Prepare) net.queue.peek();
        net.act("b2", b -> b.receive("b1", prepare));
        BallotReady promised = net.readies.get(net.readies.size() - 1);
        assertThat(promised.records()).containsExactly(new BallotRecord.Promised(1, prepare.ballot()));
        assertThat(promised.messages()).singleElement()
                .satisfies(e -> assertThat(e.message()).isInstanceOf(BallotMessage.Promise.class));
        assertThat(promised.wedged()).isTrue();

        ViewProposal value = new ViewProposal(new View(1, List.of("b1", "b2"), List.of("b1", "b2", "b3")),
                Map.of("b1", 99L));
        net.act("b2", b -> b.receive("b1", new BallotMessage.Accept(1, prepare.ballot(), value)));
        BallotReady accepting = net.readies.get(net.readies.size() - 1);
        assertThat(accepting.fetch()).isEqualTo(new BallotReady.Fetch(1, prepare.ballot(), value.cut()));
        assertThat(accepting.records()).isEmpty();
        assertThat(accepting.messages()).isEmpty();

        net.act("b2", b -> b.fetched(1, prepare.ballot()));
        BallotReady accepted = net.readies.get(net.readies.size() - 1);
        assertThat(accepted.records()).containsExactly(new BallotRecord.Accepted(1, prepare.ballot(), value));
        assertThat(accepted.messages()).extracting(BallotReady.Envelope::to).containsExactly("b1", "b3");
    }

    @Test
    void twoConcurrentProposersDecideOneView() {
        Net net = new Net(5);
        net.act("b1", ViewBallot::suspect);
        net.act("b4", b -> b.admit("b4")); // a member: nothing to add, no ballot
        net.act("b5", ViewBallot::suspect);
        for (int i = 0; i < 40 && net.nodes.get("b5").isWedged() == net.nodes.get("b1").isWedged(); i++) {
            net.act("b5", ViewBallot::tick); // b5 waits its rank's ticks, then prepares too
        }
        // b1's prepare reaches b2 only; b5's reaches b3 and b4 first: neither has a majority of promises yet
        net.run((from, to, m) -> !(from.equals("b1") && !to.equals("b2")) && !(from.equals("b5") && to.equals("b2")));
        net.ticks(60, ALL);

        assertThat(net.learned.keySet()).containsExactlyInAnyOrder("b1", "b2", "b3", "b4", "b5");
        assertThat(net.learned.values().stream().distinct()).hasSize(1);
    }

    @Test
    void aProposerCrashedMidRoundLeavesItsAcceptedProposalToTheNext() {
        Net net = new Net(3);
        net.held.get("b3").put("b3", 700L);
        net.act("b1", ViewBallot::suspect);
        // promises come back, b1 proposes; its ACCEPT reaches b2 only, then b1 crashes (losing all but its log)
        net.run((from, to, m) -> !(m instanceof BallotMessage.Accept && to.equals("b3"))
                && !(m instanceof BallotMessage.Accepted));
        BallotRecord.Accepted b2Accepted = (BallotRecord.Accepted) net.logs.get("b2").stream()
                .filter(r -> r instanceof BallotRecord.Accepted).findFirst().orElseThrow();
        assertThat(net.learned).isEmpty();
        net.nodes.put("b1", null);
        net.queue.clear();
        net.routes.clear();

        // b2 and b3 wait for the silent proposer, then b2 (the lower id) retries: it must propose b1's proposal again
        net.ticks(40, (from, to, m) -> !to.equals("b1") && !from.equals("b1"));
        assertThat(net.learned.get("b2")).isEqualTo(b2Accepted.proposal());
        assertThat(net.learned.get("b3")).isEqualTo(b2Accepted.proposal());

        // b1 restarts from its log and learns the same view from the first node that hears it is behind
        ViewBallot b1 = net.fresh("b1");
        b1.restore(net.logs.get("b1"));
        assertThat(b1.isWedged()).isTrue();
        net.nodes.put("b1", b1);
        net.act("b2", b -> b.heard("b1", 0));
        net.run();
        assertThat(net.learned.get("b1")).isEqualTo(b2Accepted.proposal());
        assertThat(b1.isWedged()).isFalse();
    }

    @Test
    void aPromiseNeverGoesDownAcrossACrash() {
        Net net = new Net(3);
        net.act("b2", b -> b.receive("b1", new BallotMessage.Prepare(1, new Ballot(5, "b1"))));
        ViewBallot restarted = net.fresh("b2");
        restarted.restore(net.logs.get("b2"));
        assertThat(restarted.promise()).isEqualTo(new BallotRecord.Promised(1, new Ballot(5, "b1")));
        net.nodes.put("b2", restarted);
        net.queue.clear();
        net.routes.clear();
        net.act("b2", b -> b.receive("b3", new BallotMessage.Prepare(1, new Ballot(4, "b3"))));
        assertThat(net.queue).containsExactly(new BallotMessage.Reject(1, new Ballot(5, "b1")));
    }

    @Test
    void aTwoTwoSplitOfFourDecidesNothingAndHealedItDecides() {
        Net net = new Net(4, OPTIONS.toBuilder().patienceTicks(2).build());
        Pass split = (a, b, m) -> (a.compareTo("b3") < 0) == (b.compareTo("b3") < 0);
        for (String id : List.of("b1", "b2", "b3", "b4")) {
            net.act(id, ViewBallot::suspect);
        }
        net.ticks(200, split);
        assertThat(net.learned).isEmpty();
        assertThat(net.nodes.values()).allMatch(ViewBallot::isWedged);

        net.ticks(80, ALL);
        assertThat(net.learned).hasSize(4);
        assertThat(net.learned.get("b1").view().members()).containsExactly("b1", "b2", "b3", "b4");
    }

    @Test
    void aSilentMemberIsLeftOutAndRejoinsByAskingAndANewBankJoinsAndOneRetires() {
        Net net = new Net(5, OPTIONS.toBuilder().patienceTicks(2).build());
        Pass withoutB5 = (a, b, m) -> !a.equals("b5") && !b.equals("b5");
        net.act("b1", ViewBallot::suspect);
        net.ticks(10, withoutB5);
        assertThat(net.learned.get("b1").view().members()).containsExactly("b1", "b2", "b3", "b4");

        net.act("b5", b -> b.heard("b1", 1)); // b5 learns it is out
        net.run();
        assertThat(net.nodes.get("b5").view().isMember("b5")).isFalse();
        net.act("b5", ViewBallot::join);
        net.ticks(10, ALL);
        assertThat(net.learned.get("b5").view()).isEqualTo(new View(2, List.of("b1", "b2", "b3", "b4", "b5"),
                List.of("b1", "b2", "b3", "b4", "b5")));

        net.nodes.put("b6", new ViewBallot("b6", new View(2, List.of("b1", "b2", "b3", "b4", "b5"),
                List.of("b1", "b2", "b3", "b4", "b5")), net.options, () -> net.held.get("b6")));
        net.logs.put("b6", new ArrayList<>());
        net.held.put("b6", new TreeMap<>());
        net.act("b2", b -> b.admit("b6"));
        net.ticks(10, ALL);
        assertThat(net.learned.get("b6").view().members()).containsExactly("b1", "b2", "b3", "b4", "b5", "b6");
        assertThat(net.learned.get("b6").view().banks()).contains("b6");

        net.act("b1", b -> b.retire("b4"));
        net.ticks(10, ALL);
        assertThat(net.learned.get("b1").view()).isEqualTo(new View(4, List.of("b1", "b2", "b3", "b5", "b6"),
                List.of("b1", "b2", "b3", "b5", "b6")));
    }
}
