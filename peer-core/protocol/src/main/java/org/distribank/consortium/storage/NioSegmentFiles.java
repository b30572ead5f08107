package org.distribank.consortium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.distribank.common.SecureFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SegmentFiles} on the real file system: NIO channels, fdatasync, owner-only directory. */
public final class NioSegmentFiles implements SegmentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(NioSegmentFiles.class);

    private final Path dir;

    public NioSegmentFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public void createDirectory() throws IOException {
        SecureFiles.createPrivateDirectories(dir); // the log holds every operation: owner-only
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Override
    public SegmentFile open(String name, boolean create) throws IOException {
        FileChannel ch = create
                ? FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)
                : FileChannel.open(dir.resolve(name), StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new NioFile(ch);
    }

    @Override
    public void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} on this platform", dir, e);
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(dir.resolve(from), dir.resolve(to), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    private record NioFile(FileChannel channel) implements SegmentFile {

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void preallocate(long capacity) throws IOException {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            long at = channel.size();
            while (at < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                at += channel.write(zeros, at);
            }
        }

        @Override
        public void write(ByteBuffer[] buffers, long position) throws IOException {
            channel.position(position);
            long left = 0;
            for (ByteBuffer b : buffers) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= channel.write(buffers);
            }
        }

        @Override
        public void force(boolean metadata) throws IOException {
            channel.force(metadata);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
