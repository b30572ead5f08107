package org.distribank.consortium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Real files that behave like a disk under a crash: written bytes stay in this process's memory
 * until a force, which writes them and forces them for real; {@link #crash()} drops whatever was not
 * forced and kills every handle (any later call fails), as pulling the plug would. The test
 * cluster's {@code kill} uses it, so a test that passes does not owe it to the page cache.
 */
public final class CrashableFiles implements SegmentFiles {

    private final SegmentFiles real;
    private final List<Buffered> open = new ArrayList<>();
    private volatile boolean crashed;
    private volatile String forcesFail;

    public CrashableFiles(SegmentFiles real) {
        this.real = real;
    }

    /** Pulls the plug: bytes not forced are gone, and the process can do nothing more with its files. */
    public synchronized void crash() {
        crashed = true;
        for (Buffered b : open) {
            b.pending.clear();
        }
    }

    /** From now on every force fails with {@code error} (a dying disk), as fsync would with EIO. */
    public void failForces(String error) {
        forcesFail = error;
    }

    private void alive() throws IOException {
        if (crashed) {
            throw new IOException("crashed: the process is gone");
        }
    }

    @Override
    public synchronized void createDirectory() throws IOException {
        alive();
        real.createDirectory();
    }

    @Override
    public synchronized List<String> list() throws IOException {
        alive();
        return real.list();
    }

    @Override
    public synchronized byte[] read(String name) throws IOException {
        alive();
        byte[] bytes = real.read(name);
        for (Buffered b : open) {
            if (b.name.equals(name)) {
                for (Write w : b.pending) {
                    int end = (int) (w.position + w.bytes.length);
                    if (end > bytes.length) {
                        bytes = java.util.Arrays.copyOf(bytes, end);
                    }
                    System.arraycopy(w.bytes, 0, bytes, (int) w.position, w.bytes.length);
                }
            }
        }
        return bytes;
    }

    @Override
    public synchronized SegmentFile open(String name, boolean create) throws IOException {
        alive();
        Buffered b = new Buffered(name, real.open(name, create));
        open.add(b);
        return b;
    }

    @Override
    public synchronized void syncDirectory() throws IOException {
        alive();
        real.syncDirectory();
    }

    @Override
    public synchronized void rename(String from, String to) throws IOException {
        alive();
        real.rename(from, to);
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        alive();
        real.delete(name);
    }

    private record Write(long position, byte[] bytes) {
    }

    private final class Buffered implements SegmentFile {
        final String name;
        final SegmentFile file;
        final List<Write> pending = new ArrayList<>();

        Buffered(String name, SegmentFile file) {
            this.name = name;
            this.file = file;
        }

        @Override
        public long size() throws IOException {
            synchronized (CrashableFiles.this) {
                alive();
                long size = file.size();
                for (Write w : pending) {
                    size = Math.max(size, w.position + w.bytes.length);
                }
                return size;
            }
        }

        @Override
        public void preallocate(long capacity) throws IOException {
            synchronized (CrashableFiles.this) {
                alive();
                file.preallocate(capacity); // zeros: losing them or not changes nothing a reader sees
            }
        }

        @Override
        public void write(ByteBuffer[] buffers, long position) throws IOException {
            synchronized (CrashableFiles.this) {
                alive();
                long at = position;
                for (ByteBuffer b : buffers) {
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    pending.add(new Write(at, bytes));
                    at += bytes.length;
                }
            }
        }

        @Override
        public void force(boolean metadata) throws IOException {
            synchronized (CrashableFiles.this) {
                alive();
                if (forcesFail != null) {
                    pending.clear(); // the kernel drops the failed pages: they never reach the disk
                    throw new IOException(forcesFail);
                }
                for (Write w : pending) {
                    file.write(new ByteBuffer[] {ByteBuffer.wrap(w.bytes)}, w.position);
                }
                pending.clear();
                file.force(metadata);
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (CrashableFiles.this) {
                open.remove(this);
                file.close(); // unforced bytes of a closed handle stay unwritten, as a crash would leave them
            }
        }
    }
}
