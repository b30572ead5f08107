package org.distribank.consortium.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.distribank.consortium.core.Ballot;
import org.distribank.consortium.core.BallotMessage;
import org.distribank.consortium.core.BallotReady;
import org.distribank.consortium.core.BallotRecord;
import org.distribank.consortium.core.ViewBallot;
import org.distribank.consortium.core.ViewProposal;
import org.distribank.consortium.entity.PeerIds;
import org.distribank.consortium.entity.View;

/**
 * A deterministic simulation of the view ballot alone ({@link ViewBallot}), in the manner of {@link Simulation}: one
 * thread, one seeded {@link Random}, simulated steps; messages delayed, dropped, duplicated and reordered; partitions
 * (random splits, minority cuts, 2/2 of four); crashes that keep only the ballot's durable records (some of them
 * after the records of a step are durable and before its messages leave); the driver's side simulated: per bank the
 * sequences each node holds (growing while it is not wedged), fetches that complete only from a reachable holder,
 * suspicions, joins of nodes outside the view, heartbeats that carry the epoch.
 *
 * <p>After every step: at most one proposal per epoch is chosen (accepted by a majority of the previous view's
 * members, counted from what the acceptors logged or sent), and never another; every learned view is the chosen
 * one; every chosen view's members are a majority of its banks; a node's promise never goes down, across crashes
 * too; a PROMISE or ACCEPTED leaves only with its record durable; no node accepts before it holds the cut. Then the
 * faults stop with a connected majority C (the rest down or cut off): within {@link #LIVENESS_BOUND} steps every
 * node of C knows the latest view, none is wedged, and its members are exactly C. With four banks a seed may then
 * split them 2/2 while all suspect: no view may be chosen until it heals, and then one must be.
 */
public final class BallotSimulation {

    /** What varies between runs (all drawn from the seed). */
    public record Params(int banks, int faultSteps, double dropRate, double duplicateRate, int maxDelay,
                         double crashRate, double midStepCrashRate, double partitionRate, double suspectRate,
                         boolean splitTwoTwo) {

        public static Params draw(Random r) {
            int banks = 3 + r.nextInt(5);
            return new Params(banks, 500 + r.nextInt(2_500), r.nextInt(4) == 0 ? 0 : r.nextDouble() * 0.3,
                    r.nextDouble() * 0.1, 1 + r.nextInt(30), r.nextDouble() * 0.004, r.nextDouble() * 0.3,
                    r.nextDouble() * 0.004, 0.001 + r.nextDouble() * 0.02, banks == 4 && r.nextBoolean());
        }
    }

    /** What one run did. */
    public record Summary(long seed, int banks, long steps, long messages, int crashes, int partitions,
                          long chosenEpochs, long livenessSteps, boolean split, int rescues) {
    }

    /** A run broke an invariant. */
    public static final class Failure extends AssertionError {
        Failure(String message) {
            super(message);
        }
    }

    /** Steps between two ticks of a node (a message takes 1 to 30 steps). */
    static final int TICK = 10;
    /** Steps after the faults stop within which the connected majority must agree on a view of exactly itself. */
    static final int LIVENESS_BOUND = 3_000;
    static final int SPLIT_STEPS = 2_000;
    private static final int HEARTBEAT_EVERY = 50;

    private final long seed;
    private final Random random;
    private final Params params;
    private final ViewBallot.Options options = ViewBallot.Options.builder().build();
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final PriorityQueue<InFlight> network = new PriorityQueue<>();
    private final ArrayDeque<java.util.function.Supplier<String>> trace = new ArrayDeque<>();
    private final Map<String, Integer> side = new HashMap<>();
    private final View initial;
    private long now;
    private long sent;
    private long messageNo;
    private int crashes;
    private int partitions;
    private int rescues;
    private boolean faulty = true;

    // --- the checker's state ---
    /** Epoch -> the proposal chosen for it (accepted by a majority of the previous epoch's members). */
    private final Map<Long, ViewProposal> chosen = new TreeMap<>();
    /** (epoch, ballot) -> the proposal first seen under it, and who accepted it. */
    private final Map<String, ViewProposal> proposalOf = new HashMap<>();
    private final Map<String, Set<String>> acceptorsOf = new HashMap<>();
    /** Epoch -> every proposal sent in an ACCEPT for it. */
    private final Map<Long, Set<ViewProposal>> proposed = new HashMap<>();

