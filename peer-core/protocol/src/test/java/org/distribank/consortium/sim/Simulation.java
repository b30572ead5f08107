package org.distribank.consortium.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.distribank.consortium.StateMachine;
import org.distribank.consortium.core.LogRecord;
import org.distribank.consortium.core.ProtocolCore;
import org.distribank.consortium.core.Ready;
import org.distribank.consortium.core.ReadyRunner;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.Vote;
import org.distribank.consortium.link.Outbox;
import org.distribank.consortium.node.Snapshotter;
import org.distribank.consortium.storage.LogPosition;
import org.distribank.consortium.storage.SegmentLog;
import org.distribank.consortium.storage.SnapshotStore;
import org.distribank.consortium.storage.StorageFailure;
import org.distribank.consortium.wire.WireBatch;
import org.distribank.consortium.wire.WireCodec;

/**
 * A deterministic simulation of a consortium, in the manner of TigerBeetle's VOPR: one thread, one
 * seeded {@link Random}, simulated time, a simulated network (drops, duplicates, delays, reorders,
 * partitions) and simulated disks ({@link SimDisk}: crashes lose what was not forced, forces fail,
 * writes tear, disks fill). Each node runs the real {@link ProtocolCore}, the real {@link SegmentLog}
 * and the real {@link ReadyRunner}, with a real {@link StateMachine}; only the links and the disk
 * are simulated. The same seed replays the same run, step by step.
 *
 * <p>After every step the checker holds the safety invariants: every node delivers the same
 * operations in the same order and decides them the same way (one canonical sequence), no operation
 * is delivered twice, and an outcome reported to a client is the canonical one. At the end, faults
 * heal and the run must make progress: every node delivers everything and decides a fresh operation
 * from each node.
 */
public final class Simulation {

    /** What varies between runs (all drawn from the seed). */
    public record Params(int nodes, int operations, long faultPhaseMs, double dropRate, double duplicateRate,
                  long maxDelayMs, double crashRate, double forceFailRate, double diskFullRate,
                  double partitionRate, long segmentBytes, long burstWindowMs, long snapshotEveryOps,
                  int recentOutcomes) {

        public static Params draw(Random r) {
            return new Params(3 + r.nextInt(3), 15 + r.nextInt(30), 2_000 + r.nextInt(4_000),
                    r.nextInt(4) == 0 ? 0 : r.nextDouble() * 0.25, r.nextDouble() * 0.1, 1 + r.nextInt(40),
                    r.nextDouble() * 0.004, r.nextDouble() * 0.002, r.nextDouble() * 0.001,
                    r.nextDouble() * 0.002, 512 + r.nextInt(4_096), r.nextInt(4) == 0 ? 0 : r.nextInt(6),
                    r.nextInt(4) == 0 ? 0 : 2 + r.nextInt(10), // 0: no snapshots (the whole log kept)
                    r.nextInt(3) == 0 ? 10_000 : 1 + r.nextInt(8)); // outcomes the cores keep: often a few
        }

        Params withNodes(int n) {
            return new Params(n, operations, faultPhaseMs, dropRate, duplicateRate, maxDelayMs, crashRate,
                    forceFailRate, diskFullRate, partitionRate, segmentBytes, burstWindowMs, snapshotEveryOps,
                    recentOutcomes);
        }
    }

    /** A run found a broken invariant. */
    public static final class Failure extends AssertionError {
        Failure(String message) {
            super(message);
        }
    }

    private static final long RETRY_MS = 30;
    private static final long HEAL_BOUND_MS = 120_000;
    private static final int MAX_BATCH = 64;

    private final long seed;
    private final Random random;
    private Params params;
    private final BiFunction<String, List<String>, StateMachine> machines;
    private final Workload workload;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final Set<Set<String>> cut = new HashSet<>();
    /** The 2/2 split's links ({@link #withTwoTwoSplit}), apart: the chaos's pending heals must not mend them. */
    private final Set<Set<String>> splitCut = new HashSet<>();
    private long now;
    private long eventNo;
    private boolean healed;
    private long steps;
    private int submitted;
    private int crashes;
    private int snapshotsTaken;
    private int snapshotRestores;
    private int failStops;
    private int partitions;

    // --- the checker's state ---
    private final List<Outcome> canonical = new ArrayList<>();
    private final Set<String> canonicalIds = new HashSet<>();
    private final Map<String, Outcome> acknowledged = new TreeMap<>();
    /** Per node, per origin (canonical order): the highest sequence number its disk holds for sure (forced). */
    private final Map<String, long[]> durable = new java.util.HashMap<>();
    /** The sequence number of each durable OP ({@code origin|id}) and VOTE ({@code voter|id}) message. */
    private final Map<String, Long> opSeqs = new java.util.HashMap<>();
    private final Map<String, Long> voteSeqs = new java.util.HashMap<>();
    private String[] peerOrder;
    private static final long VECTOR_REFRESH_MS = 1_000;

    /** A check of the machines at the end of a healed run (every node up, everything delivered). */
    public interface EndCheck {
        /** @return what is wrong, or null */
        String check(Map<String, StateMachine> machines);
    }

    private EndCheck endCheck = m -> null;
    /** Views (DESIGN.md "Views"): suspicion starts the ballot, a minority crashes for good, the rest go on. */
    private boolean views;
    /** The nodes that crash for good (views only): a minority, never restarted. */
    private final Set<String> gone = new java.util.TreeSet<>();
    private boolean stuckWithoutRejoin;
    private int rejoins;
    private int rebuilds;
    /** A member silent this long is suspected (views only). */
    private static final long SUSPECT_MS = 1_500; // above the longest transient outage the chaos makes (1.1 s)
    private String replayTest = "-pl peer-core/protocol -am test -Dtest=SimulationTest";

    /** How a failure says to replay it: the Maven arguments that run the test (the seed is added). */
    public Simulation replayWith(String mavenArguments) {
        this.replayTest = mavenArguments;
        return this;
    }

    /**
     * Runs with views: each node's failure detector suspects a member silent for {@value #SUSPECT_MS} ms, the view
     * ballot runs, and a random minority of the nodes crashes for good during the fault phase (the others crash,
     * restart and are cut off as usual). At the end the members of the newest view must have made progress; a node
     * outside it (gone, or left out and not yet able to rejoin) is held only to the safety invariants.
     */
    public Simulation withViews() {
        this.views = true;
        return this;
    }

    /**
     * Views, four banks, none lost for good, and once the chaos has healed and every bank is a member again: a
     * partition that splits them 2/2 for 2.5 to 4 s while each bank's client submits an operation. Neither side has
     * a majority of the view's members, so no bank may learn a new view or deliver anything until it heals
     * (checked after every step); then the split operations commit and the end checks hold again.
     */
    public Simulation withTwoTwoSplit() {
        this.views = true;
        this.twoTwoSplit = true;
        this.params = params.withNodes(4);
        ids.clear();
        for (int i = 1; i <= 4; i++) {
            ids.add("b" + i);
        }
        peerOrder = org.distribank.consortium.clock.LogicalClock.canonicalOrder(ids);
        return this;
    }

    /**
     * Views, and one bank (not lost for good) retires during the fault phase: its client orders a retirement (the
     * sample machine's {@code retire} payload) until one commits; the members' next view must leave it out of the
     * banks, and then it is shut down (the operator's part). The run ends only once that happened.
     */
    public Simulation withRetire() {
        this.views = true;
        this.retire = true;
        return this;
    }

