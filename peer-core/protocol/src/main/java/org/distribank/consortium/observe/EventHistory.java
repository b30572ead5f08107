package org.distribank.consortium.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.distribank.consortium.entity.ProtocolEvent;
import org.distribank.consortium.storage.SegmentFiles;
import org.distribank.consortium.storage.SegmentLog;
import org.distribank.consortium.storage.StorageFailure;
import org.distribank.consortium.transport.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's recent protocol events on disk, so an observer can go back to what happened before it looked, and across
 * restarts. It is a {@link SegmentLog} of its own ({@code events-NNNNNNNN.seg}) beside the protocol's log in the
 * node's directory, bounded by count and age: whole segments are deleted, oldest first, once the others hold
 * {@code maxEvents}, or once every event in one is older than {@code maxAgeMs}; events older than that are never
 * replayed either. So it holds at most {@code maxEvents} plus one segment's.
 *
 * <p>A writer thread of its own appends and forces the events in batches, at most one force every
 * {@value #SYNC_EVERY_MS} ms, so the protocol thread never waits on it and the protocol's log keeps the disk: a crash
 * loses the events of the last few milliseconds, which the protocol never acknowledged to anyone. A history that
 * cannot be written stops recording and says why ({@link #failure()}); the node goes on, as its protocol state does
 * not depend on it.
 *
 * <p>Each record is the event's index and time (16 bytes, read without parsing at open) then its JSON.
 */
public final class EventHistory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventHistory.class);
    static final long SYNC_EVERY_MS = 20;
    private static final int QUEUE = 50_000;
    private static final int BATCH = 4_096;

    /** What one segment holds: the writer adds to the newest, readers copy the map under the lock. */
    private static final class Segment {
        long firstIndex = Long.MAX_VALUE;
        long lastIndex;
        long lastTimeMs;
        int count;

        void add(long index, long timeMs) {
            firstIndex = Math.min(firstIndex, index);
            lastIndex = Math.max(lastIndex, index);
            lastTimeMs = Math.max(lastTimeMs, timeMs);
            count++;
        }
    }

    private final SegmentLog log;
    private final int maxEvents;
    private final long maxAgeMs;
    private final LongSupplier clockMs;
    private final ArrayBlockingQueue<ProtocolEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final TreeMap<Integer, Segment> segments = new TreeMap<>();
    private volatile long durableIndex;
    private volatile String failure;
    private volatile boolean stopping;
    private long dropped;
    private Thread writer;

    /**
     * @param files        the node's directory (the crash-testing wrapper in tests)
     * @param maxEvents    most events kept (plus one segment's)
     * @param maxAgeMs     events older than this are deleted with their segment and never replayed
     * @param segmentBytes size of one segment file
     */
    public EventHistory(SegmentFiles files, int maxEvents, long maxAgeMs, long segmentBytes, boolean fsync,
                        LongSupplier clockMs) {
        if (maxEvents < 1 || maxAgeMs < 1) {
            throw new IllegalArgumentException("an event history keeps at least one event for at least 1 ms");
        }
        this.log = new SegmentLog(files, "events", segmentBytes, fsync);
        this.maxEvents = maxEvents;
        this.maxAgeMs = maxAgeMs;
        this.clockMs = clockMs;
    }

    /**
     * Reads what is on disk (repairing a torn tail) and starts the writer. @return the index of the newest event kept,
     * 0 when none: the node numbers its next events after it
     */
    public synchronized long open() {
        try {
            log.scan(null, (at, rec) -> {
                ByteBuffer b = ByteBuffer.wrap(rec);
                segments.computeIfAbsent(at.segment(), k -> new Segment()).add(b.getLong(), b.getLong());
            });
            log.open(null, rec -> { });
        } catch (StorageFailure e) {
            stopRecording(e);
            return 0;
        }
        durableIndex = segments.values().stream().mapToLong(s -> s.lastIndex).max().orElse(0);
        writer = new Thread(this::write, "event-history");
        writer.setDaemon(true);
        writer.start();
        return durableIndex;
    }

    /** Queues an event to be written, in index order (the caller's lock orders them); never blocks. */
    public void offer(ProtocolEvent e) {
        if (failure == null && !queue.offer(e)) {
            synchronized (this) {
                if (dropped++ % 10_000 == 0) {
                    LOG.warn("{}: event history behind, {} events not kept", e.self(), dropped);
                }
            }
        }
    }

    /** The index of the newest event on disk. */
    public long durableIndex() {
        return durableIndex;
    }

    /** Why recording stopped, or null while it records. */
    public String failure() {
        return failure;
    }

    /**
     * Waits (at most {@code timeoutMs}) until the events up to {@code index} are on disk, or as far as they will be
     * (a failed or stopped history). @return whether they are
     */
    public boolean awaitDurable(long index, long timeoutMs) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (this) {
            while (durableIndex < index && failure == null && !stopping) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return durableIndex >= index;
    }

    /**
     * Gives {@code sink} the kept events with an index in ({@code afterIndex}, {@code uptoIndex}] and a time at or
     * after {@code fromMs}, oldest first, reading one segment at a time from disk (a segment deleted meanwhile by
     * the bounds is passed over: those events are no longer kept).
     */
    public void replay(long afterIndex, long uptoIndex, long fromMs, Consumer<ProtocolEvent> sink) {
        List<Integer> wanted = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<Integer, Segment> s : segments.entrySet()) {
                Segment g = s.getValue();
                if (g.count > 0 && g.lastIndex > afterIndex && g.firstIndex <= uptoIndex && g.lastTimeMs >= fromMs) {
                    wanted.add(s.getKey());
                }
            }
        }
        long from = Math.max(fromMs, clockMs.getAsLong() - maxAgeMs);
        for (int no : wanted) {
            List<byte[]> records = new ArrayList<>();
            try {
                log.readSegment(no, records::add);
            } catch (IOException e) {
                continue; // deleted by the bounds since: its events are no longer kept
            }
            for (byte[] rec : records) {
                ByteBuffer b = ByteBuffer.wrap(rec);
                long index = b.getLong();
                long time = b.getLong();
                if (index > afterIndex && index <= uptoIndex && time >= from) {
                    sink.accept(Json.GSON.fromJson(new String(rec, 16, rec.length - 16, StandardCharsets.UTF_8),
                            ProtocolEvent.class));
                }
            }
        }
    }

    /** How many events are on disk now (at most {@code maxEvents} plus one segment's). */
    public synchronized long size() {
        return segments.values().stream().mapToLong(s -> s.count).sum();
    }

    private void write() {
        List<ProtocolEvent> batch = new ArrayList<>(BATCH);
        long lastSync = 0;
        try {
            while (true) {
                ProtocolEvent first = queue.poll(200, TimeUnit.MILLISECONDS); // bounded: notices a stop
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                long wait = lastSync + SYNC_EVERY_MS - System.currentTimeMillis();
                if (wait > 0 && !stopping) {
                    Thread.sleep(wait); // pacing, not synchronization: fewer forces, the protocol's log keeps the disk
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (ProtocolEvent e : batch) {
                    log.append(encode(e));
                }
                log.sync();
                lastSync = System.currentTimeMillis();
                int segment = log.position().segment();
                synchronized (this) {
                    Segment s = segments.computeIfAbsent(segment, k -> new Segment());
                    for (ProtocolEvent e : batch) {
                        s.add(e.index(), e.timeMs());
                    }
                    durableIndex = batch.get(batch.size() - 1).index();
                    notifyAll();
                }
                batch.clear();
                dropOld();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // abandoned: what was not forced is lost, as in a crash
        } catch (StorageFailure e) {
            stopRecording(e);
        }
    }

    /** Deletes the oldest segments beyond the bounds; never the one being written. */
    private void dropOld() {
        long oldest = clockMs.getAsLong() - maxAgeMs;
        while (true) {
            int first;
            synchronized (this) {
                if (segments.size() < 2) {
                    return;
                }
                Map.Entry<Integer, Segment> e = segments.firstEntry();
                long others = segments.values().stream().mapToLong(s -> s.count).sum() - e.getValue().count;
                if (others < maxEvents && e.getValue().lastTimeMs >= oldest) {
                    return;
                }
                first = e.getKey();
                segments.remove(first);
            }
            log.truncateBefore(new org.distribank.consortium.storage.LogPosition(first + 1, 0));
        }
    }

    private static byte[] encode(ProtocolEvent e) {
        byte[] json = Json.GSON.toJson(e).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + json.length).putLong(e.index()).putLong(e.timeMs()).put(json).array();
    }

    private synchronized void stopRecording(StorageFailure e) {
        failure = e.getMessage();
        queue.clear();
        notifyAll();
        LOG.error("event history stopped recording: {}", e.getMessage());
    }

    /** Writes what is queued, then closes. */
    @Override
    public void close() {
        stop(true);
    }

    /** A crash: what was not forced is lost. */
    public void abandon() {
        stop(false);
    }

    private void stop(boolean graceful) {
        Thread w;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            notifyAll();
            w = writer;
        }
        if (w != null) {
            if (!graceful) {
                w.interrupt();
            }
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (graceful && failure == null) {
            try {
                log.close();
            } catch (StorageFailure e) {
                LOG.warn("event history: closing failed: {}", e.getMessage());
            }
        } else {
            log.abandon();
        }
    }
}
