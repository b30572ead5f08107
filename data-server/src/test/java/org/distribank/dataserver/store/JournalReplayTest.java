package org.distribank.dataserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.distribank.common.ApiException;
import org.distribank.dataserver.DataServerOptions;
import org.distribank.dataserver.balance.Ledger;
import org.distribank.dataserver.bank.Writes;
import org.distribank.dataserver.lock.LockTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash between checkpoints: the machine loses everything H2 had not forced to disk (its file goes back to what it
 * held at the last checkpoint, like a power cut), and the restart replays the journal. Every table must come back exactly as it was, and
 * nothing refused comes back.
 */
class JournalReplayTest {

    private static final String BANK = "b1";
    private static final long NEVER = 3_600_000; // no checkpoint during the test

    @TempDir
    Path dir;

    private Database database;
    private GroupCommitWriter writer;
    private final Writes writes = new Writes(new Ledger(new LockTable()));

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private void open(long checkpointMs) throws IOException, SQLException {
        DataServerOptions o = DataServerOptions.builder().dataDir(dir).business(BANK, "token-of-b1-0123456789")
                .checkpointMs(checkpointMs).build();
        database = Database.open(o);
        writer = new GroupCommitWriter(database, Journal.open(dir.resolve("journal")), writes, checkpointMs);
        // the writer's start ends with a checkpoint: the file as it is now is what a power cut would leave of it
        Files.copy(databaseFile(), synced(), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path databaseFile() {
        return dir.resolve("distribank.mv.db");
    }

    private Path synced() {
        return dir.resolve("distribank.mv.db.synced");
    }

    private Object write(String kind, String json) {
        JsonObject args = JsonParser.parseString(json).getAsJsonObject();
        return writer.execute(kind, BANK, args, writes.task(kind, BANK, args));
    }

    /**
     * A power cut: H2 stops at once, the writer's thread dies, nothing is closed cleanly, and H2's file is what the
     * last checkpoint forced to disk (the journal's frames were forced when they were appended).
     */
    private void powerCut() throws Exception {
        crash();
        Files.move(synced(), databaseFile(), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A kill: H2 stops at once, the writer's thread dies, nothing is closed cleanly; the files stay as written. */
    private void crash() throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException e) {
            // the connection goes down with the database
        }
        writer.abandon();
        writer = null;
        database.close();
        database = null;
    }

    @Test
    void everyWriteSinceTheLastCheckpointIsReplayedExactlyAfterACrash() throws Exception {
        open(NEVER);
        write(Writes.CUSTOMER, "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\",\"password_hash\":\"h1\"}");
        write(Writes.CUSTOMER, "{\"cpf\":\"22222222222\",\"name\":\"Bia\",\"username\":\"bia\",\"password_hash\":\"h2\","
                + "\"email\":\"bia@example.com\"}");
        write(Writes.ACCOUNT, "{\"account_id\":\"acc-1\",\"type\":\"JOINT\",\"holders\":[{\"cpf\":\"11111111111\","
                + "\"role\":\"HOLDER\"}]}");
        write(Writes.ACCOUNT, "{\"account_id\":\"acc-2\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"22222222222\","
                + "\"role\":\"HOLDER\"}]}");
        write(Writes.HOLDER, "{\"account_id\":\"acc-1\",\"cpf\":\"22222222222\",\"role\":\"HOLDER\"}");
        write(Writes.SET_BALANCE, "{\"account_id\":\"acc-1\",\"value\":10000,\"operation_id\":\"dep-1\",\"owner\":\"b1\"}");
        write(Writes.POSTINGS, "{\"owner\":\"b1\",\"postings\":["
                + "{\"operation_id\":\"t1:0:d\",\"account_id\":\"acc-1\",\"value\":-2500,\"kind\":\"TRANSFER_OUT\","
                + "\"transaction\":\"t1\",\"counterparty\":\"b1/acc-2\"},"
                + "{\"operation_id\":\"t1:0:c\",\"account_id\":\"acc-2\",\"value\":2500,\"kind\":\"TRANSFER_IN\","
                + "\"transaction\":\"t1\",\"counterparty\":\"b1/acc-1\"}],"
                + "\"outcomes\":[{\"transaction_id\":\"t1\",\"fingerprint\":\"f1\",\"status\":\"COMMITTED\"}]}");
        // refused (more than the balance): rolled back, not journaled, so not replayed either
        assertThatThrownBy(() -> write(Writes.POSTINGS, "{\"owner\":\"b1\",\"postings\":[{\"operation_id\":\"t2:0:d\","
                + "\"account_id\":\"acc-2\",\"value\":-999999,\"kind\":\"WITHDRAWAL\"}]}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("below zero");
        write(Writes.PIX_CREATE, "{\"key\":\"ana@example.com\",\"type\":\"EMAIL\",\"account_id\":\"acc-1\"}");
        write(Writes.PIX_CREATE, "{\"key\":\"11111111111\",\"type\":\"CPF\",\"account_id\":\"acc-1\"}");
        write(Writes.PIX_DELETE, "{\"key\":\"11111111111\"}");
        write(Writes.OUTCOME, "{\"transaction_id\":\"t3\",\"fingerprint\":\"f3\",\"status\":\"ABORTED\","
                + "\"reason\":\"INSUFFICIENT_FUNDS\",\"failed_leg\":0,\"order\":{\"origin\":\"b2\"}}");
        // one owner per account: the bank's claim is journaled, and the original setBalance after it refused
        write(Writes.MANAGER_CLAIM, "{\"bank\":\"b1\",\"name\":\"Bank 1\"}");
        assertThatThrownBy(() -> write(Writes.SET_BALANCE, "{\"account_id\":\"acc-1\",\"value\":-7500,"
                + "\"operation_id\":\"legacy-1\",\"owner\":\"b1\"}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("managed by bank b1");
        String before = dump();
        assertThat(before).contains("acc-1").contains("t1:0:d").contains("ana@example.com").doesNotContain("t2:0:d")
                .contains("BANK_ID=b1").doesNotContain("legacy-1");

        powerCut();
        open(NEVER);

        assertThat(writer.replayedWrites()).isEqualTo(12); // every accepted write, not the refused ones
        assertThat(dump()).isEqualTo(before);
        // and the store goes on from there: the next write sees the replayed state
        assertThatThrownBy(() -> write(Writes.CUSTOMER, "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana2\","
                + "\"password_hash\":\"h\"}")).isInstanceOf(ApiException.class).hasMessageContaining("already exists");
    }

    @Test
    void aTornLastFrameIsIgnoredAndTheRestReplayed() throws Exception {
        open(NEVER);
        write(Writes.CUSTOMER, "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\",\"password_hash\":\"h1\"}");
        write(Writes.ACCOUNT, "{\"account_id\":\"acc-1\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"11111111111\","
                + "\"role\":\"HOLDER\"}]}");
        String before = dump();
        powerCut();
        // the crash also cut a frame that was being appended (it was never answered)
        Path segment = segments().get(0);
        Files.write(segment, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);

        open(NEVER);
        assertThat(writer.replayedWrites()).isEqualTo(2);
        assertThat(dump()).isEqualTo(before);
    }

    /**
     * H2's store is consistent per map, not across maps: a chunk its background writer stores while a batch is under
     * way can hold half of it, and a kill right after leaves a file that says a batch is there when part of it is
     * not (an acknowledged write lost, and not replayed). So H2 stores only when the writer's thread commits.
     */
    @Test
    void theEmbeddedDatabaseNeverStoresBesideTheWriter() throws Exception {
        open(50);
        write(Writes.CUSTOMER, "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\",\"password_hash\":\"h1\"}");
        String file = dir.toAbsolutePath().resolve("distribank").toString();
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .noneMatch(n -> n.startsWith("MVStore background writer") && n.contains(file))
                .noneMatch(n -> n.startsWith("data-server-checkpoint"));
    }

    @Test
    void checkpointsWriteTheDatabaseOutAndDropTheJournalBehindThem() throws Exception {
        open(50);
        write(Writes.CUSTOMER, "{\"cpf\":\"11111111111\",\"name\":\"Ana\",\"username\":\"ana\",\"password_hash\":\"h1\"}");
        long firstSegment = firstSeqOf(segments().get(0));
        write(Writes.ACCOUNT, "{\"account_id\":\"acc-1\",\"type\":\"PERSONAL\",\"holders\":[{\"cpf\":\"11111111111\","
                + "\"role\":\"HOLDER\"}]}");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> position() >= 2
                && segments().stream().noneMatch(p -> firstSeqOf(p) == firstSegment));
        String before = dump();
        crash();
        open(NEVER);
        assertThat(writer.replayedWrites()).isZero(); // the database held everything already
        assertThat(dump()).isEqualTo(before);
    }

    private long position() throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT seq FROM journal_position WHERE id = 1")) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("journal"))) {
            return s.sorted().toList();
        }
    }

    private static long firstSeqOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring("journal-".length(), name.length() - ".log".length()));
    }

    /** Every row of every table the writes touch, in a fixed order. */
    private String dump() throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("customers", "accounts", "account_holders", "pix_keys", "statement_entries",
                "operations", "transaction_outcomes", "business_managers")) {
            out.append(table).append('\n');
            try (Connection c = database.connection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2, 3")) {
                ResultSetMetaData m = r.getMetaData();
                while (r.next()) {
                    for (int i = 1; i <= m.getColumnCount(); i++) {
                        out.append(m.getColumnName(i)).append('=').append(r.getString(i)).append(' ');
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }
}
