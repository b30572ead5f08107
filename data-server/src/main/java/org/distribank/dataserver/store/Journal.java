package org.distribank.dataserver.store;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.distribank.common.SecureFiles;

/**
 * The data server's redo journal: what makes a group commit durable without writing H2's pages. H2 2.3's store
 * (MVStore) has no log of its own: making a commit durable means serializing every page the batch touched into a
 * new chunk and fsyncing it ({@code CHECKPOINT SYNC}), which cost about three quarters of the writer's time per
 * batch. Instead each batch's writes are appended here as one frame and fsynced (one small sequential write);
 * H2's pages reach the disk later, many batches at a time ({@link GroupCommitWriter}'s checkpoints), and a
 * restart replays the frames H2 does not hold yet.
 *
 * <p>Files {@code journal-<first sequence number>.log} in one directory, each a run of frames
 * {@code [int length][int crc32c][long seq][payload]}: the payload is the batch's writes, one JSON line each. A
 * frame torn by a crash (short, or a checksum that does not match) ends the journal: nothing after it was ever
 * acknowledged, since a batch is answered only after its frame is forced to disk. Segments whose every frame H2
 * already holds durably are deleted after each checkpoint.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{20})\\.log");
    private static final int HEADER = 16;
    /** A frame is one batch (at most a few MB); anything larger is a torn or foreign length. */
    private static final int MAX_FRAME = 256 << 20;

    /** One batch read back: its sequence number and its writes (one JSON text each). */
    public record Frame(long seq, List<String> writes) {
    }

    private final Path dir;
    private FileChannel current; // guarded by this
    private Path currentPath; // guarded by this
    private long appendedSince; // bytes in the current segment, guarded by this
    private long lastSeq; // the last frame appended, guarded by this

    private Journal(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating) the journal directory; call {@link #readAll()} then {@link #restart(long)} before appending. */
    public static Journal open(Path dir) throws IOException {
        SecureFiles.createPrivateDirectories(dir);
        return new Journal(dir);
    }

    /** Every intact frame of every segment, in order, up to the first torn one. */
    public synchronized List<Frame> readAll() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (Path p : segments()) {
            try (InputStream raw = Files.newInputStream(p);
                 DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
                while (true) {
                    Frame f = readFrame(in, p);
                    if (f == null) {
                        break;
                    }
                    frames.add(f);
                }
            }
        }
        return frames;
    }

    private static Frame readFrame(DataInputStream in, Path p) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        try {
            int crc = in.readInt();
            if (length < 8 || length > MAX_FRAME) {
                LOG.warn("journal {}: torn frame (length {}), ignoring the rest", p.getFileName(), length);
                return null;
            }
            byte[] body = new byte[length];
            in.readFully(body);
            CRC32C c = new CRC32C();
            c.update(body);
            if ((int) c.getValue() != crc) {
                LOG.warn("journal {}: frame with a bad checksum, ignoring the rest", p.getFileName());
                return null;
            }
            long seq = ByteBuffer.wrap(body, 0, 8).getLong();
            String payload = new String(body, 8, length - 8, StandardCharsets.UTF_8);
            return new Frame(seq, payload.isEmpty() ? List.of() : List.of(payload.split("\n")));
        } catch (EOFException e) {
            LOG.warn("journal {}: frame cut short by a crash, ignoring it", p.getFileName());
            return null;
        }
    }

    /** Deletes every segment and starts an empty one whose first frame will be {@code nextSeq}. */
    public synchronized void restart(long nextSeq) throws IOException {
        closeCurrent();
        for (Path p : segments()) {
            Files.delete(p);
        }
        lastSeq = nextSeq - 1;
        openSegment(nextSeq);
    }

    /** Appends one batch's writes as a frame and forces it to disk: when this returns, the batch is durable. */
    public synchronized void append(long seq, List<byte[]> writes) throws IOException {
        int payload = 0;
        for (byte[] w : writes) {
            payload += w.length + 1;
        }
        int length = 8 + Math.max(0, payload - 1);
        ByteBuffer buf = ByteBuffer.allocate(8 + length);
        buf.putInt(length).putInt(0).putLong(seq);
        for (int i = 0; i < writes.size(); i++) {
            if (i > 0) {
                buf.put((byte) '\n');
            }
            buf.put(writes.get(i));
        }
        CRC32C c = new CRC32C();
        c.update(buf.array(), 8, length);
        buf.putInt(4, (int) c.getValue());
        buf.flip();
        if (current == null) {
            openSegment(seq);
        }
        while (buf.hasRemaining()) {
            current.write(buf);
        }
        current.force(false);
        appendedSince += 8 + length;
        lastSeq = Math.max(lastSeq, seq);
    }

    /**
     * After a checkpoint made everything up to {@code durableSeq} durable in H2: starts a new segment for what
     * comes next and deletes the segments that hold nothing later than {@code durableSeq}.
     */
    public synchronized void checkpointed(long durableSeq) throws IOException {
        if (appendedSince > 0) {
            closeCurrent();
            openSegment(lastSeq + 1); // sequence numbers only grow: every later frame is at least this
        }
        List<Path> all = segments();
        for (int i = 0; i + 1 < all.size(); i++) {
            // segment i holds the frames from its own first sequence number up to the next segment's first - 1
            if (firstSeq(all.get(i + 1)) - 1 <= durableSeq && !all.get(i).equals(currentPath)) {
                Files.deleteIfExists(all.get(i));
            }
        }
    }

    private void openSegment(long firstSeq) throws IOException {
        currentPath = dir.resolve(String.format("journal-%020d.log", firstSeq));
        current = FileChannel.open(currentPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        appendedSince = 0;
        forceDirectory(); // the new file's name must survive a crash too
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync the journal directory {}: {}", dir, e.toString()); // not possible everywhere
        }
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            currentPath = null;
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private static long firstSeq(Path segment) {
        Matcher m = SEGMENT.matcher(segment.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(segment.toString());
        }
        return Long.parseLong(m.group(1));
    }

    /** The first sequence number of the segment being appended to (for tests and logs). */
    public synchronized long currentFirstSeq() {
        return firstSeq(currentPath);
    }

    @Override
    public synchronized void close() throws IOException {
        closeCurrent();
    }
}
