package org.distribank.consortium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of opaque records in segment files {@code log-NNNNNNNN.seg}. Each record is
 * framed as {@code [int length][int crc32][bytes]}. Appends are buffered in memory and written
 * plus forced by {@link #sync()} once per batch (group commit). Segments are preallocated with
 * zeros and overwritten in place, so an fdatasync flushes data only, not the file size (about
 * twice as fast on ext4); a zero length marks the end. On open, a torn or corrupt tail (a crash
 * mid-write) ends the replay and is zeroed. Not thread-safe: one writer thread.
 *
 * <p>Fail-stop: once a write, a force or a segment creation has failed, the log refuses everything
 * ({@link StorageFailure}): after a failed fsync the kernel may have dropped the dirty pages, so
 * nothing written since the last good sync can be trusted to be on disk, and retrying would hide it.
 */
public final class SegmentLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 << 20;

    private final SegmentFiles files;
    /** Segment files are {@code <prefix>-NNNNNNNN.seg}: another log (a bank's event history) can share the directory. */
    private final String prefix;
    private final long segmentBytes;
    private final boolean fsync;
    private final List<ByteBuffer> pending = new ArrayList<>();
    private SegmentFiles.SegmentFile current;
    private int segmentNo;
    private long segmentCapacity;
    private long position;
    private long pendingBytes;
    private StorageFailure failure;
    /** Capacity of each segment file on disk, by number (read by any thread through {@link #bytes()}). */
    private final java.util.TreeMap<Integer, Long> segmentSizes = new java.util.TreeMap<>();
    private volatile long bytes;
    /** Record bytes written since this log was opened (the snapshot trigger counts them). */
    private long written;
    private static final LongAdder SYNCS = new LongAdder();
    private static final LongAdder SYNC_NANOS = new LongAdder();

    /** Process-wide count of forced syncs and the nanoseconds spent in them (for the benchmark). */
    public static long[] syncStats() {
        return new long[] {SYNCS.sum(), SYNC_NANOS.sum()};
    }

    public SegmentLog(Path dir, long segmentBytes, boolean fsync) {
        this(new NioSegmentFiles(dir), segmentBytes, fsync);
    }

    public SegmentLog(SegmentFiles files, long segmentBytes, boolean fsync) {
        this(files, "log", segmentBytes, fsync);
    }

    /** A log whose segment files are {@code <prefix>-NNNNNNNN.seg}. */
    public SegmentLog(SegmentFiles files, String prefix, long segmentBytes, boolean fsync) {
        if (!prefix.matches("[a-z]+")) {
            throw new IllegalArgumentException("a segment prefix is lower-case letters, got " + prefix);
        }
        this.files = files;
        this.prefix = prefix;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /** Reads every intact record in order, repairs the tail, and opens the last segment for appending. */
    public void open(Consumer<byte[]> replay) {
        open(null, replay);
    }

    /** The segment numbers on disk, ascending. */
    public List<Integer> segmentNumbers() {
        try {
            files.createDirectory();
            return files.list().stream().filter(n -> isSegment(n))
                    .map(n -> number(n)).sorted().toList();
        } catch (IOException e) {
            throw fail("listing the log", e);
        }
    }

    /**
     * As {@link #open(Consumer)}, replaying only the records from {@code from} on (a snapshot holds what is
     * before); null: from the first segment on disk.
     */
    public void open(LogPosition from, Consumer<byte[]> replay) {
        try {
            files.createDirectory();
            List<String> all = files.list().stream().filter(n -> isSegment(n)).toList();
            List<String> segments = new ArrayList<>();
            for (String n : all) {
                int no = number(n);
                if (from == null || no >= from.segment()) {
                    segments.add(n);
                }
            }
            if (from != null && !all.isEmpty() && (segments.isEmpty()
                    || number(segments.get(0)) != from.segment())) {
                throw new IOException("the log no longer holds segment " + from.segment() + " (a snapshot's start)");
            }
            for (String n : all) {
                try (SegmentFiles.SegmentFile f = files.open(n, false)) {
                    segmentSizes.put(number(n), f.size());
                }
            }
            long valid = 0;
            for (int i = 0; i < segments.size(); i++) {
                long start = i == 0 && from != null ? from.offset() : 0;
                valid = readSegment(segments.get(i), start, (rec, offset) -> replay.accept(rec),
                        i == segments.size() - 1, true);
            }
            if (segments.isEmpty()) {
                segmentNo = from == null ? 1 : from.segment();
                createSegment(segmentBytes);
            } else {
                String last = segments.get(segments.size() - 1);
                segmentNo = number(last);
                current = files.open(last, false);
                segmentCapacity = current.size();
                position = valid;
            }
            updateBytes();
        } catch (IOException e) {
            throw fail("opening the log", e);
        }
    }

    /**
     * Reads the intact records from {@code from} on (null: the first segment) without changing anything on disk or
     * here: a first pass before {@link #open(LogPosition, Consumer)} (a record can change how the earlier ones
     * replay). A torn tail ends it, as it ends the replay.
     */
    public void scan(LogPosition from, Consumer<byte[]> visit) {
        scan(from, (at, record) -> visit.accept(record));
    }

    /** As {@link #scan(LogPosition, Consumer)}, with where each record starts. */
    public void scan(LogPosition from, java.util.function.BiConsumer<LogPosition, byte[]> visit) {
        try {
            files.createDirectory();
            List<String> segments = files.list().stream().filter(n -> isSegment(n))
                    .filter(n -> from == null || number(n) >= from.segment()).sorted()
                    .toList();
            for (int i = 0; i < segments.size(); i++) {
                long start = i == 0 && from != null && number(segments.get(0))
                        == from.segment() ? from.offset() : 0;
                int no = number(segments.get(i));
                readSegment(segments.get(i), start, (rec, offset) -> visit.accept(new LogPosition(no, offset), rec),
                        i == segments.size() - 1, false);
            }
        } catch (IOException e) {
            throw fail("scanning the log", e);
        }
    }

    private boolean isSegment(String fileName) {
        return fileName.length() == prefix.length() + 13 && fileName.startsWith(prefix + "-")
                && fileName.endsWith(".seg") && fileName.substring(prefix.length() + 1, prefix.length() + 9)
                .chars().allMatch(Character::isDigit);
    }

    private int number(String fileName) {
        return Integer.parseInt(fileName.substring(prefix.length() + 1, prefix.length() + 9));
    }

    private String name(int segment) {
        return String.format("%s-%08d.seg", prefix, segment);
    }

    /**
     * The intact records of segment {@code segment} as its file is now, for a reader beside the writer: it changes
     * nothing, and a segment deleted meanwhile (truncated) is an {@link IOException} for the caller alone, the log
     * going on.
     */
    public void readSegment(int segment, Consumer<byte[]> visit) throws IOException {
        readSegment(name(segment), 0, (rec, offset) -> visit.accept(rec), false, false);
    }

    /** A new segment filled with zeros, made durable with its directory entry before use. */
    private void createSegment(long capacity) throws IOException {
        current = files.open(name(segmentNo), true);
        current.preallocate(capacity);
        current.force(true);
        files.syncDirectory();
        segmentCapacity = current.size();
        position = 0;
        segmentSizes.put(segmentNo, segmentCapacity);
        updateBytes();
    }

    private void updateBytes() {
        long n = 0;
        for (long b : segmentSizes.values()) {
            n += b;
        }
        bytes = n;
    }

    /** Bytes of the segment files on disk; any thread. */
    public long bytes() {
        return bytes;
    }

    /** Record bytes made durable since this log was opened. */
    public long written() {
        return written;
    }

    /** Where the next record goes: everything before it is durable once the last {@link #sync()} returned. */
    public LogPosition position() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("records are buffered: the position is known after the sync");
        }
        return new LogPosition(segmentNo, position);
    }

    /**
     * Deletes the segments wholly before {@code keepFrom} (their records are in a snapshot every member made
     * durable), then syncs the directory. @return how many were deleted
     */
    public int truncateBefore(LogPosition keepFrom) {
        if (failure != null) {
            throw failure;
        }
        int deleted = 0;
        try {
            for (Integer no : List.copyOf(segmentSizes.headMap(Math.min(keepFrom.segment(), segmentNo)).keySet())) {
                files.delete(name(no));
                segmentSizes.remove(no);
                deleted++;
            }
            if (deleted > 0) {
                files.syncDirectory();
                updateBytes();
            }
        } catch (IOException e) {
            throw fail("truncating the log", e);
        }
        return deleted;
    }

    /**
     * Replays a segment's intact records; zeroes a torn tail of the last one when {@code repair}.
     * @return the end of the records
     */
    private long readSegment(String name, long from, java.util.function.ObjLongConsumer<byte[]> replay, boolean last,
                             boolean repair)
            throws IOException {
        byte[] all = files.read(name);
        ByteBuffer buf = ByteBuffer.wrap(all);
        if (from > all.length) {
            throw new IOException("segment " + name + " is shorter than a snapshot's start " + from);
        }
        buf.position((int) from);
        CRC32 crc = new CRC32();
        long end = all.length;
        while (buf.remaining() >= HEADER) {
            int start = buf.position();
            int len = buf.getInt();
            int sum = buf.getInt();
            if (len <= 0 || len > MAX_RECORD || len > buf.remaining()) {
                end = start;
                break;
            }
            byte[] rec = new byte[len];
            buf.get(rec);
            crc.reset();
            crc.update(rec);
            if ((int) crc.getValue() != sum) {
                end = start;
                break;
            }
            replay.accept(rec, start);
        }
        if (buf.remaining() < HEADER && end == all.length) {
            end = buf.position();
        }
        int dirty = -1;
        for (int i = (int) end; i < all.length; i++) {
            if (all[i] != 0) {
                dirty = i;
            }
        }
        if (dirty >= 0 && repair) {
            if (!last) {
                throw new IOException("corrupt record inside " + name + " at " + end);
            }
            LOG.warn("log {}: zeroing torn tail after {} (up to {})", name, end, dirty);
            try (SegmentFiles.SegmentFile f = files.open(name, false)) {
                f.write(new ByteBuffer[] {ByteBuffer.allocate(dirty + 1 - (int) end)}, end);
                f.force(true);
            }
        }
        return end;
    }

    /** Buffers a record; it is durable only after the next {@link #sync()}. */
    public void append(byte[] record) {
        if (failure != null) {
            throw failure;
        }
        CRC32 crc = new CRC32();
        crc.update(record);
        ByteBuffer b = ByteBuffer.allocate(HEADER + record.length);
        b.putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
        pending.add(b);
        pendingBytes += b.remaining();
    }

    /**
     * Writes the buffered records and forces them to disk: one fsync per batch.
     *
     * @throws StorageFailure if they may not be durable; the log is then unusable
     */
    public void sync() {
        if (failure != null) {
            throw failure;
        }
        if (pending.isEmpty()) {
            return;
        }
        try {
            // keep a zero header after the last record so the end is always recognisable
            if (position + pendingBytes + HEADER > segmentCapacity) {
                current.force(true);
                current.close();
                segmentNo++;
                createSegment(Math.max(segmentBytes, pendingBytes + HEADER));
            }
            current.write(pending.toArray(new ByteBuffer[0]), position);
            position += pendingBytes;
            written += pendingBytes;
            if (fsync) {
                long t0 = System.nanoTime();
                current.force(false);
                SYNC_NANOS.add(System.nanoTime() - t0);
                SYNCS.increment();
            }
        } catch (IOException | RuntimeException e) {
            throw fail("writing the log", e);
        } finally {
            pending.clear();
            pendingBytes = 0;
        }
    }

    private StorageFailure fail(String what, Exception cause) {
        failure = new StorageFailure(what + " failed: " + cause.getMessage(), cause);
        return failure;
    }

    /** Abrupt close: buffered records are lost, as in a crash. */
    public void abandon() {
        pending.clear();
        pendingBytes = 0;
        closeQuietly();
    }

    @Override
    public void close() {
        if (failure == null) {
            sync();
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException e) {
            LOG.debug("closing log", e);
        }
    }
}
