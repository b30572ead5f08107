package org.distribank.dataserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's file format: frames read back in order, a torn tail ignored, segments dropped after checkpoints. */
class JournalTest {

    @TempDir
    Path dir;

    private static List<byte[]> writes(String... texts) {
        return Stream.of(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void framesComeBackInOrderWithTheirWrites() throws IOException {
        try (Journal j = Journal.open(dir)) {
            j.restart(1);
            j.append(1, writes("{\"k\":\"a\"}", "{\"k\":\"b\"}"));
            j.append(2, writes("{\"k\":\"é\"}"));
        }
        try (Journal j = Journal.open(dir)) {
            List<Journal.Frame> frames = j.readAll();
            assertThat(frames).extracting(Journal.Frame::seq).containsExactly(1L, 2L);
            assertThat(frames.get(0).writes()).containsExactly("{\"k\":\"a\"}", "{\"k\":\"b\"}");
            assertThat(frames.get(1).writes()).containsExactly("{\"k\":\"é\"}");
        }
    }

    @Test
    void aFrameCutShortByACrashEndsTheJournal() throws IOException {
        Path segment = journalOf("{\"k\":\"kept\"}", "{\"k\":\"torn\"}");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(segment) - 3); // the crash hit while the second frame was being written
        }
        assertReadsBack(1L);
    }

    @Test
    void aFrameWithADamagedByteEndsTheJournal() throws IOException {
        Path segment = journalOf("{\"k\":\"kept\"}", "{\"k\":\"damaged\"}", "{\"k\":\"after\"}");
        byte[] all = Files.readAllBytes(segment);
        int second = 16 + "{\"k\":\"kept\"}".length(); // header 16 bytes (length, crc, seq) + payload
        all[second + 20] ^= 0x20;
        Files.write(segment, all);
        assertReadsBack(1L);
    }

    /** A journal of one frame per write (sequence numbers from 1); returns its only segment. */
    private Path journalOf(String... frames) throws IOException {
        try (Journal j = Journal.open(dir)) {
            j.restart(1);
            for (int i = 0; i < frames.length; i++) {
                j.append(i + 1, writes(frames[i]));
            }
        }
        return onlySegment();
    }

    private void assertReadsBack(Long... seqs) throws IOException {
        try (Journal j = Journal.open(dir)) {
            assertThat(j.readAll()).extracting(Journal.Frame::seq).containsExactly(seqs);
        }
    }

    @Test
    void aCheckpointDropsOnlySegmentsWhoseFramesAreAllDurable() throws IOException {
        try (Journal j = Journal.open(dir)) {
            j.restart(1);
            j.append(1, writes("{}"));
            j.append(2, writes("{}"));
            j.checkpointed(1); // frame 2 is not durable in the database yet: its segment stays
            j.append(3, writes("{}"));
            assertThat(j.readAll()).extracting(Journal.Frame::seq).containsExactly(1L, 2L, 3L);
            j.checkpointed(2);
            assertThat(j.readAll()).extracting(Journal.Frame::seq).containsExactly(3L);
            j.checkpointed(3);
            j.append(4, writes("{}"));
            assertThat(j.readAll()).extracting(Journal.Frame::seq).containsExactly(4L);
            assertThat(j.currentFirstSeq()).isEqualTo(4L);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void restartStartsAnEmptyJournal() throws IOException {
        try (Journal j = Journal.open(dir)) {
            j.restart(1);
            j.append(1, writes("{}"));
            j.restart(2);
            assertThat(j.readAll()).isEmpty();
            j.append(2, writes("{}"));
            assertThat(j.readAll()).extracting(Journal.Frame::seq).containsExactly(2L);
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

}
