package org.distribank.bank.execution;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Outcome;
import org.distribank.consortium.entity.VectorClock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bank's decided operations and the idempotency record of client ids, on disk (an H2 MVStore file next to
 * the protocol log), with a bounded in-heap cache (Caffeine) in front: the heap holds the recent ones, never the
 * history. Two maps: operation id to its decision (the operation and its outcome), and delivery position to
 * operation id (paged reading in delivery order, and forgetting the oldest).
 *
 * <p>Durability: writes reach the file at the store's commits (every second, in the background, and at
 * {@link #sync}/{@link #close}); the protocol log is the source of truth, and a bank killed before a commit
 * decides those operations again at replay. Whoever truncates the log below a position calls {@link #sync} first.
 *
 * <p>Retention: an id is remembered for at least {@code keepFor} (30 days in production) and at least
 * {@code keepOperations} deliveries (100 million), whichever is later; only then is it forgotten, and a retry of it
 * is a new operation (BANK.md, "Idempotency window").
 */
public final class DecidedStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecidedStore.class);
    public static final long DEFAULT_CACHE_SIZE = 50_000;
    public static final long DEFAULT_KEEP_OPERATIONS = 100_000_000L;
    public static final Duration DEFAULT_KEEP_FOR = Duration.ofDays(30);
    /** Retention is looked at once per this many decisions, and forgets at most this many at a time. */
    static final int PRUNE_EVERY = 4_096;

    private final MVStore store;
    /** Operation id to its delivery position: small entries, so the random ids dirty few pages per store. */
    private final MVMap<String, Long> byId;
    /** Delivery position to the decision (JSON): appended in order, so a store writes only the newest pages. */
    private final MVMap<Long, String> byPosition;
    private final Cache<String, DecidedOperation> cache;
    private final long keepOperations;
    private final Duration keepFor;
    private final Clock clock;
    private long putsSincePrune;
    private final boolean persistent;

    private DecidedStore(MVStore store, long cacheSize, long keepOperations, Duration keepFor, Clock clock,
                         boolean persistent) {
        if (cacheSize < 0 || keepOperations < 1 || keepFor.isNegative()) {
            throw new IllegalArgumentException("cacheSize >= 0, keepOperations >= 1 and keepFor >= 0");
        }
        this.store = store;
        this.byId = store.openMap("idToPosition");
        this.byPosition = store.openMap("positionToDecision");
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.keepOperations = keepOperations;
        this.keepFor = keepFor;
        this.clock = clock;
        this.persistent = persistent;
    }

    /** The store in {@code file} (created if absent), with the production retention and cache size. */
    public static DecidedStore open(Path file, Clock clock) {
        return open(file, DEFAULT_CACHE_SIZE, DEFAULT_KEEP_OPERATIONS, DEFAULT_KEEP_FOR, clock);
    }

    public static DecidedStore open(Path file, long cacheSize, long keepOperations, Duration keepFor, Clock clock) {
        // No compression, and stores of up to 16 MB every 5 s: each store serializes every page changed since the
        // last one, so fewer, larger stores write each page once for many decisions (compressed stores every
        // 1 MB took about a quarter of four banks' CPU in bench bank). Nothing is lost by the wait: the protocol
        // log holds every decision until a snapshot, and a snapshot forces this store first (sync).
        MVStore s = new MVStore.Builder().fileName(file.toString()).cacheSize(8).autoCommitBufferSize(16 * 1024)
                .open();
        s.setAutoCommitDelay(5_000);
        return new DecidedStore(s, cacheSize, keepOperations, keepFor, clock, true);
    }

    /** In memory only (tests, simulators): forgets everything at close. */
    public static DecidedStore inMemory() {
        return new DecidedStore(new MVStore.Builder().open(), DEFAULT_CACHE_SIZE, DEFAULT_KEEP_OPERATIONS,
                DEFAULT_KEEP_FOR, Clock.systemUTC(), false);
    }

    /** Records a decision (the same one again is harmless: replay). Called in delivery order. */
    public void put(DecidedOperation d) {
        String id = d.outcome().id();
        cache.put(id, d);
        byPosition.put(d.outcome().position(), encode(d, clock.millis()));
        byId.put(id, d.outcome().position());
        if (++putsSincePrune >= PRUNE_EVERY) {
            putsSincePrune = 0;
            prune();
        }
    }

    public Optional<DecidedOperation> get(String id) {
        DecidedOperation d = cache.getIfPresent(id);
        if (d != null) {
            return Optional.of(d);
        }
        Long position = byId.get(id);
        String json = position == null ? null : byPosition.get(position);
        if (json == null) {
            return Optional.empty();
        }
        d = decode(json);
        cache.put(id, d);
        return Optional.of(d);
    }

    public boolean contains(String id) {
        return cache.getIfPresent(id) != null || byId.containsKey(id);
    }

    /**
     * Up to {@code limit} decided operations after delivery position {@code after}, in delivery order (read from
     * the store, not kept in the heap).
     */
    public List<DecidedOperation> after(long after, int limit) {
        List<DecidedOperation> out = new ArrayList<>(Math.min(limit, 1_024));
        Iterator<Long> keys = byPosition.keyIterator(after + 1);
        while (keys.hasNext() && out.size() < limit) {
            String json = byPosition.get(keys.next());
            if (json != null) {
                out.add(decode(json));
            }
        }
        return out;
    }

    /** The highest delivery position recorded, or 0. */
    public long lastPosition() {
        Long last = byPosition.lastKey();
        return last == null ? 0 : last;
    }

    /** Decisions remembered (on disk). */
    public long size() {
        return byId.sizeAsLong();
    }

    /** Decisions in the heap cache (bounded by the cache size). */
    public long cached() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * Forgets the oldest decisions that are past both bounds (older than {@code keepFor} and more than
     * {@code keepOperations} deliveries ago), at most {@link #PRUNE_EVERY} at a time; returns how many.
     */
    public int prune() {
        long last = lastPosition();
        long cutoffMillis = clock.millis() - keepFor.toMillis();
        int forgotten = 0;
        Iterator<Long> keys = byPosition.keyIterator(null);
        while (keys.hasNext() && forgotten < PRUNE_EVERY) {
            long position = keys.next();
            if (position > last - keepOperations) {
                break;
            }
            String json = byPosition.get(position);
            JsonObject j = json == null ? null : JsonParser.parseString(json).getAsJsonObject();
            if (j != null && j.get("at").getAsLong() > cutoffMillis) {
                break; // the oldest is still inside the time window: so is everything after it
            }
            byPosition.remove(position);
            if (j != null) {
                String id = j.get("id").getAsString();
                byId.remove(id, position);
                cache.invalidate(id);
            }
            forgotten++;
        }
        if (forgotten > 0) {
            LOG.info("forgot {} decided operations past the idempotency window", forgotten);
        }
        return forgotten;
    }

    /** Whether the decisions are in a file (false: {@link #inMemory()}, gone with the process). */
    public boolean persistent() {
        return persistent;
    }

    /** Writes and forces everything recorded so far to the file (before truncating the log below it). */
    public void sync() {
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ encoding

    private static String encode(DecidedOperation d, long atMillis) {
        Outcome o = d.outcome();
        JsonObject j = new JsonObject();
        if (d.operation() != null) {
            j.addProperty("op", d.operation().toJson());
        }
        j.addProperty("origin", o.origin());
        if (o.clock() != null) {
            JsonObject c = new JsonObject();
            o.clock().entries().forEach(c::addProperty);
            j.add("clock", c);
        }
        j.addProperty("decision", o.decision().name());
        j.addProperty("reason", o.reason());
        j.addProperty("voter", o.voter());
        j.addProperty("position", o.position());
        j.addProperty("id", o.id());
        j.addProperty("at", atMillis);
        return j.toString();
    }

    private static DecidedOperation decode(String json) {
        JsonObject j = JsonParser.parseString(json).getAsJsonObject();
        BankOperation op = j.has("op") ? BankOperation.parse(j.get("op").getAsString()).orElse(null) : null;
        VectorClock clock = null;
        if (j.has("clock")) {
            Map<String, Long> entries = new LinkedHashMap<>();
            j.getAsJsonObject("clock").entrySet().forEach(e -> entries.put(e.getKey(), e.getValue().getAsLong()));
            clock = new VectorClock(entries);
        }
        Outcome o = new Outcome(j.get("id").getAsString(), j.get("origin").getAsString(), clock,
                Decision.valueOf(j.get("decision").getAsString()), text(j, "reason"), text(j, "voter"),
                j.get("position").getAsLong());
        return new DecidedOperation(op, o);
    }

    private static String text(JsonObject j, String field) {
        return j.has(field) && !j.get(field).isJsonNull() ? j.get(field).getAsString() : null;
    }
}
