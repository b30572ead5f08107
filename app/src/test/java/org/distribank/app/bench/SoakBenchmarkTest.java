package org.distribank.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakBenchmarkTest {

    @Test
    void readsTheLiveBytesOfARealJvmsClassHistogram() {
        // this very JVM, through the same jcmd the soak runs against each bank's process
        long live = SoakBenchmark.liveHeap(ProcessHandle.current().pid());
        assertThat(live).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    }

    @Test
    void takesTheBytesColumnOfTheTotalLine() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         10000         480000  [B (java.base@17)
                   2:          2000          64000  java.lang.String (java.base@17)
                Total         12000         544000
                """;
        assertThat(SoakBenchmark.histogramTotalBytes(histogram)).isEqualTo(544_000L);
        assertThat(SoakBenchmark.histogramTotalBytes("12345:\nCould not attach\n")).isEqualTo(-1L);
    }

    @Test
    void countsEveryFileUnderABanksDirectory(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("segment-1"), new byte[1000]);
        Files.createDirectories(dir.resolve("snapshots"));
        Files.write(dir.resolve("snapshots").resolve("s-1"), new byte[234]);
        Files.write(dir.resolve("00000001.seg"), new byte[4096]);
        assertThat(SoakBenchmark.diskBytes(dir)).isEqualTo(1234L + 4096);
        assertThat(SoakBenchmark.logBytes(dir)).isEqualTo(4096L);
        assertThat(SoakBenchmark.diskBytes(dir.resolve("absent"))).isZero();
    }
}
