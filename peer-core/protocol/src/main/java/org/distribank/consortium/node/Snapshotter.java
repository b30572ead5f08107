package org.distribank.consortium.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.distribank.consortium.core.ProtocolCore;
import org.distribank.consortium.core.Ready;
import org.distribank.consortium.storage.LogPosition;
import org.distribank.consortium.storage.SegmentLog;
import org.distribank.consortium.storage.SnapshotStore;
import org.distribank.consortium.storage.StorageFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's snapshots and log truncation (PROTOCOL.md, "Snapshots"), for the node's driver and the simulator alike.
 * Protocol thread only, except {@link #write}, {@link #peerPosition} and the readers of the last snapshot.
 *
 * <ul>
 *   <li><b>Restart</b> ({@link #recover}): the newest valid snapshot at or below the machine's applied position,
 *       else the oldest one the log still continues (it was the truncation base, which was applied when it became
 *       one), else the whole log; then the log from that snapshot's position on.</li>
 *   <li><b>Taking one</b> ({@link #take}): between bursts, once {@code everyOps} deliveries or {@code everyBytes}
 *       log bytes passed since the last; the core (and machine) serialise on the protocol thread, the file is
 *       written ({@link #write}) on any thread.</li>
 *   <li><b>Truncation</b> ({@link #maintain}): this node's restartable position is its newest snapshot at or below
 *       its applied position; peers tell theirs on their batches. Below the minimum over all members, the newest own
 *       snapshot there is the base: the segments wholly before it and the older snapshot files are deleted.</li>
 * </ul>
 */
public final class Snapshotter {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** Snapshots kept besides the truncation base: the newest few (a restart wants one at or below applied). */
    private static final int KEEP_NEWEST = 3;

    /** A snapshot serialised at a quiescent point, to be written. */
    public record Taken(long position, long atMillis, LogPosition log, byte[] body, long serialiseNanos,
                        Map<String, Long> held) {
    }

    private final String self;
    private final List<String> others;
    private final SnapshotStore store;
    private final SegmentLog log;
    private final long everyOps;
    private final long everyBytes;
    /** Own durable snapshots, oldest first. */
    private final List<SnapshotStore.Meta> snapshots = new ArrayList<>();
    /** What each own snapshot holds per peer ({@code ProtocolCore.heldIn}), by file name. */
    private final Map<String, Map<String, Long>> heldBy = new ConcurrentHashMap<>();
    /**
     * The snapshots a majority of the members hold everything of: never past a view's cut, so a rebuild can start
     * from them; only they are restartable and truncation bases (names; once safe, always safe).
     */
    private final java.util.Set<String> safe = ConcurrentHashMap.newKeySet();
    private Map<String, Long> writingHeld;
    private final Map<String, Long> peerPositions = new ConcurrentHashMap<>();
    private long lastTakenPosition;
    private long lastTakenWritten;
    private boolean writing;
    private boolean unsupported;
    private LogPosition base;
    private volatile SnapshotStore.Meta latest;
    private volatile long restartable;
    private volatile long lastSerialiseNanos;
    private volatile long lastWriteNanos;

    public Snapshotter(String self, List<String> peerIds, SnapshotStore store, SegmentLog log, long everyOps,
                       long everyBytes) {
        this.self = self;
        this.others = peerIds.stream().filter(p -> !p.equals(self)).toList();
        this.store = store;
        this.log = log;
        this.everyOps = everyOps;
        this.everyBytes = everyBytes;
    }

    /**
     * Restores {@code core} from the snapshot a restart starts at, if any, after the core's first pass over the log
     * ({@code ProtocolCore.prescan}, from that snapshot's position or earlier). Call before opening the log.
     *
     * @param applied the machine's applied position ({@link org.distribank.consortium.StateMachine#appliedPosition})
     * @return where the log's replay starts (null: its first segment)
     */
    public LogPosition recover(ProtocolCore core, long applied) {
        List<SnapshotStore.Loaded> all = store.readAll();
        List<Integer> segments = log.segmentNumbers();
        int first = segments.isEmpty() ? Integer.MAX_VALUE : segments.get(0);
        // a joining bank's log starts at its first snapshot, which a member handed it (PROTOCOL.md "Adding a bank"):
        // a snapshot of a later position than 0 at the very start of the log; the log alone rebuilds nothing then
        boolean transferred = all.stream().anyMatch(l -> l.meta().log().equals(LogPosition.START)
                && l.meta().position() > 0);
        boolean wholeLog = !transferred && (segments.isEmpty() ? all.isEmpty() : first == 1);
        List<SnapshotStore.Loaded> usable = new ArrayList<>();
        for (SnapshotStore.Loaded l : all) {
            if (segments.isEmpty() || l.meta().log().segment() >= first) {
                usable.add(l);
            }
        }
        for (SnapshotStore.Loaded l : usable) {
            try {
                heldBy.put(l.meta().name(), ProtocolCore.heldIn(l.body()));
            } catch (IllegalArgumentException e) {
                heldBy.put(l.meta().name(), Map.of()); // restoring it fails below, saying why
            }
        }
        // a rebuild (Z records in the log) leaves out what is past a view's cut: a snapshot older than the record that
        // holds some of it cannot be replayed without it, so the newest one within the cut of every later record is
        // chosen (the log continues from it: only snapshots a majority held everything of, never past any cut, became
        // truncation bases). The one pass over the log is also the core's first pass (prescan): a rebuild record
        // before the snapshot chosen is one its state has installed, which the core's replay skips
        java.util.TreeMap<LogPosition, Map<String, Long>> cuts = new java.util.TreeMap<>(POSITION_ORDER);
        if (!usable.isEmpty() || wholeLog) {
            log.scan(wholeLog ? null : usable.get(0).meta().log(), (at, r) -> {
                core.prescan(r);
                Map<String, Long> cut = ProtocolCore.voidedCut(r);
                if (cut != null) {
                    cuts.put(at, cut);
                }
            });
        }
        List<SnapshotStore.Loaded> fitting = new ArrayList<>();
        for (SnapshotStore.Loaded l : usable) {
            if (withinCuts(heldBy.get(l.meta().name()), cuts.tailMap(l.meta().log()).values())) {
                fitting.add(l);
            }
        }
        if (fitting.size() < usable.size()) {
            LOG.info("{}: {} of its snapshots hold messages past the cut of a view it must rebuild for: not used",
                    self, usable.size() - fitting.size());
        }
        List<SnapshotStore.Loaded> candidates = fitting.isEmpty() && !wholeLog ? usable : fitting;
        SnapshotStore.Loaded chosen = null;
        for (SnapshotStore.Loaded l : candidates) {
            if (l.meta().position() <= applied) {
                chosen = l; // oldest first: the last that fits is the newest
            }
        }
        if (chosen == null && !wholeLog) {
            if (usable.isEmpty()) {
                throw new StorageFailure("the log starts at segment " + first + " and no snapshot continues it: "
                        + "this node cannot rebuild its state from its own data", null);
            }
            chosen = candidates.get(0);
        }
        for (SnapshotStore.Loaded l : usable) {
            if (chosen != null && l.meta().position() >= chosen.meta().position()) {
                snapshots.add(l.meta());
            }
        }
        if (chosen == null) {
            LOG.info("{}: no snapshot to start from: replaying the whole log", self);
            return null;
        }
        core.restore(chosen.body());
        latest = chosen.meta();
        lastTakenPosition = chosen.meta().position();
        base = chosen.meta().log();
        LOG.info("{}: restored snapshot {} (position {}); replaying the log after it", self, chosen.meta().name(),
                chosen.meta().position());
        return chosen.meta().log();
    }

    private static final java.util.Comparator<LogPosition> POSITION_ORDER =
            java.util.Comparator.comparingInt(LogPosition::segment).thenComparingLong(LogPosition::offset);

    private static boolean withinCuts(Map<String, Long> held, java.util.Collection<Map<String, Long>> cuts) {
        for (Map<String, Long> cut : cuts) {
            for (Map.Entry<String, Long> h : held.entrySet()) {
                if (h.getValue() > cut.getOrDefault(h.getKey(), 0L)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a snapshot is due (and none is being written). */
    public boolean due(long delivered) {
        if (writing || unsupported || (everyOps <= 0 && everyBytes <= 0)) {
            return false;
        }
        return (everyOps > 0 && delivered - lastTakenPosition >= everyOps)
                || (everyBytes > 0 && log.written() - lastTakenWritten >= everyBytes);
    }

    /**
     * Serialises the core and its machine now, at a quiescent point right after a Ready was carried out, or
     * returns null (the machine cannot be snapshotted, or the core is mid-burst).
     *
     * @throws StorageFailure if the log's buffered records cannot be made durable first
     */
    public Taken take(ProtocolCore core, List<Ready.Outgoing> unacked, long nowMillis) {
        if (!core.quiescent()) {
            return null;
        }
        // Link acks ride the next sync and may be buffered: write them now, so that the snapshot's log position is
        // known. Returning "next time" instead starved snapshots: with final outcomes, the burst that decides is
        // often one of vector frames, which needs no sync, and an idle node has no next time.
        log.sync();
        LogPosition at = log.position();
        long t0 = System.nanoTime();
        byte[] body = core.snapshot(unacked);
        long nanos = System.nanoTime() - t0;
        Map<String, Long> held = core.held();
        if (body == null) {
            unsupported = true;
            LOG.info("{}: the state machine cannot be snapshotted: the whole log is kept", self);
            return null;
        }
        writing = true;
        lastTakenPosition = core.deliveredCount();
        lastTakenWritten = log.written();
        lastSerialiseNanos = nanos;
        writingHeld = held;
        return new Taken(core.deliveredCount(), nowMillis, at, body, nanos, held);
    }

    /** Writes a taken snapshot durably (any thread). @throws StorageFailure if it may not be durable */
    public SnapshotStore.Meta write(Taken t) {
        long t0 = System.nanoTime();
        SnapshotStore.Meta m = store.write(t.position(), t.atMillis(), t.log(), t.body());
        lastWriteNanos = System.nanoTime() - t0;
        return m;
    }

    /** A written snapshot is durable (protocol thread). */
    public void written(SnapshotStore.Meta m) {
        writing = false;
        if (writingHeld != null) {
            heldBy.put(m.name(), writingHeld);
        }
        snapshots.add(m);
        latest = m;
        LOG.debug("{}: snapshot {} at position {}: serialised in {} µs (protocol thread), written in {} µs", self,
                m.name(), m.position(), lastSerialiseNanos / 1_000, lastWriteNanos / 1_000);
    }

    /** A write failed: the caller stops the node; nothing to undo. */
    public void writeFailed() {
        writing = false;
    }

    /** {@code peer} can restart on its own from {@code position} (it said so on a batch); any thread. */
    public void peerPosition(String peer, long position) {
        peerPositions.merge(peer, position, Math::max);
    }

    /**
     * Recomputes this node's restartable position and truncates below what every member can restart from.
     *
     * @return this node's restartable position (to tell the peers)
     */
    public long maintain(long applied) {
        return maintain(applied, held -> true);
    }

    /**
     * As {@link #maintain(long)}, counting as restartable, and as truncation bases, only the snapshots whose holdings
     * {@code majorityHolds} (a majority of the members hold everything of them, {@code ProtocolCore.heldByAMajority}):
     * such a snapshot is never past a view's cut, so a rebuild can start from it and the log it needs is kept.
     */
    public long maintain(long applied, java.util.function.Predicate<Map<String, Long>> majorityHolds) {
        for (SnapshotStore.Meta m : snapshots) {
            Map<String, Long> held = heldBy.get(m.name());
            if (!safe.contains(m.name()) && (held == null || majorityHolds.test(held))) {
                safe.add(m.name()); // (a snapshot from before this rule, its holdings unknown: as it was)
            }
        }
        long mine = 0;
        for (SnapshotStore.Meta m : snapshots) {
            if (m.position() <= applied && safe.contains(m.name())) {
                mine = m.position();
            }
        }
        restartable = mine;
        long floor = mine;
        for (String p : others) {
            floor = Math.min(floor, peerPositions.getOrDefault(p, 0L));
        }
        SnapshotStore.Meta newBase = null;
        for (SnapshotStore.Meta m : snapshots) {
            if (m.position() <= floor && m.position() > 0 && safe.contains(m.name())) {
                newBase = m;
            }
        }
        if (newBase != null && (base == null || !newBase.log().equals(base))) {
            base = newBase.log();
            int deleted = log.truncateBefore(base);
            List<SnapshotStore.Meta> keep = new ArrayList<>();
            int newerThanBase = 0;
            for (SnapshotStore.Meta m : snapshots) {
                if (m.position() > newBase.position()) {
                    newerThanBase++;
                }
            }
            List<Integer> segments = log.segmentNumbers();
            boolean startKept = !segments.isEmpty() && segments.get(0) == 1;
            for (SnapshotStore.Meta m : snapshots) {
                boolean isBase = m == newBase;
                boolean newer = m.position() > newBase.position();
                // a joining bank's first snapshot stays while its log's first segment does: that log alone does not
                // start at position 0, and only this file says so to a restart (recover)
                boolean first = startKept && m.log().equals(LogPosition.START) && m.position() > 0;
                if (isBase || first || (newer && newerThanBase-- <= KEEP_NEWEST)) {
                    keep.add(m);
                } else {
                    store.delete(m.name());
                    heldBy.remove(m.name());
                    safe.remove(m.name());
                }
            }
            snapshots.clear();
            snapshots.addAll(keep);
            LOG.debug("{}: log truncated below snapshot {} (every member can restart from position {}): {} segments "
                    + "deleted", self, newBase.name(), floor, deleted);
        }
        return mine;
    }

    /** The position (operations delivered) of the latest durable snapshot, 0 if none; any thread. */
    public long position() {
        SnapshotStore.Meta m = latest;
        return m == null ? 0 : m.position();
    }

    /** When the latest durable snapshot was taken (epoch ms), 0 if none; any thread. */
    public long atMillis() {
        SnapshotStore.Meta m = latest;
        return m == null ? 0 : m.atMillis();
    }

    /** How long the last snapshot held the protocol thread (serialising), in nanoseconds. */
    public long lastSerialiseNanos() {
        return lastSerialiseNanos;
    }

    /** How long the last snapshot's write (temp file, fsync, rename, directory fsync) took, in nanoseconds. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** This node's restartable position, as last computed. */
    public long restartable() {
        return restartable;
    }
}
