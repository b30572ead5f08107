package org.distribank.dataserver.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distribank.common.tls.TlsOptions;
import org.distribank.dataserver.DataServerOptions;

/**
 * The JSON configuration file of a data server:
 * {@code {"port":8090,"host":"127.0.0.1","dataDir":"./data/ds1","lockLeaseMs":5000,
 * "businesses":[{"id":"b1","token":"..."}],"jdbcUrl":null,"jdbcUser":null,"jdbcPassword":null,
 * "tls":{"certificate":"ds1.crt","key":"ds1.key","trustedCa":"ca.crt"}}} ({@code tls} optional).
 * A relative {@code dataDir} (or TLS file) is resolved against the file's own directory, so a config works from any cwd.
 */
public final class DataServerConfig {

    private DataServerConfig() {
    }

    public static DataServerOptions load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text, file.toAbsolutePath().getParent());
        } catch (RuntimeException e) {
            throw new IOException("invalid data server config " + file + ": " + e.getMessage(), e);
        }
    }

    public static DataServerOptions parse(String json, Path baseDir) {
        JsonElement root = JsonParser.parseString(json);
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("the config must be a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        DataServerOptions.Builder b = DataServerOptions.builder();
        String host = optString(o, "host");
        if (host != null) {
            b.host(host);
        }
        if (o.has("port")) {
            b.port(intValue(o, "port"));
        }
        String dataDir = optString(o, "dataDir");
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        Path dir = Path.of(dataDir);
        b.dataDir(dir.isAbsolute() || baseDir == null ? dir : baseDir.resolve(dir).normalize());
        if (o.has("lockLeaseMs")) {
            b.lockLeaseMs(intValue(o, "lockLeaseMs"));
        }
        if (o.has("checkpointMs")) {
            b.checkpointMs(intValue(o, "checkpointMs"));
        }
        JsonElement businesses = o.get("businesses");
        if (businesses == null || !businesses.isJsonArray()) {
            throw new IllegalArgumentException("businesses must be an array of {\"id\",\"token\"}");
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonElement e : (JsonArray) businesses) {
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("each business must be an object {\"id\",\"token\"}");
            }
            String id = optString(e.getAsJsonObject(), "id");
            String token = optString(e.getAsJsonObject(), "token");
            if (id == null || token == null) {
                throw new IllegalArgumentException("each business needs an id and a token");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("business " + id + " is listed twice");
            }
            b.business(id, token);
        }
        b.jdbc(optString(o, "jdbcUrl"), optString(o, "jdbcUser"), optString(o, "jdbcPassword"));
        b.tls(TlsOptions.fromConfig(o, baseDir));
        return b.build();
    }

    private static String optString(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return e.getAsString();
    }

    private static int intValue(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()
                || !e.getAsString().matches("\\d{1,9}")) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
        return Integer.parseInt(e.getAsString());
    }
}
