package org.distribank.consortium.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.distribank.consortium.storage.SegmentFiles;

/**
 * One node's simulated disk, a {@link SegmentFiles}: what a process sees ({@code visible}) and what
 * survives a crash ({@code durable}) are kept apart. Only a successful force moves written bytes to
 * durable; a file whose directory entry was never synced vanishes in a crash. Faults: a crash
 * loses everything not forced (and may tear the first unforced write: a prefix of it survives); a
 * failing force throws and, as Linux does after a failed fsync, leaves the dirty bytes "clean" in
 * the cache, so they are lost at the next crash even if a later force succeeds; a full disk refuses
 * to grow a file. Single-threaded, driven by the simulator's seeded random.
 */
final class SimDisk implements SegmentFiles {

    private static final class FileState {
        byte[] visible = new byte[0];
        byte[] durable = new byte[0];
        /** Unforced writes since the last force, [position, length] each, in order. */
        final List<long[]> dirty = new ArrayList<>();
        /** Ranges whose dirty bytes a failed force dropped: never durable from this write on. */
        final List<long[]> lost = new ArrayList<>();
    }

    private final Random random;
    private final TreeMap<String, FileState> files = new TreeMap<>();
    private final TreeSet<String> durableNames = new TreeSet<>();
    private long capacity = Long.MAX_VALUE;
    private int failForces;
    private boolean crashed;

    SimDisk(Random random) {
        this.random = random;
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code n} forces fail. */
    void failNextForces(int n) {
        failForces = n;
    }

    /** The disk holds at most {@code bytes} in all (a file may not grow past it). */
    void capacity(long bytes) {
        capacity = bytes;
    }

    long used() {
        long n = 0;
        for (FileState f : files.values()) {
            n += f.visible.length;
        }
        return n;
    }

    /**
     * The machine loses power: what was not forced is gone (a prefix of the first unforced write may
     * survive when {@code tear}), files never synced into the directory vanish, and every open handle
     * is dead. The disk comes back as it was found at the next {@link #reboot}.
     */
    void crash(boolean tear) {
        crashed = true;
        for (var it = files.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!durableNames.contains(e.getKey())) {
                it.remove();
                continue;
            }
            FileState f = e.getValue();
            byte[] next = f.durable.clone();
            if (tear && !f.dirty.isEmpty()) {
                long[] w = f.dirty.get(0);
                int keep = random.nextInt((int) w[1] + 1);
                int pos = (int) w[0];
                if (pos + keep > next.length) {
                    next = Arrays.copyOf(next, pos + keep);
                }
                System.arraycopy(f.visible, pos, next, pos, Math.min(keep, f.visible.length - pos));
            }
            f.visible = next;
            f.durable = next.clone();
            f.dirty.clear();
            f.lost.clear();
        }
    }

    /** Power is back (and any fault repaired): handles opened from now on work. */
    void reboot() {
        crashed = false;
        failForces = 0;
        capacity = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ SegmentFiles

    private void alive() throws IOException {
        if (crashed) {
            throw new IOException("simulated crash: the process is gone");
        }
    }

    @Override
    public void createDirectory() throws IOException {
        alive();
    }

    @Override
    public List<String> list() throws IOException {
        alive();
        return new ArrayList<>(files.keySet());
    }

    @Override
    public byte[] read(String name) throws IOException {
        alive();
        FileState f = files.get(name);
        if (f == null) {
            throw new IOException("no file " + name);
        }
        return f.visible.clone();
    }

    @Override
    public SegmentFile open(String name, boolean create) throws IOException {
        alive();
        FileState f = files.get(name);
        if (f == null) {
            if (!create) {
                throw new IOException("no file " + name);
            }
            f = new FileState();
            files.put(name, f);
        }
        FileState file = f;
        return new SegmentFile() {
            boolean closed;

            private void usable() throws IOException {
                alive();
                if (closed || files.get(name) != file) {
                    throw new IOException("file " + name + " is closed");
                }
            }

            @Override
            public long size() throws IOException {
                usable();
                return file.visible.length;
            }

            @Override
            public void preallocate(long want) throws IOException {
                usable();
                if (want > file.visible.length) {
                    if (used() + want - file.visible.length > capacity) {
                        throw new IOException("No space left on device (simulated)");
                    }
                    long at = file.visible.length;
                    file.visible = Arrays.copyOf(file.visible, (int) want);
                    file.dirty.add(new long[] {at, want - at});
                }
            }

            @Override
            public void write(ByteBuffer[] buffers, long position) throws IOException {
                usable();
                long pos = position;
                for (ByteBuffer b : buffers) {
                    int n = b.remaining();
                    long end = pos + n;
                    if (end > file.visible.length) {
                        if (used() + end - file.visible.length > capacity) {
                            throw new IOException("No space left on device (simulated)");
                        }
                        file.visible = Arrays.copyOf(file.visible, (int) end);
                    }
                    b.get(file.visible, (int) pos, n);
                    file.dirty.add(new long[] {pos, n});
                    pos = end;
                }
            }

            @Override
            public void force(boolean metadata) throws IOException {
                usable();
                if (failForces > 0) {
                    failForces--;
                    // the kernel drops the dirty pages' error state: those bytes are never written back
                    file.lost.addAll(file.dirty);
                    file.dirty.clear();
                    throw new IOException("Input/output error (simulated fsync failure)");
                }
                byte[] next = file.visible.clone();
                for (long[] r : file.lost) {
                    int from = (int) r[0];
                    int to = (int) Math.min(r[0] + r[1], next.length);
                    for (int i = from; i < to; i++) {
                        next[i] = i < file.durable.length ? file.durable[i] : 0;
                    }
                }
                file.durable = next;
                file.dirty.clear();
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public void syncDirectory() throws IOException {
        alive();
        durableNames.clear();
        durableNames.addAll(files.keySet());
    }

    @Override
    public void rename(String from, String to) throws IOException {
        alive();
        FileState f = files.remove(from);
        if (f == null) {
            throw new IOException("no file " + from);
        }
        files.put(to, f); // like a created file: it survives a crash only once the directory is synced
    }

    @Override
    public void delete(String name) throws IOException {
        alive();
        files.remove(name);
    }
}
