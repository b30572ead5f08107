package org.distribank.bank.execution;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.distribank.bank.consent.Consent;
import org.distribank.bank.pix.PixEntry;
import org.distribank.consortium.entity.VectorClock;

/**
 * What a {@link BankMachine} snapshot holds (BANK.md, "Snapshots"): every piece of state the log's replay would
 * rebuild, as UTF-8 JSON. Deterministic: maps are sorted by key, lists in a fixed order (the PIX directory by key,
 * consents by id, decided operations in delivery order), so two machines in the same state give the same
 * bytes. {@code version} lets a later bank refuse (or convert) an older layout instead of misreading it.
 *
 * @param holdsByOp        per undecided operation of this bank's YES votes: account → amount held
 * @param pixHolds         key → the operation whose YES vote holds it
 * @param pixHoldAccounts  key → this bank's account, for the held registrations of its own accounts
 * @param consentHoldsByOp per undecided operation: consent → amount its YES took from the consent's limit
 * @param grantsVoted      consent grants this bank voted YES on, undecided
 * @param revokesVoted     consent revocations this bank voted YES on, undecided (sorted)
 * @param depositHoldsByOp per undecided deposit this bank voted YES on: the amount it would add to the supply
 * @param pix              the consortium's PIX directory replica, by key
 * @param consents         the consortium's consents replica, by id
 * @param decidedThrough   the delivery position of the last decision applied to this state
 * @param decided          the decided operations, in delivery order, only when the machine's {@link DecidedStore} is
 *                         in memory (a test's, a simulator's); a bank's store is on disk, forced before the snapshot
 * @param retired          the banks retired from the consortium (sorted; absent in a snapshot from before retirement)
 * @param retireVoted      this bank's own RETIRE_BANK it voted YES on, undecided (null: none)
 */
record BankSnapshot(int version, String self, long moneySupply, long depositsHeld,
                    SortedMap<String, Long> balances,
                    SortedMap<String, Long> holds,
                    SortedMap<String, SortedMap<String, Long>> holdsByOp,
                    SortedMap<String, String> pixHolds,
                    SortedMap<String, String> pixHoldAccounts,
                    SortedMap<String, Long> consentHolds,
                    SortedMap<String, SortedMap<String, Long>> consentHoldsByOp,
                    SortedMap<String, Consent> grantsVoted,
                    List<String> revokesVoted,
                    SortedMap<String, Long> depositHoldsByOp,
                    SortedMap<String, AuditFigure> audits,
                    List<PixEntry> pix,
                    List<Consent> consents,
                    long decidedThrough,
                    List<DecidedOperation> decided,
                    List<String> retired,
                    String retireVoted) {

    static final int VERSION = 1;

    /** Nulls left out, clocks as their entries in peer order: the same state always gives the same bytes. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(VectorClock.class, (JsonSerializer<VectorClock>) (clock, type, ctx) -> {
                JsonObject o = new JsonObject();
                clock.entries().forEach(o::addProperty);
                return o;
            })
            .registerTypeAdapter(VectorClock.class, (JsonDeserializer<VectorClock>) (json, type, ctx) -> {
                Map<String, Long> entries = new LinkedHashMap<>();
                json.getAsJsonObject().entrySet().forEach(e -> entries.put(e.getKey(), e.getValue().getAsLong()));
                return new VectorClock(entries);
            })
            .create();

    /** Written straight as UTF-8 (no intermediate String: a snapshot is about 330 bytes per decided operation). */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            GSON.toJson(this, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalStateException for bytes that are not a bank snapshot of this version */
    static BankSnapshot fromBytes(byte[] bytes) {
        BankSnapshot s;
        try {
            s = GSON.fromJson(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
                    BankSnapshot.class);
        } catch (JsonParseException | UncheckedIOException e) {
            throw new IllegalStateException("unreadable bank snapshot: " + e.getMessage(), e);
        }
        if (s == null || s.version() != VERSION) {
            throw new IllegalStateException("bank snapshot version " + (s == null ? "none" : s.version())
                    + ", this bank reads version " + VERSION);
        }
        return s;
    }
}
