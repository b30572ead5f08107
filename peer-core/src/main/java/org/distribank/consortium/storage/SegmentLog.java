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

/**
 * An append-only log of opaque records in segment files {@code log-NNNNNNNN.seg}. Each record is
 * framed as {@code [int length][int crc32][bytes]}. Appends are buffered in memory and written
 * plus forced by {@link #sync()} once per batch (group commit). On open, a torn or corrupt tail of
 * the last segment (a crash mid-write) is cut off. Not thread-safe: one writer thread.
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
    private long segmentSize;
    private long pendingBytes;

    public SegmentLog(Path dir, long segmentBytes, boolean fsync) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /** Reads every intact record in order, repairs the tail, and opens the last segment for appending. */
    public void open(Consumer<byte[]> replay) {
        try {
            Files.createDirectories(dir);
            List<Path> segments = segments();
            for (int i = 0; i < segments.size(); i++) {
                boolean last = i == segments.size() - 1;
                long valid = readSegment(segments.get(i), replay);
                long size = Files.size(segments.get(i));
                if (valid < size) {
                    if (!last) {
                        throw new IOException("corrupt record inside " + segments.get(i) + " at " + valid);
                    }
                    LOG.warn("log {}: cutting torn tail at {} of {} bytes", segments.get(i), valid, size);
                    try (FileChannel ch = FileChannel.open(segments.get(i), StandardOpenOption.WRITE)) {
                        ch.truncate(valid);
                        ch.force(true);
                    }
                }
            }
            segmentNo = segments.isEmpty() ? 1 : number(segments.get(segments.size() - 1));
            openSegment();
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

    private void openSegment() throws IOException {
        Path p = dir.resolve(String.format("log-%08d.seg", segmentNo));
        channel = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segmentSize = channel.size();
    }

    /** @return bytes of intact records from the start of the segment */
    private static long readSegment(Path p, Consumer<byte[]> replay) throws IOException {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer buf = ByteBuffer.wrap(all);
        CRC32 crc = new CRC32();
        while (buf.remaining() >= HEADER) {
            int start = buf.position();
            int len = buf.getInt();
            int sum = buf.getInt();
            if (len < 0 || len > MAX_RECORD || len > buf.remaining()) {
                return start;
            }
            byte[] rec = new byte[len];
            buf.get(rec);
            crc.reset();
            crc.update(rec);
            if ((int) crc.getValue() != sum) {
                return start;
            }
            replay.accept(rec);
        }
        return buf.position();
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
            if (segmentSize > 0 && segmentSize + pendingBytes > segmentBytes) {
                channel.force(true);
                channel.close();
                segmentNo++;
                openSegment();
            }
            ByteBuffer[] bufs = pending.toArray(new ByteBuffer[0]);
            long left = pendingBytes;
            while (left > 0) {
                left -= channel.write(bufs);
            }
            segmentSize += pendingBytes;
            if (fsync) {
                channel.force(false);
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
