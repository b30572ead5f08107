package org.distribank.consortium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {

    @TempDir
    Path dir;

    private List<String> reopen(long segmentBytes) {
        List<String> got = new ArrayList<>();
        SegmentLog log = new SegmentLog(dir, segmentBytes, true);
        log.open(b -> got.add(new String(b, StandardCharsets.UTF_8)));
        log.close();
        return got;
    }

    @Test
    void syncedRecordsReplayInOrderAcrossSegments() {
        SegmentLog log = new SegmentLog(dir, 64, true);
        log.open(b -> { });
        for (int i = 0; i < 20; i++) {
            log.append(("record-" + i).getBytes(StandardCharsets.UTF_8));
            log.sync();
        }
        log.close();
        List<String> got = reopen(64);
        assertThat(got).hasSize(20).startsWith("record-0").endsWith("record-19");
        assertThat(dir.toFile().list((d, n) -> n.endsWith(".seg"))).hasSizeGreaterThan(2);
    }

    @Test
    void segmentsArePreallocatedAndReopeningAppendsAfterTheLastRecord() throws IOException {
        SegmentLog log = new SegmentLog(dir, 4096, true);
        log.open(b -> { });
        log.append("a".getBytes(StandardCharsets.UTF_8));
        log.close();
        assertThat(Files.size(dir.resolve("log-00000001.seg"))).isEqualTo(4096);
        SegmentLog again = new SegmentLog(dir, 4096, true);
        again.open(b -> { });
        again.append("b".getBytes(StandardCharsets.UTF_8));
        again.close();
        assertThat(reopen(4096)).containsExactly("a", "b");
    }

    @Test
    void unsyncedRecordsAreLostOnAbandon() {
        SegmentLog log = new SegmentLog(dir, 1 << 20, true);
        log.open(b -> { });
        log.append("kept".getBytes(StandardCharsets.UTF_8));
        log.sync();
        log.append("lost".getBytes(StandardCharsets.UTF_8));
        log.abandon();
        assertThat(reopen(1 << 20)).containsExactly("kept");
    }

    @Test
    void tornTailIsIgnoredAndCutSoLaterAppendsReplay() throws IOException {
        SegmentLog log = new SegmentLog(dir, 1 << 20, true);
        log.open(b -> { });
        log.append("one".getBytes(StandardCharsets.UTF_8));
        log.append("two".getBytes(StandardCharsets.UTF_8));
        log.sync();
        log.close();
        Path seg = dir.resolve("log-00000001.seg");
        // a crash mid-write: half a record after the last good one
        try (var ch = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2, 3, 4, 'x'}), 2 * 8 + 3 + 3);
        }
        SegmentLog again = new SegmentLog(dir, 1 << 20, true);
        List<String> got = new ArrayList<>();
        again.open(b -> got.add(new String(b, StandardCharsets.UTF_8)));
        assertThat(got).containsExactly("one", "two");
        again.append("three".getBytes(StandardCharsets.UTF_8));
        again.close();
        assertThat(reopen(1 << 20)).containsExactly("one", "two", "three");
    }

    @Test
    void aFlippedByteEndsTheReplayAtTheDamagedRecord() throws IOException {
        SegmentLog log = new SegmentLog(dir, 1 << 20, true);
        log.open(b -> { });
        log.append("good".getBytes(StandardCharsets.UTF_8));
        log.append("damaged".getBytes(StandardCharsets.UTF_8));
        log.close();
        Path seg = dir.resolve("log-00000001.seg");
        byte[] all = Files.readAllBytes(seg);
        all[8 + 4 + 8 + 2] ^= 0x55; // inside the second record's bytes
        Files.write(seg, all);
        assertThat(reopen(1 << 20)).containsExactly("good");
    }
}
