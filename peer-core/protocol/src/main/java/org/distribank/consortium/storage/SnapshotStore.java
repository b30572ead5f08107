package org.distribank.consortium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files beside the log, {@code snap-SSSSSSSS-OOOOOOOOOOOO.snap} (the log position the snapshot reaches:
 * segment and offset, so names sort in log order). Each is
 * {@code "DBSNAP01" · long position · long atMillis · int segment · long offset · int length · body · int CRC32C}
 * (the checksum covers everything before it). A snapshot is written to a temporary file, forced, renamed into
 * place and the directory forced: a crash leaves either the whole file or none; a torn or corrupt one (bad
 * magic, length or checksum) is ignored in favour of an older one, never half-read. Goes through
 * {@link SegmentFiles}, so the simulator's disk and the crash-testing files can crash it.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final byte[] MAGIC = "DBSNAP01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 8 + 8 + 4 + 8 + 4;
    private static final String NAME_PATTERN = "snap-\\d{8}-\\d{12}\\.snap";

    /** What a snapshot file says of itself. {@code position}: operations delivered when it was taken. */
    public record Meta(String name, long position, long atMillis, LogPosition log) {
    }

    /** A snapshot read back whole, its checksum good. */
    public record Loaded(Meta meta, byte[] body) {
    }

    private final SegmentFiles files;

    public SnapshotStore(SegmentFiles files) {
        this.files = files;
    }

    /**
     * Writes a snapshot durably (temporary file, force, rename, directory force).
     *
     * @throws StorageFailure if it may not be durable (the caller stops, as for the log)
     */
    public Meta write(long position, long atMillis, LogPosition log, byte[] body) {
        String name = String.format("snap-%08d-%012d.snap", log.segment(), log.offset());
        String tmp = name + ".tmp";
        ByteBuffer buf = ByteBuffer.allocate(HEADER + body.length + 4);
        buf.put(MAGIC).putLong(position).putLong(atMillis).putInt(log.segment()).putLong(log.offset())
                .putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue()).flip();
        try {
            files.createDirectory();
            files.delete(tmp);
            try (SegmentFiles.SegmentFile f = files.open(tmp, true)) {
                f.write(new ByteBuffer[] {buf}, 0);
                f.force(true);
            }
            files.rename(tmp, name);
            files.syncDirectory();
        } catch (IOException | RuntimeException e) {
            throw new StorageFailure("writing snapshot " + name + " failed: " + e.getMessage(), e);
        }
        return new Meta(name, position, atMillis, log);
    }

    /** The snapshots on disk whose checksum is good, oldest first; a bad one is logged and skipped. */
    public List<Loaded> readAll() {
        List<Loaded> out = new ArrayList<>();
        try {
            files.createDirectory();
            for (String n : files.list()) {
                if (n.matches(NAME_PATTERN)) {
                    read(n).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new StorageFailure("reading the snapshots failed: " + e.getMessage(), e);
        }
        return out;
    }

    private Optional<Loaded> read(String name) throws IOException {
        byte[] all = files.read(name);
        if (all.length < HEADER + 4 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            LOG.warn("snapshot {} is torn or not a snapshot ({} bytes): ignored", name, all.length);
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(all);
        buf.position(MAGIC.length);
        long position = buf.getLong();
        long at = buf.getLong();
        int segment = buf.getInt();
        long offset = buf.getLong();
        int length = buf.getInt();
        if (length < 0 || length != all.length - HEADER - 4 || segment < 1 || offset < 0) {
            LOG.warn("snapshot {} has a bad length or position: ignored", name);
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, HEADER + length);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, HEADER + length, 4).getInt()) {
            LOG.warn("snapshot {} fails its checksum: ignored", name);
            return Optional.empty();
        }
        return Optional.of(new Loaded(new Meta(name, position, at, new LogPosition(segment, offset)),
                Arrays.copyOfRange(all, HEADER, HEADER + length)));
    }

    /** Deletes a snapshot file (and leftovers of an unfinished write); durable at the next directory force. */
    public void delete(String name) {
        try {
            files.delete(name);
        } catch (IOException e) {
            throw new StorageFailure("deleting snapshot " + name + " failed: " + e.getMessage(), e);
        }
    }
}
