package org.distribank.consortium.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The little binary codec of a core snapshot (PROTOCOL.md, "Snapshots"): big-endian longs and ints, strings
 * as an int length (-1: null) and UTF-8 bytes, clocks as their canonical-order entries.
 */
final class CoreSnapshot {

    /** 4: the clock of this node's last message (a joining bank's first snapshot names it). */
    static final int VERSION = 4;
    /** 2: receive vectors and the sequence numbers of queued operations and of votes (stability). */
    static final int VERSION_STABILITY = 2;
    /** Still read: its operations and votes count as stable (the build that wrote it decided without waiting). */
    static final int VERSION_BEFORE_STABILITY = 1;

    private CoreSnapshot() {
    }

    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 12);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out i(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out l(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out b(boolean v) {
            return i(v ? 1 : 0);
        }

        Out raw(byte[] v) {
            if (v == null) {
                return i(-1);
            }
            i(v.length);
            try {
                out.write(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out s(String v) {
            return raw(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }

        Out clock(long[] v) {
            i(v.length);
            for (long x : v) {
                l(x);
            }
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    static final class In {
        private final DataInputStream in;

        In(byte[] bytes) {
            in = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        int i() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw new IllegalArgumentException("a truncated core snapshot", e);
            }
        }

        long l() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new IllegalArgumentException("a truncated core snapshot", e);
            }
        }

        boolean b() {
            return i() != 0;
        }

        byte[] raw() {
            int n = i();
            if (n < 0) {
                return null;
            }
            byte[] v = new byte[n];
            try {
                in.readFully(v);
            } catch (IOException e) {
                throw new IllegalArgumentException("a truncated core snapshot", e);
            }
            return v;
        }

        String s() {
            byte[] v = raw();
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        long[] clock() {
            long[] v = new long[i()];
            for (int k = 0; k < v.length; k++) {
                v[k] = l();
            }
            return v;
        }
    }
}