    private final class Node {
        final String id;
        final int phase;
        final TreeMap<String, Long> held = new TreeMap<>(PeerIds.COMPARATOR);
        final List<BallotRecord> log = new ArrayList<>();
        final Set<String> loggedAcceptances = new HashSet<>();
        BallotRecord.Promised loggedPromise = new BallotRecord.Promised(0, Ballot.NONE);
        BallotRecord.Promised maxPromise = new BallotRecord.Promised(0, Ballot.NONE);
        ViewBallot ballot;
        long restartAt = -1;
        BallotReady.Fetch fetch;
        long fetchAt;

        Node(String id, int phase) {
            this.id = id;
            this.phase = phase;
            for (String b : ids) {
                held.put(b, 0L);
            }
            this.ballot = fresh();
        }

        ViewBallot fresh() {
            return new ViewBallot(id, initial, options, () -> new TreeMap<>(held));
        }

        boolean up() {
            return ballot != null;
        }
    }

    private record InFlight(long at, long no, String from, String to, BallotMessage message)
            implements Comparable<InFlight> {
        @Override
        public int compareTo(InFlight o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(no, o.no);
        }
    }

    public BallotSimulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.params = Params.draw(random);
        for (int i = 1; i <= params.banks(); i++) {
            ids.add("b" + i);
        }
        this.initial = View.initial(ids);
        chosen.put(0L, ViewProposal.initial(initial));
        for (String id : ids) {
            nodes.put(id, new Node(id, random.nextInt(TICK)));
            side.put(id, 0);
        }
    }

    public Params params() {
        return params;
    }

    public Summary run() {
        for (; now < params.faultSteps(); now++) {
            step();
            faults();
        }
        faulty = false;
        Set<String> majority = connectedMajority();
        long livenessSteps = awaitViewOf(majority, "after the faults stopped");
        boolean split = params.splitTwoTwo();
        if (split) {
            Set<String> all = new TreeSet<>(PeerIds.COMPARATOR);
            all.addAll(ids);
            for (Node n : nodes.values()) {
                if (!n.up()) {
                    restart(n);
                }
                side.put(n.id, 0);
            }
            livenessSteps = Math.max(livenessSteps, awaitViewOf(all, "with all four connected"));
            List<String> shuffled = new ArrayList<>(ids);
            java.util.Collections.shuffle(shuffled, random);
            side.put(shuffled.get(0), 1);
            side.put(shuffled.get(1), 1);
            trace(() -> "split 2/2: " + shuffled.subList(0, 2) + " | " + shuffled.subList(2, 4));
            long epochs = chosen.size();
            long end = now + SPLIT_STEPS;
            for (; now < end; now++) {
                step();
                if (now % HEARTBEAT_EVERY == 0) {
                    for (Node n : nodes.values()) {
                        n.ballot.suspect();
                        drain(n);
                    }
                }
                if (chosen.size() != epochs) {
                    fail("a view was chosen during a 2/2 split: " + chosen.get((long) chosen.size() - 1));
                }
            }
            for (String id : ids) {
                side.put(id, 0);
            }
            trace(() -> "healed");
            livenessSteps = Math.max(livenessSteps, awaitViewOf(all, "after the 2/2 split healed"));
        }
        return new Summary(seed, params.banks(), now, sent, crashes, partitions, chosen.size() - 1, livenessSteps,
                split, rescues);
    }

    // ------------------------------------------------------------------ one step

    private void step() {
        InFlight m;
        while ((m = network.peek()) != null && m.at() <= now) {
            network.poll();
            Node to = nodes.get(m.to());
            if (to.up() && connected(m.from(), m.to())) {
                InFlight delivered = m;
                trace(() -> delivered.from() + "->" + delivered.to() + " " + delivered.message());
                to.ballot.receive(m.from(), m.message());
                drain(to);
            }
        }
        for (Node n : nodes.values()) {
            if (n.up() && (now + n.phase) % TICK == 0) {
                n.ballot.tick();
                drain(n);
            }
            if (!n.up() && n.restartAt >= 0 && n.restartAt <= now) {
                restart(n);
            }
            if (n.up() && n.fetch != null && now >= n.fetchAt && fetchable(n)) {
                BallotReady.Fetch f = n.fetch;
                n.fetch = null;
                f.cut().forEach((bank, seq) -> n.held.merge(bank, seq, Math::max));
                trace(() -> n.id + " fetched " + f.cut() + " for " + f.epoch() + "/" + f.ballot());
                n.ballot.fetched(f.epoch(), f.ballot());
                drain(n);
            }
        }
        if (now % HEARTBEAT_EVERY == 0) {
            heartbeats();
        }
    }

    /** The driver's heartbeats: each carries the sender's epoch; a node outside its view asks to join. */
    private void heartbeats() {
        for (Node a : nodes.values()) {
            if (!a.up()) {
                continue;
            }
            if (!a.ballot.view().isMember(a.id)) {
                a.ballot.join();
                drain(a);
            }
            for (Node b : nodes.values()) {
                if (b != a && b.up() && connected(a.id, b.id) && (faulty ? random.nextInt(3) == 0 : true)) {
                    b.ballot.heard(a.id, a.ballot.view().epoch());
                    drain(b);
                }
            }
        }
    }

    private void faults() {
        for (Node n : nodes.values()) {
            if (n.up() && random.nextDouble() < params.crashRate()) {
                crash(n, 20 + random.nextInt(400));
            }
        }
        if (random.nextDouble() < params.partitionRate()) {
            partition();
        }
        if (random.nextDouble() < params.suspectRate()) {
            Node n = nodes.get(ids.get(random.nextInt(ids.size())));
            if (n.up()) {
                trace(() -> n.id + " suspects");
                n.ballot.suspect();
                drain(n);
            }
        }
        // the traffic of the epoch: a node not wedged sends (holds more of its own) and receives others' messages
        if (random.nextInt(5) == 0) {
            Node n = nodes.get(ids.get(random.nextInt(ids.size())));
            if (n.up() && !n.ballot.isWedged()) {
                n.held.merge(n.id, 1L, Long::sum);
            }
            Node m = nodes.get(ids.get(random.nextInt(ids.size())));
            String bank = ids.get(random.nextInt(ids.size()));
            if (n.up() && m.up() && !m.ballot.isWedged() && connected(n.id, m.id)) {
                m.held.merge(bank, n.held.get(bank), Math::max);
            }
        }
    }

    private void partition() {
        partitions++;
        int kind = random.nextInt(4);
        for (String id : ids) {
            side.put(id, 0);
        }
        if (kind == 1) { // a minority cut off
            int size = 1 + random.nextInt((ids.size() - 1) / 2);
            List<String> shuffled = new ArrayList<>(ids);
            java.util.Collections.shuffle(shuffled, random);
            for (String id : shuffled.subList(0, size)) {
                side.put(id, 1);
            }
        } else if (kind == 2) { // halves (2/2 of four), or any two sides
            List<String> shuffled = new ArrayList<>(ids);
            java.util.Collections.shuffle(shuffled, random);
            for (String id : shuffled.subList(0, ids.size() / 2)) {
                side.put(id, 1);
            }
        } else if (kind == 3) { // scattered
            for (String id : ids) {
                side.put(id, random.nextInt(3));
            }
        }
        String sides = side.toString();
        trace(() -> "partition " + sides);
    }

    private void crash(Node n, long downFor) {
        crashes++;
        n.ballot = null;
        n.fetch = null;
        n.restartAt = downFor < 0 ? -1 : now + downFor;
        trace(() -> n.id + " crashes");
    }

    private void restart(Node n) {
        n.ballot = n.fresh();
        n.ballot.restore(List.copyOf(n.log));
        n.restartAt = -1;
        long epoch = n.ballot.view().epoch();
        BallotRecord.Promised promise = n.ballot.promise();
        trace(() -> n.id + " restarts at " + epoch + ", promised " + promise);
        checkPromise(n);
    }

    // ------------------------------------------------------------------ the driver's side of a Ready

    private void drain(Node n) {
        if (!n.up()) {
            return;
        }
        BallotReady r = n.ballot.ready();
        for (BallotRecord rec : r.records()) {
            if (rec instanceof BallotRecord.Accepted a) {
                a.proposal().cut().forEach((bank, seq) -> {
                    if (n.held.getOrDefault(bank, 0L) < seq) {
                        fail(n.id + " accepted " + a + " holding only " + n.held);
                    }
                });
                n.loggedAcceptances.add(a.epoch() + "/" + a.ballot());
                accepted(n.id, a.epoch(), a.ballot(), a.proposal());
            } else if (rec instanceof BallotRecord.Promised p && higher(p, n.loggedPromise)) {
                n.loggedPromise = p;
            }
            n.log.add(rec);
        }
        checkPromise(n);
        if (r.decided() != null) {
            ViewProposal c = chosen.get(r.decided().epoch());
            if (!r.decided().equals(c)) {
                fail(n.id + " learned " + r.decided() + " but " + (c == null ? "nothing" : c) + " was chosen");
            }
            trace(() -> n.id + " learned " + r.decided());
        }
        if (faulty && !r.records().isEmpty() && random.nextDouble() < params.midStepCrashRate() * 0.05) {
            crash(n, 20 + random.nextInt(400)); // its records are durable, its messages never left
            return;
        }
        for (BallotReady.Envelope e : r.messages()) {
            BallotMessage m = e.message();
            if (m instanceof BallotMessage.Promise p && higher(new BallotRecord.Promised(p.epoch(), p.ballot()),
                    n.loggedPromise)) {
                fail(n.id + " sent " + p + " with only " + n.loggedPromise + " durable");
            }
            if (m instanceof BallotMessage.Accept a) {
                proposed.computeIfAbsent(a.epoch(), k -> new HashSet<>()).add(a.proposal());
            }
            if (m instanceof BallotMessage.Accepted a) {
                if (!n.loggedAcceptances.contains(a.epoch() + "/" + a.ballot())) {
                    fail(n.id + " sent " + a + " without a durable acceptance");
                }
                accepted(n.id, a.epoch(), a.ballot(), a.proposal());
            }
            send(n.id, e.to(), m);
        }
        if (r.fetch() != null) {
            n.fetch = r.fetch();
            n.fetchAt = now + 1 + random.nextInt(1 + params.maxDelay());
        }
    }

    private void send(String from, String to, BallotMessage m) {
        sent++;
        if (faulty && random.nextDouble() < params.dropRate()) {
            return;
        }
        network.add(new InFlight(now + 1 + random.nextInt(params.maxDelay()), messageNo++, from, to, m));
        if (random.nextDouble() < params.duplicateRate()) {
            network.add(new InFlight(now + 1 + random.nextInt(params.maxDelay()), messageNo++, from, to, m));
        }
    }

    /** A fetch completes once, per bank, this node or a reachable one holds the cut. */
    private boolean fetchable(Node n) {
        for (var e : n.fetch.cut().entrySet()) {
            boolean found = n.held.getOrDefault(e.getKey(), 0L) >= e.getValue();
            for (Node o : nodes.values()) {
                found |= o.up() && connected(n.id, o.id) && o.held.getOrDefault(e.getKey(), 0L) >= e.getValue();
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ the checker

    /** An acceptor accepted {@code p} under {@code ballot}: is it now chosen, and is that the only choice? */
    private void accepted(String acceptor, long epoch, Ballot ballot, ViewProposal p) {
        String key = epoch + "/" + ballot;
        proposed.computeIfAbsent(epoch, k -> new HashSet<>()).add(p);
        ViewProposal before = proposalOf.putIfAbsent(key, p);
        if (before != null && !before.equals(p)) {
            fail("two proposals under one ballot " + key + ": " + before + " and " + p);
        }
        Set<String> by = acceptorsOf.computeIfAbsent(key, k -> new TreeSet<>(PeerIds.COMPARATOR));
        by.add(acceptor);
        ViewProposal previous = chosen.get(epoch - 1);
        if (previous == null) {
            fail(acceptor + " accepted for epoch " + epoch + " before epoch " + (epoch - 1) + " was chosen");
        }
        long votes = previous.view().members().stream().filter(by::contains).count();
        if (2 * votes > previous.view().members().size()) {
            View v = p.view();
            if (2 * v.members().size() <= v.banks().size()) {
                fail("chosen view " + v + " is not a majority of its banks");
            }
            ViewProposal c = chosen.putIfAbsent(epoch, p);
            if (c == null) {
                trace(() -> "chosen for epoch " + epoch + " under " + ballot + ": " + p);
            } else if (!c.equals(p)) {
                fail("epoch " + epoch + " chose " + c + " and then " + p + " (by " + by + " under " + ballot + ")");
            }
        }
    }

    private void checkPromise(Node n) {
        if (!n.up()) {
            return;
        }
        BallotRecord.Promised p = n.ballot.promise();
        if (higher(n.maxPromise, p)) {
            fail(n.id + "'s promise went down from " + n.maxPromise + " to " + p);
        }
        n.maxPromise = p;
        ViewProposal c = chosen.get(n.ballot.decision().epoch());
        if (!n.ballot.decision().equals(c)) {
            fail(n.id + " holds " + n.ballot.decision() + " as decided but " + c + " was chosen");
        }
    }

    private static boolean higher(BallotRecord.Promised a, BallotRecord.Promised b) {
        return a.epoch() > b.epoch() || a.epoch() == b.epoch() && a.ballot().isHigherThan(b.ballot());
    }

    // ------------------------------------------------------------------ liveness

    /**
     * The faults stop: a random minority that holds only a minority of the last two chosen views' members (so the
     * rest can learn the latest and decide the next) is crashed for good or cut off; the rest, C, is connected.
     */
    private Set<String> connectedMajority() {
        long last = chosen.size() - 1;
        List<List<String>> recent = new ArrayList<>(List.of(chosen.get(last).view().members(),
                chosen.get(Math.max(0, last - 1)).view().members()));
        // a proposal of the next epoch still in flight may yet be chosen: C must then be able to leave it too
        for (ViewProposal p : proposed.getOrDefault(last + 1, Set.of())) {
            recent.add(p.view().members());
        }
        Set<String> out = new TreeSet<>(PeerIds.COMPARATOR);
        List<String> shuffled = new ArrayList<>(ids);
        java.util.Collections.shuffle(shuffled, random);
        for (String id : shuffled) {
            if (2 * (out.size() + 1) >= ids.size() || random.nextBoolean()) {
                continue;
            }
            out.add(id);
            boolean ok = true;
            for (List<String> members : recent) {
                ok &= 2 * members.stream().filter(out::contains).count() < members.size();
            }
            if (!ok) {
                out.remove(id);
            }
        }
        Set<String> c = new TreeSet<>(PeerIds.COMPARATOR);
        for (String id : ids) {
            Node n = nodes.get(id);
            if (out.contains(id)) {
                if (n.up() && random.nextBoolean()) {
                    crash(n, -1);
                } else {
                    side.put(id, 10 + ids.indexOf(id));
                }
            } else {
                c.add(id);
                side.put(id, 0);
                if (!n.up()) {
                    restart(n);
                }
            }
        }
        trace(() -> "faults stop; connected: " + c + ", out: " + out);
        return c;
    }

    /** Runs until every node of {@code c} knows one view whose members are exactly {@code c}; returns the steps. */
    private long awaitViewOf(Set<String> c, String when) {
        long start = now;
        for (String id : c) {
            nodes.get(id).ballot.suspect();
            drain(nodes.get(id));
        }
        for (; now < start + LIVENESS_BOUND; now++) {
            step();
            if (!canDecide(c)) {
                // a round already under way when the faults stopped chose a view most of whose members are out:
                // no protocol can leave it without them, so they come back, and the bound starts again
                rescues++;
                trace(() -> "rescue: " + c + " holds no majority of " + chosen.get((long) chosen.size() - 1));
                for (Node n : nodes.values()) {
                    c.add(n.id);
                    side.put(n.id, 0);
                    if (!n.up()) {
                        restart(n);
                    }
                }
                start = now;
            }
            if (now % HEARTBEAT_EVERY == 0) {
                for (String id : c) {
                    Node n = nodes.get(id);
                    if (!c.containsAll(n.ballot.view().members())) {
                        n.ballot.suspect(); // the driver's failure detector: a member is silent
                        drain(n);
                    }
                }
            }
            if (settled(c)) {
                return now - start;
            }
        }
        fail("no view of exactly " + c + " within " + LIVENESS_BOUND + " steps " + when + "; views: "
                + nodes.values().stream().map(n -> n.id + "=" + (n.up() ? n.ballot.view() + (n.ballot.isWedged()
                ? " wedged" : "") : "down")).toList());
        return -1;
    }

    /** Whether {@code c} holds a majority of the latest chosen view's members, and of the one before. */
    private boolean canDecide(Set<String> c) {
        long last = chosen.size() - 1;
        for (long e = Math.max(0, last - 1); e <= last; e++) {
            List<String> members = chosen.get(e).view().members();
            if (2 * members.stream().filter(c::contains).count() <= members.size()) {
                return false;
            }
        }
        return true;
    }

    private boolean settled(Set<String> c) {
        ViewProposal last = chosen.get((long) chosen.size() - 1);
        if (!last.view().members().equals(new ArrayList<>(c))) {
            return false;
        }
        for (String id : c) {
            Node n = nodes.get(id);
            if (n.ballot.isWedged() || !n.ballot.decision().equals(last)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ reporting

    private boolean connected(String a, String b) {
        return side.get(a).equals(side.get(b));
    }

    /** The recent steps, formatted only when a run fails (formatting every message would cost most of a run). */
    private void trace(java.util.function.Supplier<String> line) {
        long at = now;
        trace.addLast(() -> at + " " + line.get());
        if (trace.size() > Integer.getInteger("sim.ballotTrace", 60)) {
            trace.removeFirst();
        }
    }

    private void fail(String what) {
        throw new Failure("seed " + seed + " " + params + " at step " + now + ": " + what
                + "\nreplay: mvn -B -o -q test -pl peer-core/protocol -am -Dtest=BallotSimulationTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.ballotSeed=" + seed
                + "\nlast steps:\n  " + String.join("\n  ", trace.stream().map(java.util.function.Supplier::get).toList()));
    }

    /** What a sweep of seeds did (it stops at the first failure). */
    public record Sweep(long start, long seeds, long steps, long messages, long crashes, long partitions,
                        long chosenEpochs, long splits, long rescues, long maxLivenessSteps, List<String> failures) {
    }

    /**
     * Runs {@code -Dsim.ballotSeeds=N} seeds (default {@code defaultCount}) from {@code -Dsim.ballotStart=S}, or only
     * {@code -Dsim.ballotSeed=X}.
     */
    public static Sweep sweep(long defaultCount, LongFunction<BallotSimulation> make) {
        String one = System.getProperty("sim.ballotSeed");
        long start = one != null ? Long.parseLong(one) : Long.getLong("sim.ballotStart", 1);
        long count = one != null ? 1 : Long.getLong("sim.ballotSeeds", defaultCount);
        long steps = 0;
        long messages = 0;
        long crashed = 0;
        long parts = 0;
        long epochs = 0;
        long splits = 0;
        long rescued = 0;
        long maxLiveness = 0;
        List<String> failures = new ArrayList<>();
        for (long s = start; s < start + count; s++) {
            try {
                Summary sum = make.apply(s).run();
                steps += sum.steps();
                messages += sum.messages();
                crashed += sum.crashes();
                parts += sum.partitions();
                epochs += sum.chosenEpochs();
                splits += sum.split() ? 1 : 0;
                rescued += sum.rescues() > 0 ? 1 : 0;
                maxLiveness = Math.max(maxLiveness, sum.livenessSteps());
            } catch (Failure f) {
                failures.add(f.getMessage());
                break;
            }
        }
        return new Sweep(start, count, steps, messages, crashed, parts, epochs, splits, rescued, maxLiveness, failures);
    }
}
