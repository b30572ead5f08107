package org.distribank.bank.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh bank names postings by delivery position; a data directory from before keeps transaction ids. */
class PostingIdsTest {

    @TempDir
    Path dir;

    @Test
    void aFreshBankNamesPostingsByPositionAndKeepsThatChoice() throws IOException {
        Path log = dir.resolve("b1");
        assertThat(PostingIds.of(log)).isEqualTo(PostingIds.BY_POSITION);
        Files.write(log.resolve("log-00000001.seg"), new byte[16]); // the node then creates its log
        assertThat(PostingIds.of(log)).isEqualTo(PostingIds.BY_POSITION);
        assertThat(PostingIds.BY_POSITION.prefix("0b1c-uuid", 42)).isEqualTo("p0000000000000042");
    }

    @Test
    void aLogFromBeforeThePositionSchemeKeepsTransactionIds() throws IOException {
        Path log = dir.resolve("b1");
        Files.createDirectories(log);
        Files.write(log.resolve("log-00000001.seg"), new byte[16]); // written by a version without posting-ids
        assertThat(PostingIds.of(log)).isEqualTo(PostingIds.BY_TRANSACTION);
        assertThat(PostingIds.of(log)).as("recorded").isEqualTo(PostingIds.BY_TRANSACTION);
        assertThat(PostingIds.BY_TRANSACTION.prefix("0b1c-uuid", 42)).isEqualTo("0b1c-uuid");
    }

    @Test
    void positionIdsSortInDeliveryOrder() {
        assertThat(PostingIds.BY_POSITION.prefix("x", 9)).isLessThan(PostingIds.BY_POSITION.prefix("x", 10));
        assertThat(PostingIds.BY_POSITION.prefix("x", 999_999)).isLessThan(PostingIds.BY_POSITION.prefix("x", 1_000_000));
    }
}