    /**
     * Views, and a bank added during the fault phase (add-bank): one more configured peer, not among the first
     * view's banks, is started with an empty disk and the operator asks a member to admit it (again every second
     * until a decided view has it); it takes its first snapshot from a member that installed such a view (the state
     * transfer, over the simulated network), then orders as any member. The run ends only once it is a member with
     * everything delivered, the same log hash and the same counters as the others.
     */
    public Simulation withAddBank() {
        this.views = true;
        this.joiner = "b" + (ids.size() + 1);
        ids.add(joiner);
        peerOrder = org.distribank.consortium.clock.LogicalClock.canonicalOrder(ids);
        return this;
    }

    /** The bank added ({@link #withAddBank}), whether the operator started it, and whether it became a member. */
    private String joiner;
    private boolean joinerStarted;
    private boolean joined;
    private int transfers;

    private boolean retire;
    /** The retiring bank, its attempts so far, and whether a view without it was installed (it is gone then). */
    private String retiree;
    private int retireAttempts;
    private boolean retiredOut;

    private boolean twoTwoSplit;
    /** The split phase: started (its operations must commit), and while it lasts, what nobody may move past. */
    private boolean splitStarted;
    private long splitUntil = -1;
    private long splitEpoch;
    private final Map<String, Long> deliveredAtSplit = new TreeMap<>();

    /** Adds a check of the machines' state at the end of the run (e.g. the money adds up). */
    public Simulation withEndCheck(EndCheck check) {
        this.endCheck = check;
        return this;
    }

    /** The operations a run submits, and the machine they feed. */
    public interface Workload {
        /** The payload of the {@code n}th operation, submitted at {@code origin}. */
        String payload(Random random, int n, String origin, List<String> ids);
    }

    public Simulation(long seed, Function<String, StateMachine> machines, Workload workload) {
        this(seed, (id, ids) -> machines.apply(id), workload);
    }

    /** {@code machines}: a fresh machine for a node (by id, given every id) at each boot. */
    public Simulation(long seed, BiFunction<String, List<String>, StateMachine> machines, Workload workload) {
        this.seed = seed;
        this.random = new Random(seed);
        this.params = Params.draw(random);
        this.machines = machines;
        this.workload = workload;
        for (int i = 1; i <= params.nodes(); i++) {
            ids.add("b" + i);
        }
        peerOrder = org.distribank.consortium.clock.LogicalClock.canonicalOrder(ids);
    }

    public Params params() {
        return params;
    }

    /** The nodes' ids ({@code b1..bN}, N drawn from the seed). */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    // ------------------------------------------------------------------ events

    private abstract static class Event implements Comparable<Event> {
        long at;
        long no;

        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(no, o.no);
        }

