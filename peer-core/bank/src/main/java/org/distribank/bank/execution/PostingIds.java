package org.distribank.bank.execution;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.distribank.common.SecureFiles;

/**
 * How a bank names its postings at its data server ({@code operation_id}, the data server's idempotency key).
 *
 * <p>By delivery position ({@code p0000000000012345:0:out}): positions are the same at every bank and after every
 * replay, and one position is one operation, which the state machine decides once; and they only grow, so the data
 * server's index of operation ids takes each new id at its right-hand end instead of at a random page (a client's
 * transaction id is a random UUID). In the bank benchmark that halved H2's page serialization and gave about 27 %
 * more transfers/s at 64 clients (BANK.md, "Performance").
 *
 * <p>A data directory that already holds a protocol log from before this scheme keeps naming postings by
 * transaction id ({@code <id>:0:out}): a replay must send the ids its data server already holds, or it would apply
 * them twice. The choice is written once, in {@code posting-ids} next to the log, before the log is created.
 */
public enum PostingIds {
    /** {@code p<position, 16 digits>:<leg>:<out|in>}. */
    BY_POSITION,
    /** {@code <transaction id>:<leg>:<out|in>}: data directories started before positions were used. */
    BY_TRANSACTION;

    private static final String FILE = "posting-ids";

    /** The prefix of one operation's posting ids. */
    public String prefix(String transactionId, long position) {
        if (this != BY_POSITION) {
            return transactionId;
        }
        // "p%016d" without String.format, which parsed the pattern on every posting
        String digits = Long.toString(position);
        return "p" + "0".repeat(Math.max(0, 16 - digits.length())) + digits;
    }

    /** The scheme of the bank whose protocol log is in {@code logDir}: as recorded, or chosen now and recorded. */
    public static PostingIds of(Path logDir) throws IOException {
        SecureFiles.createPrivateDirectories(logDir);
        Path file = logDir.resolve(FILE);
        if (Files.exists(file)) {
            return valueOf(Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        boolean hasLog;
        try (Stream<Path> s = Files.list(logDir)) {
            hasLog = s.anyMatch(p -> p.getFileName().toString().endsWith(".seg"));
        }
        PostingIds chosen = hasLog ? BY_TRANSACTION : BY_POSITION;
        Path tmp = logDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, chosen.name(), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return chosen;
    }
}
