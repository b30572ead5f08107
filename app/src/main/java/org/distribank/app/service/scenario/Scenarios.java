package org.distribank.app.service.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.ConsortiumSnapshot;
import org.distribank.app.client.QueueItem;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.scenario.ScenarioContext.Party;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.View;

/**
 * The built-in teaching scenarios (docs/DESKTOP.md, "Scenarios"). Banks A, B and C are the consortium's first three
 * (b1, b2, b3). Each run opens accounts for new people, so a scenario runs again and after the others.
 */
public final class Scenarios {

    public static final String TIE_BREAK = "tie-break";
    public static final String NO_VOTE = "no-vote";
    public static final String KILLED_VOTER = "killed-voter";
    public static final String CUT_LINK = "cut-link";

    private static final Duration SHORT = Duration.ofSeconds(15);
    /** A view change: the detector's silence, a ballot, the fetch; a restarted bank's rejoin is longer. */
    private static final Duration VIEW_CHANGE = Duration.ofSeconds(40);
    /** How late b1 and b2 hear each other in the tie-break scenario: longer than a submission's skew. */
    static final long SLOW_MS = 400;

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(tieBreak(), noVote(), killedVoter(), cutLink());
    }

    static String reais(long cents) {
        return String.format("R$ %d,%02d", cents / 100, cents % 100);
    }

    private static Step step(String title, Step.Action action, String waitingFor, Step.Check until, Duration timeout,
                             Step.Explain explanation) {
        return new Step(title, action, waitingFor, until, timeout, explanation);
    }

    /** A person of the run: a name, the index of the bank of their account (0: b1), its first deposit. */
    private record Person(String name, int bank, long cents) {
    }

    /** Opens the run's accounts. */
    private static Step open(Person... people) {
        String who = java.util.Arrays.stream(people).map(p -> p.name() + " at b" + (p.bank() + 1))
                .collect(Collectors.joining(", "));
        return step("Open accounts: " + who, c -> {
            for (Person p : people) {
                c.open(c.bank(p.bank()), p.name(), p.cents());
            }
        }, "the deposits", Step.NOTHING, SHORT, c -> "Opening an account is local to its bank; each deposit went "
                + "through the total order, with only the account's own bank voting.");
    }

    /** Transfer {@code label}: {@code from} pays {@code cents} to {@code to}'s account, one leg, not awaited. */
    private static Step.Action pays(String label, String from, String to, long cents) {
        return c -> {
            Party p = c.party(from);
            c.transfer(label, p, List.of(TransferLeg.toAccount(p.account(), c.party(to).account(), cents)));
        };
    }

    private static boolean atEvery(ScenarioContext c, EventType type, String... labels) {
        for (String bank : List.of(c.bank(0), c.bank(1), c.bank(2))) {
            for (String l : labels) {
                if (!c.seen(bank, type, l)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String order(ScenarioContext c) {
        return List.of(c.bank(0), c.bank(1), c.bank(2)).stream()
                .map(b -> b + ": " + String.join(" → ", c.delivered(b).stream().filter(l -> l.startsWith("T"))
                        .toList()))
                .collect(Collectors.joining(" · "));
    }

    private static String clock(VectorClock v) {
        return v.entries().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" ", "[", "]"));
    }

    // ---- 1. concurrent transfers whose clocks sum alike

    static Scenario tieBreak() {
        return new Scenario(TIE_BREAK, "Two concurrent transfers, equal clock sums",
                "Ana at b1 and Bruno at b2 each pay Carla at b3 at the same moment. Neither bank has heard of the "
                        + "other's transfer when it sends its own, so their vector clocks are concurrent; their sums "
                        + "are equal, so the order key (sum, origin bank) falls to the tie-break: the lower bank id "
                        + "first. Every bank delivers the two in that same order.", "T1",
                List.of(open(new Person("Ana", 0, 10_000), new Person("Bruno", 1, 10_000), new Person("Carla", 2, 0)),
                        step("Slow the links between b1 and b2; Carla deposits at b3", c -> {
                            // Why the sums come out equal: at rest each bank's own entry counts every message of the
                            // consortium (a tick per send and per receive), so b1's and b2's sums differ only in what
                            // each knows of the other, the other's entry on its last message. The deposit makes each
                            // send one ACK from the same count, before the other's (slowed) can arrive: equal entries.
                            c.link(c.bank(0), c.bank(1), "SLOW", SLOW_MS);
                            c.link(c.bank(1), c.bank(0), "SLOW", SLOW_MS);
                            Party carla = c.party("Carla");
                            TransactionResult r = carla.session().deposit(c.id("deposit Carla"),
                                    carla.account().account(), 100);
                            if (!r.committed()) {
                                throw new ScenarioException("Carla's deposit was not committed: " + r.status() + ".");
                            }
                        }, "Carla's deposit decided at b1 and b2",
                                c -> c.seen(c.bank(0), EventType.COMMIT, "deposit Carla")
                                        && c.seen(c.bank(1), EventType.COMMIT, "deposit Carla"), SHORT,
                                c -> "b1 and b2 now hear each other " + SLOW_MS + " ms late (heartbeats too, so "
                                        + "neither goes offline). Each received b3's deposit and sent one ACK for "
                                        + "it before hearing the other's: their clocks advanced alike."),
                        step("b1 sends T1 and b2 sends T2 at the same moment", c -> {
                            // both submissions leave at once (each answer is awaited in the background): each bank
                            // sends its OP well within the slowed links' delay, before the other's can arrive
                            pays("T1", "Ana", "Carla", 1_000).run(c);
                            pays("T2", "Bruno", "Carla", 2_000).run(c);
                        }, "T1 and T2 delivered at every bank", c -> atEvery(c, EventType.DELIVER, "T1", "T2"), SHORT,
                                Scenarios::explainTie),
                        step("Compare the delivery orders", c -> { }, "T1 and T2 committed",
                                c -> c.outcome("T1").committed() && c.outcome("T2").committed(), SHORT,
                                c -> "Delivered " + order(c) + ": the same order at every bank, so the same "
                                        + "decisions everywhere. Both transfers committed."),
                        step("Restore the links", c -> {
                            c.link(c.bank(0), c.bank(1), "UP", 0);
                            c.link(c.bank(1), c.bank(0), "UP", 0);
                        }, "nothing", Step.NOTHING, SHORT, c -> "The links between b1 and b2 are back to normal.")));
    }

    /** The two OPs' clocks as their origins stamped them (the SEND of each OP). */
    static Map<String, VectorClock> opClocks(ScenarioContext c) {
        VectorClock t1 = sent(c, c.bank(0), "T1");
        VectorClock t2 = sent(c, c.bank(1), "T2");
        return t1 == null || t2 == null ? Map.of() : Map.of("T1", t1, "T2", t2);
    }

    private static VectorClock sent(ScenarioContext c, String bank, String label) {
        String id = c.id(label);
        return c.events().stream().filter(e -> e.self().equals(bank) && e.type() == EventType.SEND
                        && "OP".equals(e.message()) && id.equals(e.opId()))
                .map(ProtocolEvent::clock).findFirst().orElse(null);
    }

    private static String explainTie(ScenarioContext c) {
        Map<String, VectorClock> k = opClocks(c);
        if (k.isEmpty()) {
            return "T1 and T2 were delivered everywhere: " + order(c) + ".";
        }
        VectorClock t1 = k.get("T1");
        VectorClock t2 = k.get("T2");
        String both = "T1 " + clock(t1) + " sum " + t1.sum() + ", T2 " + clock(t2) + " sum " + t2.sum();
        if (!t1.concurrentWith(t2)) {
            return both + ": one happened before the other (not concurrent), so causality ordered them: " + order(c)
                    + ". Reset and run it again.";
        }
        if (t1.sum() != t2.sum()) {
            return both + ": concurrent, but the smaller sum goes first and the tie-break was not needed: " + order(c)
                    + ". Reset and run it again.";
        }
        return both + ": concurrent (neither ≤ the other) with equal sums, so the tie-break by bank id puts b1's T1 "
                + "first: " + order(c) + ".";
    }

    // ---- 2. a NO vote aborts every leg

    static Scenario noVote() {
        return new Scenario(NO_VOTE, "A NO vote aborts every leg",
                "Ana at b1 pays Carla at b3 and, in the same transfer, an account that does not exist at b2. Each bank "
                        + "holding a leg votes on it at delivery: b2 votes NO (ACCOUNT_NOT_FOUND). A transfer commits "
                        + "only if every voter says YES, so every bank aborts all its legs: Carla is not credited and "
                        + "Ana keeps her money.", "T",
                List.of(open(new Person("Ana", 0, 10_000), new Person("Carla", 2, 0)),
                        step("Ana pays R$ 30,00 to Carla at b3 and R$ 20,00 to account 999999 at b2", c -> {
                            Party ana = c.party("Ana");
                            c.transfer("T", ana, List.of(
                                    TransferLeg.toAccount(ana.account(), c.party("Carla").account(), 3_000),
                                    TransferLeg.toAccount(ana.account(), new AccountRef(c.bank(1), "999999"), 2_000)));
                        }, "the votes of b1, b2 and b3", c -> atEvery(c, EventType.VOTE, "T"), SHORT,
                                c -> "Votes: " + votes(c) + ". b2 checked its leg at delivery against its own "
                                        + "accounts: there is no account 999999, so NO."),
                        step("Every bank decides", c -> { }, "ABORT of T at every bank",
                                c -> atEvery(c, EventType.ABORT, "T") && !c.outcome("T").pending(), SHORT, c -> {
                                    TransactionResult r = c.outcome("T");
                                    return "One NO is enough: every bank decided " + r.status() + " (" + r.reason()
                                            + (r.failedLeg() == null ? "" : ", leg " + (r.failedLeg() + 1))
                                            + "), so b1 and b3 released the holds of their YES votes.";
                                }),
                        step("Check the balances", c -> { }, "the balances unchanged",
                                c -> c.balance("Ana") == 10_000 && c.balance("Carla") == 0, SHORT,
                                c -> "Ana still has " + reais(c.balance("Ana")) + " and Carla "
                                        + reais(c.balance("Carla"))
                                        + ": all legs or none.")));
    }

    private static String votes(ScenarioContext c) {
        return List.of(c.bank(0), c.bank(1), c.bank(2)).stream()
                .map(b -> b + " " + c.first(b, EventType.VOTE, "T").map(ProtocolEvent::detail).orElse("?"))
                .collect(Collectors.joining(", "));
    }

    // ---- 3. a voter killed between its vote and the decision

    static Scenario killedVoter() {
        return new Scenario(KILLED_VOTER, "A bank killed between its vote and the decision",
                "Ana at b1 pays Caio at b3. b3's links out are cut first, so the vote it casts never leaves it; then "
                        + "b3 is killed. b1 and b2 vote it out of the view (a new epoch without b3) and, installing "
                        + "that view, count its missing vote as NO (BANK_OFFLINE): the transfer aborts. Restarted, b3 "
                        + "learns the view, takes the same decision and is voted back in.", "T",
                List.of(open(new Person("Ana", 0, 10_000), new Person("Caio", 2, 0)),
                        step("Cut b3's links out", c -> {
                            c.link(c.bank(2), c.bank(0), "CUT", 0);
                            c.link(c.bank(2), c.bank(1), "CUT", 0);
                        }, "nothing", Step.NOTHING, SHORT,
                                c -> "Nothing b3 sends now reaches b1 or b2, heartbeats included (it waits in b3's "
                                        + "outbox); b3 still hears them."),
                        step("Ana at b1 pays R$ 25,00 to Caio at b3", pays("T", "Ana", "Caio", 2_500),
                                "b3's vote on T", c -> c.seen(c.bank(2), EventType.VOTE, "T"), SHORT,
                                c -> "b3 got b1's OP and the ACKs, delivered T and voted "
                                        + c.first(c.bank(2), EventType.VOTE, "T").map(ProtocolEvent::detail).orElse("")
                                        + "; its ACK and vote stay in its outbox, so b1 and b2 cannot even deliver T."),
                        step("Kill b3", c -> c.kill(c.bank(2)), "b1 and b2 voting b3 out and deciding T",
                                c -> outOfView(c, c.bank(0), c.bank(2)) && outOfView(c, c.bank(1), c.bank(2))
                                        && c.seen(c.bank(0), EventType.ABORT, "T")
                                        && c.seen(c.bank(1), EventType.ABORT, "T"), VIEW_CHANGE, c -> {
                                    ConsortiumSnapshot v = c.view(c.bank(0));
                                    c.note("epochOut", v.epoch());
                                    return "b1 and b2 voted b3 out (epoch " + v.epoch() + ": " + String.join(", ",
                                            v.members()) + "). Installing it they delivered T and counted b3's "
                                            + "missing vote as NO: T " + c.outcome("T").status() + " ("
                                            + c.outcome("T").reason() + ").";
                                }),
                        step("Restart b3", c -> c.restart(c.bank(2)), "b3 deciding T and back in the view",
                                c -> c.running(c.bank(2)) && c.seen(c.bank(2), EventType.ABORT, "T")
                                        && inView(c, c.bank(0), c.bank(2)) && inView(c, c.bank(2), c.bank(2)),
                                VIEW_CHANGE,
                                c -> "b3 restarted from its log (its YES vote in it), learned epoch "
                                        + c.noted("epochOut") + " and installed it as a learner: its own vote was not "
                                        + "in that view's cut, so it counted it as BANK_OFFLINE too and aborted T. "
                                        + "Then it asked to join and was voted back in (epoch "
                                        + c.view(c.bank(0)).epoch() + ")."),
                        step("Check b3 took the same decision", c -> { }, "Caio's balance at b3 unchanged",
                                c -> c.balance("Caio") == 0 && c.balance("Ana") == 10_000, SHORT,
                                c -> "Caio has " + reais(c.balance("Caio")) + " at b3 and Ana "
                                        + reais(c.balance("Ana"))
                                        + " at b1: the same decision, ABORTED, everywhere.")));
    }

    private static boolean outOfView(ScenarioContext c, String at, String bank) {
        ConsortiumSnapshot v = c.view(at);
        return v.hasView() && !v.members().contains(bank);
    }

    private static boolean inView(ScenarioContext c, String at, String bank) {
        ConsortiumSnapshot v = c.view(at);
        return v.hasView() && v.members().contains(bank) && v.epoch() > (long) c.noted("epochOut");
    }

    // ---- 4. a link cut and restored

    static Scenario cutLink() {
        return new Scenario(CUT_LINK, "A link cut, then restored",
                "The link from b1 to b2 is cut (one way). Ana at b1 pays Carla at b3: b1's OP never reaches b2, so "
                        + "b2 sends no ACK for it and b1 and b3 hold T in their hold-back queues (the total order "
                        + "needs a larger key from every member, even one with no leg). Restoring the link resends "
                        + "what was held, from the last acknowledgement: b2 acknowledges, every bank delivers, T "
                        + "commits.", "T",
                List.of(open(new Person("Ana", 0, 10_000), new Person("Carla", 2, 0)),
                        step("Cut the link b1 → b2", c -> {
                            c.link(c.bank(0), c.bank(1), "CUT", 0);
                        }, "nothing", Step.NOTHING, SHORT, c -> "What b1 sends to b2 is dropped and kept for later; "
                                + "b2's heartbeats still reach b1, so nobody is offline."),
                        step("Ana at b1 pays R$ 10,00 to Carla at b3", pays("T", "Ana", "Carla", 1_000),
                                "T held at b1 and b3",
                                c -> held(c, c.bank(0)) != null && held(c, c.bank(2)) != null, SHORT,
                                c -> {
                                    QueueItem q = held(c, c.bank(0));
                                    return "T waits in b1's and b3's hold-back queues, ACKs from "
                                            + (q == null || q.acks().isEmpty() ? "nobody" : String.join(", ", q.acks()))
                                            + " but none from b2: b2 never got it, so nobody can deliver it.";
                                }),
                        step("Restore the link b1 → b2", c -> c.link(c.bank(0), c.bank(1), "UP", 0),
                                "T delivered at b2 and committed, b2 a member",
                                c -> c.seen(c.bank(1), EventType.DELIVER, "T") && c.outcome("T").committed()
                                        && c.view(c.bank(0)).members().contains(c.bank(1)), VIEW_CHANGE,
                                c -> votedOut(c, c.bank(1)) != null
                                        ? "You paused longer than the detector allows: b1 and b3 voted b2 out (epoch "
                                        + votedOut(c, c.bank(1)).epoch() + ") and went on without it; restored, b2 "
                                        + "caught up, delivered T too and was voted back in (epoch "
                                        + c.view(c.bank(0)).epoch() + "). T " + c.outcome("T").status() + "."
                                        : "b1 resent T from b2's last acknowledgement; b2 acknowledged, every bank "
                                        + "delivered T (" + order(c) + ") and it " + c.outcome("T").status() + ".")));
    }

    /** The first view of this run that left {@code bank} out, or null. */
    private static View votedOut(ScenarioContext c, String bank) {
        return c.events().stream().filter(e -> e.type() == EventType.VIEW && e.view() != null
                && !e.view().isMember(bank)).map(ProtocolEvent::view).findFirst().orElse(null);
    }

    /** T in {@code bank}'s hold-back queue, not acknowledged by b2 (null when not so). */
    private static QueueItem held(ScenarioContext c, String bank) {
        String id = c.id("T");
        return c.view(bank).queue().stream().filter(q -> id.equals(q.id()) && !q.acks().contains(c.bank(1)))
                .findFirst().orElse(null);
    }
}
