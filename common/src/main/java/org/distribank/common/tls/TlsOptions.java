package org.distribank.common.tls;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The optional {@code "tls"} object of a bank's or a data server's config file:
 * {@code {"certificate":"b1.crt","key":"b1.key","trustedCa":"ca.crt"}}, PEM files as {@code ./distribank pki issue}
 * writes them; relative paths are resolved against the config file's directory. {@code certificate} and
 * {@code key} are this server's own (served on its port, and presented as a client certificate when it calls
 * others); {@code trustedCa} is the consortium CA that the certificates of its peers, of its data server or of
 * its clients must chain to. Any of them may be null where the context allows (see the configs' docs).
 */
public record TlsOptions(Path certificate, Path key, Path trustedCa) {

    public TlsOptions {
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("tls: \"certificate\" and \"key\" go together");
        }
        if (certificate == null && trustedCa == null) {
            throw new IllegalArgumentException("tls: needs \"certificate\" and \"key\", or \"trustedCa\", or all three");
        }
    }

    /** The {@code "tls"} member of {@code config}, or null when it has none. */
    public static TlsOptions fromConfig(JsonObject config, Path baseDir) {
        JsonElement e = config.get("tls");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("tls must be an object {\"certificate\",\"key\",\"trustedCa\"}");
        }
        JsonObject o = e.getAsJsonObject();
        return new TlsOptions(path(o, "certificate", baseDir), path(o, "key", baseDir), path(o, "trustedCa", baseDir));
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        if (certificate != null) {
            o.addProperty("certificate", certificate.toString());
            o.addProperty("key", key.toString());
        }
        if (trustedCa != null) {
            o.addProperty("trustedCa", trustedCa.toString());
        }
        return o;
    }

    /** Reads the files (the key stays in memory only). */
    public TlsContext load() throws IOException {
        return TlsContext.load(this);
    }

    private static Path path(JsonObject o, String name, Path baseDir) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("tls." + name + " must be a file path (a string)");
        }
        Path p = Path.of(e.getAsString());
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }
}
