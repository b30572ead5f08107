package org.distribank.app.service;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.distribank.common.SecureFiles;

/**
 * The consortiums this user opened lately, newest first, at most {@link #MAX}, kept in a small JSON
 * file (by default {@code ~/.distribank/recent.json}). Operator tokens are secrets and are not kept.
 */
public final class RecentConsortiums {

    /** A launched one ({@link Kind#LOCAL}, {@code urls} empty) or a remote one ({@code dataDir} null). */
    public record Entry(Kind kind, int banks, String dataDir, boolean separateDataServers, boolean processes,
                        List<String> urls, long lastUsedMs) {

        /** Launched on this machine, or reached at its banks' URLs (kept by name in the file). */
        public enum Kind { LOCAL, REMOTE }

        public String label() {
            return kind == Kind.LOCAL
                    ? banks + " banks in " + dataDir + (separateDataServers ? ", a data server each" : "")
                    : "Banks at " + String.join(", ", urls);
        }

        boolean sameAs(Entry o) {
            return kind == o.kind && (kind == Kind.LOCAL ? String.valueOf(dataDir).equals(o.dataDir)
                    : urls.equals(o.urls));
        }
    }

    public static final int MAX = 8;
    private static final Logger LOG = LoggerFactory.getLogger(RecentConsortiums.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path file;

    public RecentConsortiums(Path file) {
        this.file = file;
    }

    public static RecentConsortiums inUserHome() {
        return new RecentConsortiums(Path.of(System.getProperty("user.home"), ".distribank", "recent.json"));
    }

    public synchronized List<Entry> list() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<Entry> l = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<List<Entry>>() { }.getType());
            // an entry of a kind this version does not know reads as kind null: skipped
            return l == null ? List.of() : l.stream().filter(e -> e != null && e.kind() != null).toList();
        } catch (IOException | JsonParseException e) {
            LOG.warn("ignoring the unreadable list of recent consortiums {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** Puts {@code e} first (replacing the same consortium) and keeps at most {@link #MAX}. */
    public synchronized List<Entry> remember(Entry e) {
        List<Entry> l = new ArrayList<>();
        l.add(e);
        list().stream().filter(x -> !x.sameAs(e)).limit(MAX - 1).forEach(l::add);
        try {
            // operator tokens of remote consortiums may be in it: owner-only
            SecureFiles.writePrivate(file, GSON.toJson(l));
        } catch (IOException ex) {
            LOG.warn("could not remember the consortium in {}: {}", file, ex.getMessage());
        }
        return l;
    }
}
