package org.distribank.consortium.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The few file operations a {@link SegmentLog} makes, in one directory. The real one is
 * {@link NioSegmentFiles}; the deterministic simulator keeps files in memory and loses what was
 * not forced on a crash, and the crash-testing wrapper of the test cluster does the same over real
 * files. Only {@link SegmentFile#force()} makes written bytes durable.
 */
public interface SegmentFiles {

    /** Creates the directory (owner-only) if it does not exist. */
    void createDirectory() throws IOException;

    /** The names of the files in the directory, sorted. */
    List<String> list() throws IOException;

    /** The whole content of a file as it is now (durable or not). */
    byte[] read(String name) throws IOException;

    /** Opens a file for writing, creating it (empty) if {@code create}. */
    SegmentFile open(String name, boolean create) throws IOException;

    /** Makes the directory's entries (a created file) durable. */
    void syncDirectory() throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to} (durable after {@link #syncDirectory}). */
    void rename(String from, String to) throws IOException;

    /** Deletes a file if it exists (durable after {@link #syncDirectory}). */
    void delete(String name) throws IOException;

    /** One open file. */
    interface SegmentFile extends Closeable {

        long size() throws IOException;

        /** Extends the file with zeros to {@code capacity} bytes (not durable until forced). */
        void preallocate(long capacity) throws IOException;

        /** Writes all of {@code buffers} from {@code position} on (not durable until forced). */
        void write(ByteBuffer[] buffers, long position) throws IOException;

        /**
         * Makes everything written so far durable (fdatasync; with {@code metadata} also the size: fsync).
         * An exception means some of it may not be, and never will be: the caller must stop.
         */
        void force(boolean metadata) throws IOException;
    }
}