        abstract void run();
    }

    private void schedule(long delay, Runnable what, String label) {
        Event e = new Event() {
            @Override
            void run() {
                if (label != null) {
                    note(label);
                }
                what.run();
            }
        };
        e.at = now + delay;
        e.no = eventNo++;
        queue.add(e);
    }

    private void note(String what) {
        if (trace.size() == Integer.getInteger("sim.trace", 200)) {
            trace.pollFirst();
        }
        trace.addLast(now + "ms " + what);
    }

    // ------------------------------------------------------------------ run

    /** Runs the whole simulation; throws {@link Failure} (with the seed) on a broken invariant. */
    public Summary run() {
        try {
            for (String id : ids) {
                SimNode n = new SimNode(id);
                nodes.put(id, n);
                if (!id.equals(joiner)) {
                    n.boot(); // (the bank to add starts when the operator adds it)
                }
            }
            for (int i = 0; i < params.operations(); i++) {
                long at = random.nextLong(params.faultPhaseMs());
                int n = i;
                String origin = ids.get(random.nextInt(ids.size()));
                schedule(at, () -> submit(origin, "op" + n), "submit op" + n + " at " + origin);
            }
            for (String id : ids) {
                schedule(RETRY_MS, () -> tick(id), null);
            }
            schedule(50, this::chaos, null);
            if (views) {
                List<String> founders = new ArrayList<>(ids);
                founders.remove(joiner);
                int minority = twoTwoSplit ? 0 : 1 + random.nextInt((founders.size() - 1) / 2);
                if (retire) {
                    // lost for good: at most a minority of the banks left once one retires (the others are a view)
                    int most = 0;
                    while (2 * (ids.size() - 1 - (most + 1)) > ids.size() - 1) {
                        most++;
                    }
                    minority = random.nextInt(most + 1);
                }
                List<String> shuffled = new ArrayList<>(founders);
                java.util.Collections.shuffle(shuffled, random);
                for (String g : shuffled.subList(0, minority)) {
                    gone.add(g);
                    schedule(random.nextLong(params.faultPhaseMs()), () -> {
                        nodes.get(g).crashedForGood = true;
                        if (nodes.get(g).up) {
                            nodes.get(g).crash("crash for good");
                        }
                    }, "crash " + g + " for good");
                }
                // and outages long enough to be voted out, of banks that come back: they must rejoin
                List<String> back = new ArrayList<>(ids);
                back.removeAll(gone);
                if (retire) {
                    retiree = back.get(random.nextInt(back.size()));
                    schedule(random.nextLong(params.faultPhaseMs()), this::submitRetire, null);
                }
                if (joiner != null) {
                    back.remove(joiner); // (its long outages are those of the chaos, once it runs)
                    schedule(random.nextLong(params.faultPhaseMs()), this::startJoiner, null);
                }
                for (int i = random.nextInt(3); i > 0; i--) {
                    String who = back.get(random.nextInt(back.size()));
                    long at = random.nextLong(params.faultPhaseMs());
                    long lasts = 2_000 + random.nextInt(2_000);
                    if (random.nextBoolean()) {
                        schedule(at, () -> {
                            SimNode n = nodes.get(who);
                            if (n.up) {
                                n.crash("long outage:");
                                n.restartPending = true; // not before the outage ends
                                schedule(lasts, () -> restart(who), "restart " + who + " after its outage");
                            }
                        }, "long outage of " + who + " begins");
                    } else {
                        schedule(at, () -> {
                            for (String other : ids) {
                                if (!other.equals(who)) {
                                    cut.add(Set.of(who, other));
                                }
                            }
                            schedule(lasts, () -> {
                                for (String other : ids) {
                                    if (!other.equals(who)) {
                                        cut.remove(Set.of(who, other));
                                    }
                                }
                            }, who + " is reachable again");
                        }, who + " is cut off from everyone");
                    }
                }
            }
            while (!queue.isEmpty()) {
                Event e = queue.poll();
                now = e.at;
                if (!healed && now >= params.faultPhaseMs()) {
                    heal();
                }
                e.run();
                steps++;
                if (splitUntil >= 0) {
                    checkSplit();
                }
                if (healed && quiet()) {
                    if (twoTwoSplit && !splitStarted && live().size() == ids.size()) {
                        startSplit();
                        continue;
                    }
                    break;
                }
                if (healed && views && (2 * live().size() <= ids.size() - (retiredOut ? 1 : 0) || !quorumLeft())) {
                    // the members left of the newest view, without those gone, are no majority of the banks: with no
                    // rejoin yet (a node left out stays out) nothing can progress; the safety checks held until here
                    stuckWithoutRejoin = true;
                    break;
                }
                if (now > params.faultPhaseMs() + HEAL_BOUND_MS) {
                    fail("no progress within " + HEAL_BOUND_MS + " ms after the faults healed: " + progress());
                }
            }
            if (!stuckWithoutRejoin) {
                checkEnd();
            }
            long newest = 0;
            for (SimNode n : nodes.values()) {
                if (n.up) {
                    newest = Math.max(newest, n.core.view().epoch());
                }
            }
            int leftOut = 0;
            int pastCut = 0;
            for (SimNode n : nodes.values()) {
                if (views && !gone.contains(n.id) && !live().contains(n)) {
                    leftOut++;
                    pastCut += n.up && n.core.isPastCut() ? 1 : 0;
                }
            }
            return new Summary(seed, params, steps, canonical.size(), acknowledged.size(), now, crashes, failStops,
                    partitions, snapshotsTaken, snapshotRestores, newest, stuckWithoutRejoin, rejoins, leftOut, pastCut,
                    splitStarted, rebuilds, retiredOut, joined);
        } catch (Failure f) {
            throw f;
        } catch (RuntimeException | AssertionError e) {
            StackTraceElement[] where = e.getStackTrace();
            Failure f = new Failure(describe("unexpected " + e + (where.length > 0 ? " at " + where[0] + " < "
                    + (where.length > 1 ? where[1] : "") + " < " + (where.length > 2 ? where[2] : "") : "")));
            f.initCause(e);
            throw f;
        }
    }

    /** What a sweep of seeds did; at most three failures are kept (a sweep stops at the third). */
    public record Sweep(long start, long seeds, long steps, long delivered, long crashes, long failStops,
                        long partitions, long snapshots, long restores, long viewsInstalled, long stuck,
                        long rejoins, long leftOut, long pastCut, long splits, long rebuilds, long retired,
                        long added, List<Long> pastCutSeeds, List<String> failures) {
        @Override
        public String toString() {
            return seeds + " seeds from " + start + ": " + steps + " steps, " + delivered + " operations delivered, "
                    + crashes + " crashes (" + failStops + " of them fail-stops), " + partitions + " partitions, "
                    + snapshots + " snapshots taken, " + restores + " restarts from a snapshot, " + viewsInstalled
                    + " view changes (newest epoch, summed over runs), " + stuck
                    + " runs left without a majority (safety checked only), " + rejoins + " rejoins, " + leftOut
                    + " banks left out at the end (" + pastCut + " of them holding messages past a cut)"
                    + (splits > 0 ? ", " + splits + " runs split 2/2 after the chaos" : "")
                    + (rebuilds > 0 ? ", " + rebuilds + " rebuilds of a bank past a cut from its log" : "")
                    + (retired > 0 ? ", " + retired + " banks retired" : "")
                    + (added > 0 ? ", " + added + " banks added" : "")
                    + (pastCutSeeds.isEmpty() ? "" : "; seeds that left a bank past a cut: " + pastCutSeeds);
        }
    }

    /**
     * Runs the seeds the system properties ask for: {@code -Dsim.seed=X} that one, else {@code countProperty}
     * seeds (default {@code defaultCount}) from {@code -Dsim.start} (default 1).
     */
    public static Sweep sweep(String countProperty, long defaultCount, java.util.function.LongFunction<Simulation> make) {
        String one = System.getProperty("sim.seed");
        long start = one != null ? Long.parseLong(one) : Long.getLong("sim.start", 1);
        long count = one != null ? 1 : Long.getLong(countProperty, defaultCount);
        List<String> failures = new ArrayList<>();
        long steps = 0;
        long delivered = 0;
        long crashes = 0;
        long failStops = 0;
        long partitions = 0;
        long snapshots = 0;
        long restores = 0;
        long views = 0;
        long stuck = 0;
        long rejoins = 0;
        long leftOut = 0;
        long pastCut = 0;
        long splits = 0;
        long rebuilds = 0;
        long retired = 0;
        long added = 0;
        List<Long> pastCutSeeds = new ArrayList<>();
        for (long seed = start; seed < start + count && failures.size() < 3; seed++) {
            try {
                Summary s = make.apply(seed).run();
                steps += s.steps();
                delivered += s.delivered();
                crashes += s.crashes();
                failStops += s.failStops();
                partitions += s.partitions();
                snapshots += s.snapshots();
                restores += s.restores();
                views += s.newestEpoch();
                stuck += s.stuck() ? 1 : 0;
                rejoins += s.rejoins();
                leftOut += s.leftOut();
                pastCut += s.pastCut();
                splits += s.split() ? 1 : 0;
                rebuilds += s.rebuilds();
                retired += s.retired() ? 1 : 0;
                added += s.added() ? 1 : 0;
                if (s.pastCut() > 0) {
                    pastCutSeeds.add(seed);
                }
            } catch (Failure f) {
                failures.add(f.getMessage());
            }
        }
        return new Sweep(start, count, steps, delivered, crashes, failStops, partitions, snapshots, restores, views,
                stuck, rejoins, leftOut, pastCut, splits, rebuilds, retired, added, pastCutSeeds,
                failures);
    }

    /** What a run did. */
    public record Summary(long seed, Params params, long steps, int delivered, int acknowledged, long simulatedMs,
                          int crashes, int failStops, int partitions, int snapshots, int restores, long newestEpoch,
                          boolean stuck, int rejoins, int leftOut, int pastCut, boolean split, int rebuilds,
                          boolean retired, boolean added) {
    }

    private void fail(String why) {
        throw new Failure(describe(why));
    }

    private String describe(String why) {
        return "simulation seed " + seed + " failed: " + why + "\n  params " + params
                + "\n  replay: mvn " + replayTest + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=" + seed
                + "\n  last steps:\n    " + String.join("\n    ", trace);
    }

    // ------------------------------------------------------------------ faults

    private void chaos() {
        if (healed) {
            return;
        }
        double r = random.nextDouble();
        String id = ids.get(random.nextInt(ids.size()));
        SimNode n = nodes.get(id);
        double scale = 50; // chaos runs every 50 ms; the rates are per millisecond
        if (r < params.crashRate() * scale && n.up) {
            n.crash("crash");
            schedule(50 + random.nextInt(500), () -> restart(id), "restart " + id);
        } else if ((r -= params.crashRate() * scale) < params.forceFailRate() * scale && n.up) {
            note("arm: the next force of " + id + " fails");
            n.disk.failNextForces(1);
        } else if ((r -= params.forceFailRate() * scale) < params.diskFullRate() * scale && n.up) {
            note("arm: the disk of " + id + " is full");
            n.disk.capacity(n.disk.used());
        } else if ((r -= params.diskFullRate() * scale) < params.partitionRate() * scale) {
            String a = ids.get(random.nextInt(ids.size()));
            String b = ids.get(random.nextInt(ids.size()));
            if (!a.equals(b)) {
                note("partition " + a + " | " + b);
                cut.add(Set.of(a, b));
                partitions++;
                schedule(100 + random.nextInt(1_000), () -> cut.remove(Set.of(a, b)), "heal " + a + " | " + b);
            }
        }
        for (SimNode m : nodes.values()) {
            if (!m.up && !m.restartPending && !goneForGood(m.id)) {
                m.restartPending = true;
                schedule(100 + random.nextInt(400), () -> restart(m.id), "restart " + m.id);
            }
        }
        schedule(50, this::chaos, null);
    }

    private void restart(String id) {
        SimNode n = nodes.get(id);
        n.restartPending = false;
        if (!n.up && !goneForGood(id)) {
            n.boot();
        }
    }

    /** The end of the fault phase: links and disks heal, every node comes back, fresh operations go in. */
    private void heal() {
        healed = true;
        note("heal: no more faults");
        cut.clear();
        for (SimNode n : nodes.values()) {
            n.disk.reboot();
            if (!n.up && !gone.contains(n.id)) {
                n.boot();
            }
        }
        for (String id : ids) {
            if (!gone.contains(id)) {
                schedule(1, () -> submit(id, "final-" + id), "submit final-" + id + " at " + id);
            }
        }
    }

    /** Cuts the four banks 2/2 (all of them members of one view, quiet), each bank's client submitting meanwhile. */
    private void startSplit() {
        splitStarted = true;
        List<String> shuffled = new ArrayList<>(ids);
        java.util.Collections.shuffle(shuffled, random);
        List<String> left = shuffled.subList(0, 2);
        for (String a : left) {
            for (String b : shuffled.subList(2, 4)) {
                splitCut.add(Set.of(a, b));
            }
        }
        splitEpoch = nodes.get(ids.get(0)).core.view().epoch();
        for (SimNode n : nodes.values()) {
            deliveredAtSplit.put(n.id, n.core.deliveredCount());
        }
        long lasts = 2_500 + random.nextInt(1_500);
        splitUntil = now + lasts;
        note("split 2/2: " + left + " | " + shuffled.subList(2, 4) + " for " + lasts + " ms (epoch " + splitEpoch + ")");
        for (String id : ids) {
            schedule(1 + random.nextLong(lasts), () -> submit(id, "split-" + id), "submit split-" + id + " at " + id);
        }
        schedule(lasts, () -> {
            splitCut.clear();
            splitUntil = -1;
        }, "the 2/2 split heals");
    }

    /** While split 2/2: no bank learned a later view, none delivered anything. */
    private void checkSplit() {
        for (SimNode n : nodes.values()) {
            if (!n.up) {
                continue;
            }
            if (n.core.decision().epoch() > splitEpoch || n.core.view().epoch() > splitEpoch) {
                fail(n.id + " learned epoch " + n.core.decision().epoch() + " during a 2/2 split of a view of four ("
                        + "epoch " + splitEpoch + "): neither side is a majority");
            }
            if (n.core.deliveredCount() > deliveredAtSplit.get(n.id)) {
                fail(n.id + " delivered during a 2/2 split: nothing can be acknowledged by every member");
            }
        }
    }

    /**
     * The retiring bank's client: a fresh retirement (a new id: an aborted one is decided for good) whenever the
     * last one is not committed after a while; once one is, it waits for a view without the bank, then shuts it down.
     */
    private void submitRetire() {
        boolean committed = false;
        for (Outcome o : canonical) {
            committed |= o.id().startsWith("retire-") && o.committed();
        }
        if (committed) {
            for (SimNode n : nodes.values()) {
                if (n.up && !n.id.equals(retiree) && !n.core.view().banks().contains(retiree)) {
                    retiredOut = true;
                    gone.add(retiree);
                    nodes.get(retiree).crashedForGood = true;
                    note(retiree + " retired: " + n.id + " installed epoch " + n.core.view().epoch() + " of banks "
                            + n.core.view().banks());
                    if (nodes.get(retiree).up) {
                        nodes.get(retiree).crash("shut down, retired:");
                    }
                    return;
                }
            }
            schedule(100, this::submitRetire, null);
            return;
        }
        SimNode n = nodes.get(retiree);
        if (n.up) {
            String id = "retire-" + retiree + "-" + retireAttempts++;
            n.step(() -> {
                if (!n.core.isWedged() && n.core.view().isMember(retiree)) {
                    note("submit " + id + " at " + retiree);
                    n.core.submit(id, "key=r;delta=0;retire=yes").ifPresent(n::report);
                }
            });
        }
        schedule(1_000, this::submitRetire, null);
    }

    /** The operator starts the bank to add (empty disk) and asks a member to admit it. */
    private void startJoiner() {
        joinerStarted = true;
        note("the operator starts " + joiner + " and asks for it to be added");
        nodes.get(joiner).boot();
        admitJoiner();
    }

    /** At a random member, every second until some node learned a view with the new bank among its banks. */
    private void admitJoiner() {
        List<SimNode> members = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.up && n.core.decision().view().banks().contains(joiner)) {
                return; // decided: the transfer, and JOIN if it is voted out meanwhile, do the rest
            }
            if (n.up && !n.id.equals(joiner) && n.core.view().isMember(n.id)) {
                members.add(n);
            }
        }
        if (!members.isEmpty()) {
            SimNode m = members.get(random.nextInt(members.size()));
            m.step(() -> {
                note("the operator asks " + m.id + " to admit " + joiner);
                m.core.admit(joiner);
            });
        }
        schedule(1_000, this::admitJoiner, null);
    }

    /** Operations whose client retries until they commit: the end's and the split's. */
    private static boolean retried(String id) {
        return id.startsWith("final-") || id.startsWith("split-");
    }

    private boolean quiet() {
        List<SimNode> taking = live();
        if (retire && !retiredOut && taking.contains(nodes.get(retiree)) && 2 * (taking.size() - 1) > ids.size() - 1) {
            // the retirement must finish: a committed one, then a view without the bank; unless the banks left
            // without it (not gone) are no majority of the banks: then it stays a member (the core wedges nobody for
            // a view that cannot be)
            return false;
        }
        for (SimNode n : live()) {
            if (!n.up || n.core.deliveredCount() != canonical.size() || !n.core.queueEntries().isEmpty()) {
                return false;
            }
            if (views && !n.core.view().isMember(n.id)) {
                return false; // left out: it must rejoin (rebuilt first, if it was left past a cut)
            }
            if (!canonicalIds.contains("final-" + n.id) || splitStarted && !canonicalIds.contains("split-" + n.id)) {
                return false;
            }
        }
        if (twoTwoSplit && !splitStarted && live().size() == ids.size()) {
            // the split needs one view of all four, installed everywhere
            for (SimNode n : nodes.values()) {
                if (!n.up || n.core.isWedged() || n.core.view().members().size() != ids.size()
                        || n.core.view().epoch() != nodes.get(ids.get(0)).core.view().epoch()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the members of the newest view that are not gone are a majority of its members: the acceptors of the
     * next epoch are that view's members, so without such a majority no view can ever follow it (Paxos's own limit:
     * two of a view of two members, or of three, lost for good).
     */
    private boolean quorumLeft() {
        org.distribank.consortium.entity.View newest = null;
        for (SimNode n : nodes.values()) {
            if (n.up && (newest == null || n.core.view().epoch() > newest.epoch())) {
                newest = n.core.view();
            }
        }
        if (newest == null) {
            return true;
        }
        int left = 0;
        for (String m : newest.members()) {
            SimNode n = nodes.get(m);
            // a member holding messages past a cut it cannot rebuild from takes part in nothing (rare: a joiner whose
            // first snapshot holds some, PROTOCOL.md "Adding a bank")
            left += gone.contains(m) || n.up && n.core.isPastCut() ? 0 : 1;
        }
        return 2 * left > newest.members().size();
    }

    /** A node crashed for good (views only): down, and stays down. */
    private boolean goneForGood(String id) {
        return nodes.get(id).crashedForGood;
    }

    /**
     * The nodes the end of the run holds to progress: every node; with views, every node not gone (one left past a
     * cut too: it rebuilds from its log, from a snapshot within the cut, and rejoins), but one still past a cut after
     * that (a joiner whose first snapshot holds messages past a later cut: counted, and bounded by the tests).
     */
    private List<SimNode> live() {
        if (!views) {
            return List.copyOf(nodes.values());
        }
        List<SimNode> out = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (!gone.contains(n.id) && !(n.up && n.core.isPastCut())) {
                out.add(n);
            }
        }
        return out;
    }

    private String progress() {
        StringBuilder sb = new StringBuilder("canonical " + canonical.size());
        if (views) {
            sb.append("; gone ").append(gone).append("; final operations missing ");
            for (String id : ids) {
                if (!gone.contains(id) && !canonicalIds.contains("final-" + id)) {
                    sb.append("final-").append(id).append(' ');
                }
            }
        }
        for (SimNode n : nodes.values()) {
            sb.append("; ").append(n.id).append(n.up ? "" : "(down)").append(" delivered ")
                    .append(n.up ? n.core.deliveredCount() : -1).append(" queued ")
                    .append(n.up ? n.core.queueEntries().size() : -1);
            if (views && n.up) {
                sb.append(" epoch ").append(n.core.view().epoch()).append(n.core.view().members())
                        .append(n.core.isWedged() ? " wedged" : "").append(n.core.isPastCut() ? " past the cut" : "");
            }
            String head = n.up ? n.core.headDiagnosis() : null;
            if (head != null) {
                sb.append(" [head ").append(head).append(']');
            }
        }
        return sb.toString();
    }

    private void checkEnd() {
        for (Map.Entry<String, Outcome> a : acknowledged.entrySet()) {
            if (!canonicalIds.contains(a.getKey())) {
                fail("operation " + a.getKey() + " was answered " + a.getValue().decision() + " but never delivered");
            }
        }
        String hash = null;
        for (SimNode n : live()) {
            String h = java.util.HexFormat.of().formatHex(n.core.logHash());
            if (hash != null && !hash.equals(h)) {
                fail("log hashes differ after the run: " + n.id + " " + h + " against " + hash);
            }
            hash = h;
        }
        Map<String, StateMachine> live = new LinkedHashMap<>();
        live().forEach(n -> live.put(n.id, n.machine));
        String wrong = endCheck.check(live);
        if (wrong != null) {
            fail("end check: " + wrong);
        }
    }

    // ------------------------------------------------------------------ the checker

    /** A node decided {@code o} (in delivery order: position 1, 2, ... in each incarnation). */
    private void decided(String node, Outcome o) {
        long pos = o.position();
        note(node + " decides " + o.id() + " " + o.decision() + " at position " + pos);
        if (pos <= canonical.size()) {
            Outcome c = canonical.get((int) (pos - 1));
            if (!c.id().equals(o.id()) || c.decision() != o.decision() || !Objects.equals(c.reason(), o.reason())) {
                fail(node + " decided " + o.id() + " " + o.decision() + " at position " + pos + " where the others"
                        + " decided " + c.id() + " " + c.decision());
            }
        } else if (pos == canonical.size() + 1) {
            if (!canonicalIds.add(o.id())) {
                fail(node + " delivered " + o.id() + " a second time, at position " + pos);
            }
            canonical.add(o);
        } else {
            fail(node + " decided position " + pos + " with only " + canonical.size() + " decided anywhere");
        }
    }

    /**
     * An outcome handed to a machine or a client must be final: its OP and every vote cast on it are, at this step,
     * in every node's durable log (what each disk holds for sure, whatever the nodes know of each other).
     */
    private void checkFinal(String node, Outcome o, String what) {
        Long opSeq = opSeqs.get(o.origin() + "|" + o.id());
        if (opSeq == null) {
            fail(node + " " + what + " " + o.id() + " whose OP from " + o.origin() + " no disk holds");
        }
        List<String> members = views ? nodes.get(node).core.view().members() : ids;
        notEverywhere(node, o, what, "its OP", o.origin(), opSeq, members);
        for (String voter : ids) {
            Long seq = voteSeqs.get(voter + "|" + o.id());
            if (seq != null && (!views || members.contains(voter))) {
                notEverywhere(node, o, what, "the vote of " + voter, voter, seq, members);
            }
        }
    }

    private void notEverywhere(String node, Outcome o, String what, String message, String origin, long seq,
                               List<String> members) {
        int i = java.util.Arrays.asList(peerOrder).indexOf(origin);
        for (String n : members) {
            if (n.equals(joiner) && nodes.get(n).incarnation == 0) {
                // the bank being added, a member before it holds anything: it can take part in nothing (no vote,
                // no ballot answer) until it boots from a member's state of the view that added it, which holds
                // everything that view's install delivered and decided (an install decides with the new members)
                continue;
            }
            long[] d = durable.get(n);
            if (d == null || d[i] < seq) {
                fail(node + " " + what + " " + o.id() + " " + o.decision() + " (position " + o.position() + ") while "
                        + message + " (" + origin + " seq " + seq + ") is not durable at " + n + " (it holds "
                        + (d == null ? 0 : d[i]) + ")");
            }
        }
    }

    /** {@code node} answered a client with {@code o}. */
    private void answered(String node, Outcome o) {
        checkFinal(node, o, "answered");
        Outcome c = o.position() <= canonical.size() ? canonical.get((int) (o.position() - 1)) : null;
        if (c == null || !c.id().equals(o.id()) || c.decision() != o.decision()) {
            fail(node + " answered " + o.id() + " " + o.decision() + " but the consortium decided otherwise");
        }
        Outcome before = acknowledged.putIfAbsent(o.id(), o);
        if (before != null && before.decision() != o.decision()) {
            fail(o.id() + " answered " + before.decision() + " then " + o.decision());
        }
    }

    // ------------------------------------------------------------------ clients and links

    private void submit(String origin, String id) {
        SimNode n = nodes.get(origin);
        if (!n.up) {
            if (retried(id)) {
                schedule(50, () -> submit(origin, id), "submit " + id + " at " + origin + " again");
            }
            return; // a client of a down bank gets a connection error
        }
        String payload = workload.payload(random, submitted++, origin, ids);
        n.step(() -> {
            if (views && (n.core.isWedged() || !n.core.view().isMember(origin)
                    || !n.core.votersOutsideView(id, payload).isEmpty())) {
                // refused with 503 (a view change under way, or a voter outside the view); a client retries
                note("refused " + id + " at " + origin + (n.core.isWedged() ? " (wedged)" : "")
                        + (n.core.view().isMember(origin) ? "" : " (outside the view)"));
                if (retried(id) && !gone.contains(origin)) { // outside the view: it rejoins first
                    schedule(50, () -> submit(origin, id), "submit " + id + " at " + origin + " again");
                }
                return;
            }
            n.waiting.add(id);
            n.core.submit(id, payload).ifPresent(o -> n.report(o));
            if (views && retried(id)) {
                // a client that hears nothing retries the same id: its OP may have been taken back (left out)
                schedule(3_000, () -> {
                    if (!canonicalIds.contains(id) && !gone.contains(origin)) {
                        submit(origin, id);
                    }
                }, null);
            }
        });
    }

    private void tick(String id) {
        SimNode n = nodes.get(id);
        if (n.up) {
            for (String p : ids) {
                if (!p.equals(id)) {
                    n.sentUpTo.put(p, n.acked.get(p)); // the links go back: resend what is not acknowledged
                    if (now - n.lastSentAt.getOrDefault(p, 0L) >= VECTOR_REFRESH_MS) {
                        n.vectorSent.put(p, 0L); // idle for a while: the vector again (a frame lost, a restart)
                    }
                }
            }
            n.pump();
            if (views) {
                n.step(() -> {
                    n.core.tick();
                    for (String p : n.core.view().members()) {
                        if (!p.equals(id) && now - n.lastHeard.getOrDefault(p, 0L) > SUSPECT_MS) {
                            n.core.suspect();
                            break;
                        }
                    }
                });
            } else {
                n.step(() -> { }); // the protocol thread's idle round: link acks logged, the outbox trimmed
            }
        }
        schedule(RETRY_MS, () -> tick(id), null);
    }

    private boolean isCut(String from, String to) {
        Set<String> link = Set.of(from, to);
        return cut.contains(link) || splitCut.contains(link);
    }

    /** A frame on the simulated network: dropped, delayed, duplicated, or cut by a partition. */
    private void transmit(String from, String to, Runnable arrive, String label) {
        if (isCut(from, to) || random.nextDouble() < (healed ? 0 : params.dropRate())) {
            return;
        }
        int copies = !healed && random.nextDouble() < params.duplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            schedule(1 + random.nextInt((int) params.maxDelayMs()), () -> {
                if (!isCut(from, to)) {
                    if (label != null && nodes.get(to).up) {
                        note(label); // what reaches a down node is lost unseen: the trace keeps what happened
                    }
                    arrive.run();
                }
            }, null);
        }
    }

    // ------------------------------------------------------------------ a node

    /** One simulated bank: the real core, log and machine over a simulated disk and links. */
    private final class SimNode implements ReadyRunner.Io {
        final String id;
        final SimDisk disk;
        boolean up;
        boolean restartPending;
        int incarnation;
        ProtocolCore core;
        StateMachine machine;
        SegmentLog log;
        Snapshotter snapshotter;
        WireCodec codec;
        Outbox outbox;
        long durableSeq;
        final Map<String, Long> acked = new TreeMap<>();
        final Map<String, Long> sentUpTo = new TreeMap<>();
        /** The receive vector version the last frame to each peer carried, and when a frame last went there. */
        final Map<String, Long> vectorSent = new TreeMap<>();
        final Map<String, Long> lastSentAt = new TreeMap<>();
        long recordedSeq;
        final Set<String> waiting = new HashSet<>();
        final List<String> answerTo = new ArrayList<>();
        final List<Runnable> inbox = new ArrayList<>();
        boolean burstScheduled;
        /** Whether it was a member of its view at its last release (views: counts rejoins). */
        boolean wasMember = true;
        /** Crashed for good (views only): never restarted. */
        boolean crashedForGood;
        /** The bank being added, started with an empty disk: asking the members for its first snapshot. */
        boolean awaitingTransfer;
        /** When a frame or an answer of each peer last arrived (views: the failure detector). */
        final Map<String, Long> lastHeard = new TreeMap<>();
        /** The latest outcome this node handed its machine, in any incarnation: a restart must know it at once. */
        Outcome lastHanded;

        SimNode(String id) {
            this.id = id;
            this.disk = new SimDisk(random);
        }

        void boot() {
            if (id.equals(joiner)) {
                if (!joinerStarted || awaitingTransfer) {
                    return; // not started by the operator yet, or waiting for its first snapshot
                }
                if (new SnapshotStore(disk).readAll().isEmpty()
                        && new SegmentLog(disk, params.segmentBytes(), true).segmentNumbers().isEmpty()) {
                    awaitingTransfer = true; // a bank new to the consortium: its first snapshot comes from a member
                    note(id + " starts with an empty disk: it asks the members for its first snapshot");
                    askTransfer();
                    return;
                }
            }
            incarnation++;
            int inc = incarnation;
            StateMachine inner = machines.apply(id, List.copyOf(ids));
            machine = inner;
            StateMachine recording = new StateMachine() {
                @Override
                public Set<String> voters(Operation op) {
                    return inner.voters(op);
                }

                @Override
                public Vote vote(Operation op) {
                    return inner.vote(op);
                }

                @Override
                public void restoreVote(Operation op, Vote logged) {
                    inner.restoreVote(op, logged);
                }

                @Override
                public void decide(Operation op, Outcome outcome) {
                    if (inc == incarnation) {
                        decided(id, outcome); // a replay at boot is checked against the canonical order too
                        checkFinal(id, outcome, "handed its machine");
                        if (lastHanded == null || outcome.position() > lastHanded.position()) {
                            lastHanded = outcome;
                        }
                    }
                    inner.decide(op, outcome);
                }

                @Override
                public byte[] snapshot() {
                    return inner.snapshot();
                }

                @Override
                public byte[] snapshotFor(String bank) {
                    return inner.snapshotFor(bank);
                }

                @Override
                public void restore(byte[] state) {
                    inner.restore(state);
                }

                @Override
                public long appliedPosition() {
                    return inner.appliedPosition();
                }

                @Override
                public java.util.Optional<Outcome> outcomeOf(String opId) {
                    return inner.outcomeOf(opId);
                }

                @Override
                public Set<String> retiredBanks() {
                    return inner.retiredBanks();
                }
            };
            // ballot timing in 30 ms ticks: wait 600 ms for the other members' promises, retry after 1.2 s
            core = new ProtocolCore(id, ids, recording, params.recentOutcomes(), org.distribank.consortium.core
                    .ViewBallot.Options.builder().patienceTicks(20).retryTicks(40).ticksPerRank(6).build());
            core.viewChanges(views);
            if (joiner != null) {
                List<String> founders = new ArrayList<>(ids);
                founders.remove(joiner);
                core.initialBanks(founders);
            }
            core.stallTicks(60); // 1.8 s of 30 ms ticks
            codec = new WireCodec(ids);
            outbox = new Outbox();
            durableSeq = 0;
            recordedSeq = 0;
            vectorSent.clear();
            lastSentAt.clear();
            lastHeard.clear();
            for (String p : ids) {
                lastHeard.put(p, now); // a fresh detector gives every peer its full timeout
            }
            waiting.clear();
            answerTo.clear();
            inbox.clear();
            burstScheduled = false;
            log = new SegmentLog(disk, params.segmentBytes(), true);
            snapshotter = new Snapshotter(id, ids, new SnapshotStore(disk), log, params.snapshotEveryOps(), 0);
            up = true;
            note("boot " + id + " #" + inc);
            try {
                LogPosition from = snapshotter.recover(core, machine.appliedPosition());
                if (from != null) {
                    snapshotRestores++;
                    note(id + " starts from its snapshot at position " + core.deliveredCount());
                }
                log.open(from, core::replay);
                madeDurable(); // what it replayed is on its disk
                core.finishReplay();
                if (views) {
                    note(id + " replayed: epoch " + core.view().epoch() + ", promised " + core.decision().epoch()
                            + (core.isWedged() ? ", wedged" : "") + ", holds " + core.held());
                }
                if (lastHanded != null && core.outcome(lastHanded.id()).isEmpty()) {
                    // its machine (a bank's balances) would serve without a decision it had applied and answered
                    fail(id + " restarted without knowing " + lastHanded.id() + " at position "
                            + lastHanded.position() + ", which it had decided before the crash");
                }
                for (String p : ids) {
                    if (!p.equals(id)) {
                        acked.put(p, core.linkAcked(p));
                        sentUpTo.put(p, core.linkAcked(p));
                    }
                }
                ReadyRunner.run(core, core.ready(), this);
                rebuildIfAsked();
            } catch (StorageFailure e) {
                stopOn(e);
                return;
            }
            pump();
        }

        /** The bank being added asks a random other node for its first snapshot, every 200 ms until it has one. */
        void askTransfer() {
            if (!awaitingTransfer) {
                return;
            }
            List<String> others = new ArrayList<>(ids);
            others.remove(id);
            String from = others.get(random.nextInt(others.size()));
            transmit(id, from, () -> nodes.get(from).serveTransfer(id), id + " asks " + from + " for its first snapshot");
            schedule(200, this::askTransfer, null);
        }

        /** A member's answer to a joining bank (between bursts, as the node's driver takes it): null if it cannot. */
        void serveTransfer(String asker) {
            if (!up) {
                return;
            }
            byte[] body = core.transferTo(asker, unacked());
            if (body == null) {
                note(id + " cannot hand " + asker + " a first snapshot: " + core.transferRefusal(asker));
                step(() -> { }); // (the ACK it may owe, whose clock the next transfer names, goes with a burst)
                return;
            }
            long position = core.deliveredCount();
            note(id + " hands " + asker + " its first snapshot at position " + position + ", epoch "
                    + core.view().epoch() + " " + core.view().members() + " of " + core.view().banks());
            transmit(id, asker, () -> nodes.get(asker).installTransfer(position, body), null);
        }

        /** Written as its own snapshot at the start of its empty log (forced), then it boots from it. */
        void installTransfer(long position, byte[] body) {
            if (!awaitingTransfer) {
                return;
            }
            try {
                new SnapshotStore(disk).write(position, now, LogPosition.START, body);
            } catch (StorageFailure e) {
                note(id + " could not write its first snapshot: " + e.getMessage());
                return;
            }
            awaitingTransfer = false;
            transfers++;
            note(id + " wrote its first snapshot at position " + position);
            boot();
        }

        /** The core found itself past a view's cut and logged a rebuild: restart it (its replay leaves that out). */
        void rebuildIfAsked() {
            org.distribank.consortium.core.ViewProposal voided = up ? core.takeRebuild() : null;
            if (voided != null) {
                rebuilds++;
                // the checker's own books: what it left out is held nowhere now, and its own numbers are reused
                long[] d = durable.get(id);
                for (int i = 0; d != null && i < peerOrder.length; i++) {
                    d[i] = Math.min(d[i], voided.cut().getOrDefault(peerOrder[i], 0L));
                }
                long ownCut = voided.cut().getOrDefault(id, 0L);
                opSeqs.entrySet().removeIf(e -> e.getKey().startsWith(id + "|") && e.getValue() > ownCut);
                voteSeqs.entrySet().removeIf(e -> e.getKey().startsWith(id + "|") && e.getValue() > ownCut);
                crash("rebuild: restart");
                restartPending = true;
                schedule(1, () -> restart(id), "restart " + id + " to rebuild");
            }
        }

        /** One burst: the step, the links' acks, the end of the burst, then the Ready carried out. */
        /**
         * An event for this node's protocol thread. Like the real one, it gathers what arrives while it is
         * busy into one burst: a burst starts after a random pause of 0 to {@code burstWindowMs}.
         */
        void step(Runnable what) {
            if (!up) {
                return;
            }
            inbox.add(what);
            if (!burstScheduled) {
                burstScheduled = true;
                int inc = incarnation;
                schedule(random.nextInt((int) params.burstWindowMs() + 1), () -> {
                    if (inc == incarnation) {
                        burst();
                    }
                }, null);
            }
        }

        private void burst() {
            burstScheduled = false;
            if (!up) {
                return;
            }
            List<Runnable> events = new ArrayList<>(inbox);
            inbox.clear();
            for (Runnable r : events) {
                r.run();
            }
            for (Map.Entry<String, Long> a : acked.entrySet()) {
                core.linkAcked(a.getKey(), a.getValue());
            }
            core.endBurst(true);
            try {
                ReadyRunner.run(core, core.ready(), this);
                for (int again = 0; again < 3 && core.hasVotesToSend(); again++) {
                    core.endBurst(true); // votes that waited for the burst's decisions, as the node's driver does
                    ReadyRunner.run(core, core.ready(), this);
                }
                if (views && core.isPastCut()) {
                    rebuildIfAsked();
                    if (!up) {
                        return;
                    }
                }
                afterBurst();
            } catch (StorageFailure e) {
                stopOn(e);
                return;
            }
            pump();
        }

        /** As the node's driver: truncate below every member's restartable snapshot, take one when due. */
        private void afterBurst() {
            outbox.snapshotPosition(snapshotter.maintain(machine.appliedPosition(), core::heldByAMajority));
            if (!snapshotter.due(core.deliveredCount())) {
                return;
            }
            Snapshotter.Taken t = snapshotter.take(core, unacked(), now);
            if (t != null) {
                try {
                    snapshotter.written(snapshotter.write(t));
                } catch (StorageFailure e) {
                    snapshotter.writeFailed();
                    throw e;
                }
                snapshotsTaken++;
                note(id + " snapshot at position " + t.position() + " (log " + t.log() + ")");
            }
        }

        /** This node's own messages some peer has not acknowledged: what a snapshot or a joiner's must hold. */
        List<Ready.Outgoing> unacked() {
            long minAck = Long.MAX_VALUE;
            for (String p : ids) {
                if (!p.equals(id)) {
                    minAck = Math.min(minAck, core.linkAcked(p));
                }
            }
            List<Ready.Outgoing> unacked = new ArrayList<>();
            for (Map.Entry<Long, String> m : outbox.after(minAck)) {
                unacked.add(new Ready.Outgoing(m.getKey(), m.getValue()));
            }
            return unacked;
        }

        void stopOn(StorageFailure e) {
            failStops++;
            note(id + " fail-stop: " + e.getMessage());
            crash("fail-stop");
        }

        void crash(String why) {
            crashes++;
            note(why + " " + id + " (disk keeps what was forced)");
            up = false;
            disk.crash(random.nextBoolean());
            disk.reboot();
            core = null;
            log = null;
        }

        /** Sends what is durable and not yet sent on each link, with this node's ack for the other way. */
        void pump() {
            if (!up) {
                return;
            }
            for (String p : ids) {
                if (p.equals(id)) {
                    continue;
                }
                long from = sentUpTo.get(p);
                long version = outbox.vectorVersion();
                boolean sent = false;
                while (from < durableSeq) {
                    long to = Math.min(durableSeq, from + MAX_BATCH);
                    String json = outbox.batchBetween(id, from, to, core.received(p));
                    if (json == null) {
                        break; // trimmed: the peer acknowledged it
                    }
                    send(p, json);
                    sent = true;
                    from = to;
                }
                sentUpTo.put(p, Math.max(sentUpTo.get(p), durableSeq));
                long last = vectorSent.getOrDefault(p, 0L);
                if (!sent && version > 0 && (last == 0 || outbox.newsVersion() > last)) {
                    send(p, outbox.vectorFrame(id, core.received(p))); // news of what this node holds, alone
                    sent = true;
                }
                if (sent) {
                    vectorSent.put(p, version);
                    lastSentAt.put(p, now);
                }
            }
        }

        private void send(String to, String json) {
            transmit(id, to, () -> nodes.get(to).onFrame(id, json), id + " -> " + to + " " + describeBatch(json));
        }

        private String describeBatch(String json) {
            WireBatch b = codec.readBatch(json);
            StringBuilder sb = new StringBuilder("batch ack=" + b.ack());
            for (var m : b.messages()) {
                sb.append(' ').append(m.seq()).append(':').append(m.type());
                if (m.id() != null) {
                    sb.append('(').append(m.id()).append(')');
                }
                if (m.votes() != null) {
                    m.votes().forEach(v -> sb.append('(').append(v.id()).append(v.yes() ? " yes" : " no").append(')'));
                }
            }
            return sb.toString();
        }

        void onFrame(String from, String json) {
            if (!up) {
                return;
            }
            lastHeard.put(from, now);
            WireBatch batch = codec.readBatch(json);
            if (batch.ack() != null) {
                onAck(from, batch.ack());
            }
            if (batch.snap() != null) {
                snapshotter.peerPosition(from, batch.snap());
            }
            step(() -> {
                String refusal = core.receive(from, batch, json);
                if (refusal != null) {
                    fail(id + " refused an honest batch from " + from + ": " + refusal);
                }
                answerTo.add(from);
            });
        }

        void onAck(String from, long upTo) {
            if (up) {
                lastHeard.put(from, now);
            }
            if (up && upTo <= durableSeq && upTo > acked.get(from)) {
                acked.put(from, upTo);
            }
        }

        // --- ReadyRunner.Io ---

        @Override
        public void publish(Ready.Event event) {
        }

        @Override
        public void enqueue(Ready.Outgoing message) {
            outbox.put(message.seq(), message.json());
        }

        @Override
        public void trim(long seq) {
            outbox.trimThrough(seq);
        }

        @Override
        public void append(LogRecord record) {
            log.append(record.encode());
        }

        @Override
        public void sync() {
            log.sync();
            madeDurable();
        }

        /** The checker's record of what this node's disk holds for sure (the core is not stepped within a Ready). */
        void madeDurable() {
            long[] rv = core.receiveVector();
            long[] d = durable.computeIfAbsent(id, k -> new long[rv.length]);
            for (int i = 0; i < rv.length; i++) {
                d[i] = Math.max(d[i], rv[i]);
            }
        }

        @Override
        public void release(long seq) {
            durableSeq = seq;
            for (Map.Entry<Long, String> m : outbox.after(recordedSeq)) {
                if (m.getKey() > seq) {
                    break;
                }
                var msg = codec.readMessage(m.getValue());
                if (msg.type().equals(org.distribank.consortium.wire.WireMessage.OP)) {
                    opSeqs.putIfAbsent(id + "|" + msg.id(), msg.seq());
                } else if (msg.votes() != null) {
                    msg.votes().forEach(b -> voteSeqs.putIfAbsent(id + "|" + b.id(), msg.seq()));
                }
            }
            recordedSeq = Math.max(recordedSeq, seq);
            outbox.receiveVector(core.receiveVector(), core.takeVectorNews()); // durable now, as the node's driver does
            outbox.epoch(core.view().epoch());
            boolean member = core.view().isMember(id);
            if (member && id.equals(joiner) && !joined) {
                joined = true;
                note(id + " orders as a member of epoch " + core.view().epoch());
            }
            if (member && !wasMember) {
                rejoins++;
                note(id + " is a member again in epoch " + core.view().epoch());
            }
            wasMember = member;
            pump(); // as a node's links do when signalled: at once
        }

        @Override
        public void report(Outcome outcome) {
            if (waiting.remove(outcome.id())) {
                answered(id, outcome);
            }
        }

        @Override
        public void rewind(long seq) {
            outbox.rewind(seq);
            durableSeq = Math.min(durableSeq, seq);
            recordedSeq = Math.min(recordedSeq, seq);
            sentUpTo.replaceAll((p, s) -> Math.min(s, seq));
            long[] d = durable.get(id);
            if (d != null) {
                d[java.util.Arrays.asList(peerOrder).indexOf(id)] = seq; // its void numbers are reused
            }
            opSeqs.entrySet().removeIf(e -> e.getKey().startsWith(id + "|") && e.getValue() > seq);
            voteSeqs.entrySet().removeIf(e -> e.getKey().startsWith(id + "|") && e.getValue() > seq);
            note(id + " takes back its messages past " + seq);
        }

        @Override
        public void sendBallot(org.distribank.consortium.core.BallotReady.Envelope e) {
            if (e.to().equals(id)) {
                return; // the ballot handles its own messages
            }
            transmit(id, e.to(), () -> {
                SimNode to = nodes.get(e.to());
                if (to.up) {
                    to.lastHeard.put(id, now);
                    to.step(() -> to.core.ballotMessage(id, e.message()));
                }
            }, id + " -> " + e.to() + " ballot " + e.message());
        }

        @Override
        public void fetch(Map<String, long[]> wanted) {
            List<String> others = new ArrayList<>(ids);
            others.remove(id);
            String from = others.get(random.nextInt(others.size()));
            note(id + " fetches " + describeRanges(wanted) + " from " + from);
            transmit(id, from, () -> nodes.get(from).serveFetch(id, wanted), null);
        }

        /** Relays what this node holds of {@code wanted} (durably: between bursts, every Ready was carried out). */
        void serveFetch(String asker, Map<String, long[]> wanted) {
            if (!up) {
                return;
            }
            Map<String, List<String>> answer = new TreeMap<>();
            wanted.forEach((bank, range) -> {
                List<String> msgs = new ArrayList<>();
                if (bank.equals(id)) {
                    for (Map.Entry<Long, String> m : outbox.after(range[0])) {
                        if (m.getKey() > Math.min(range[1], durableSeq) || m.getKey() != range[0] + msgs.size() + 1) {
                            break;
                        }
                        msgs.add(m.getValue());
                    }
                } else {
                    msgs.addAll(core.relay(bank, range[0], Math.min(range[1], core.received(bank))));
                }
                if (!msgs.isEmpty()) {
                    answer.put(bank, msgs);
                }
            });
            if (answer.isEmpty()) {
                return;
            }
            transmit(id, asker, () -> {
                SimNode to = nodes.get(asker);
                if (to.up) {
                    to.step(() -> answer.forEach((bank, msgs) -> {
                        String refusal = to.core.relayed(bank, msgs);
                        if (refusal != null) {
                            fail(asker + " refused messages of " + bank + " relayed by " + id + ": " + refusal);
                        }
                    }));
                }
            }, id + " -> " + asker + " relays " + answer.keySet());
        }

        private String describeRanges(Map<String, long[]> wanted) {
            StringBuilder sb = new StringBuilder();
            wanted.forEach((b, r) -> sb.append(b).append('(').append(r[0]).append(',').append(r[1]).append("] "));
            return sb.toString().trim();
        }

        @Override
        public void answerInbound() {
            for (String from : answerTo) {
                long upTo = core.received(from);
                transmit(id, from, () -> nodes.get(from).onAck(id, upTo), id + " -> " + from + " ack " + upTo);
            }
            answerTo.clear();
        }
    }
}
