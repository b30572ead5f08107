package org.distribank.consortium.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.distribank.common.SecureFiles;

/**
 * An append-only log of opaque records in segment files {@code log-NNNNNNNN.seg}. Each record is
 * framed as {@code [int length][int crc32][bytes]}. Appends are buffered in memory and written
 * plus forced by {@link #sync()} once per batch (group commit). Segments are preallocated with
 * zeros and overwritten in place, so an fdatasync flushes data only, not the file size (about
 * twice as fast on ext4); a zero length marks the end. On open, a torn or corrupt tail (a crash
 * mid-write) ends the replay and is zeroed. Not thread-safe: one writer thread.
 */
public final class SegmentLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 << 20;

    private final Path dir;
    private final long segmentBytes;
    private final boolean fsync;
    private final List<ByteBuffer> pending = new ArrayList<>();
    private FileChannel channel;
    private int segmentNo;
    private long segmentCapacity;
    private long position;
    private long pendingBytes;
    private static final java.util.concurrent.atomic.LongAdder SYNCS = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.LongAdder SYNC_NANOS = new java.util.concurrent.atomic.LongAdder();

    /** Process-wide count of forced syncs and the nanoseconds spent in them (for the benchmark). */
    public static long[] syncStats() {
        return new long[] {SYNCS.sum(), SYNC_NANOS.sum()};
    }

    public SegmentLog(Path dir, long segmentBytes, boolean fsync) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /** Reads every intact record in order, repairs the tail, and opens the last segment for appending. */
    public void open(Consumer<byte[]> replay) {
        try {
            SecureFiles.createPrivateDirectories(dir); // the log holds every operation: owner-only
            List<Path> segments = segments();
            long valid = 0;
            for (int i = 0; i < segments.size(); i++) {
                valid = readSegment(segments.get(i), replay, i == segments.size() - 1);
            }
            if (segments.isEmpty()) {
                segmentNo = 1;
                createSegment(segmentBytes);
            } else {
                segmentNo = number(segments.get(segments.size() - 1));
                Path p = segments.get(segments.size() - 1);
                channel = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.READ);
                segmentCapacity = channel.size();
                position = valid;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("log-\\d{8}\\.seg")).sorted().toList();
        }
    }

    private static int number(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(4, 12));
    }

    /** A new segment filled with zeros, made durable with its directory entry before use. */
    private void createSegment(long capacity) throws IOException {
        Path p = dir.resolve(String.format("log-%08d.seg", segmentNo));
        channel = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        long at = channel.size();
        while (at < capacity) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
            at += channel.write(zeros, at);
        }
        channel.force(true);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} on this platform", dir, e);
        }
        segmentCapacity = channel.size();
        position = 0;
    }

    /** Replays a segment's intact records; zeroes a torn tail of the last one. @return the end of the records */
    private static long readSegment(Path p, Consumer<byte[]> replay, boolean last) throws IOException {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer buf = ByteBuffer.wrap(all);
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
            replay.accept(rec);
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
        if (dirty >= 0) {
            if (!last) {
                throw new IOException("corrupt record inside " + p + " at " + end);
            }
            LOG.warn("log {}: zeroing torn tail after {} (up to {})", p, end, dirty);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(dirty + 1 - (int) end), end);
                ch.force(true);
            }
        }
        return end;
    }

    /** Buffers a record; it is durable only after the next {@link #sync()}. */
    public void append(byte[] record) {
        CRC32 crc = new CRC32();
        crc.update(record);
        ByteBuffer b = ByteBuffer.allocate(HEADER + record.length);
        b.putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
        pending.add(b);
        pendingBytes += b.remaining();
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Writes the buffered records and forces them to disk: one fsync per batch. */
    public void sync() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            // keep a zero header after the last record so the end is always recognisable
            if (position + pendingBytes + HEADER > segmentCapacity) {
                channel.force(true);
                channel.close();
                segmentNo++;
                createSegment(Math.max(segmentBytes, pendingBytes + HEADER));
            }
            ByteBuffer[] bufs = pending.toArray(new ByteBuffer[0]);
            channel.position(position);
            long left = pendingBytes;
            while (left > 0) {
                left -= channel.write(bufs);
            }
            position += pendingBytes;
            if (fsync) {
                long t0 = System.nanoTime();
                channel.force(false);
                SYNC_NANOS.add(System.nanoTime() - t0);
                SYNCS.increment();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pending.clear();
            pendingBytes = 0;
        }
    }

    /** Abrupt close: buffered records are lost, as in a crash. */
    public void abandon() {
        pending.clear();
        pendingBytes = 0;
        closeQuietly();
    }

    @Override
    public void close() {
        sync();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing log", e);
        }
    }
}
