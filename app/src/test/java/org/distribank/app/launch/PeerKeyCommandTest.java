package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.distribank.app.cli.DistribankCli;
import org.distribank.consortium.PeerKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./distribank peer --new-key FILE}: a bank's own key, owner-only from creation, never overwritten. */
class PeerKeyCommandTest {

    @TempDir
    Path dir;

    @Test
    void makesAnOwnerOnlyKeyAndPrintsItsPublicHalf() throws Exception {
        Path key = dir.resolve("b1.key");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = DistribankCli.commandLine().execute("peer", "--new-key", key.toString());
        } finally {
            System.setOut(out);
        }
        assertThat(code).isZero();
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String publicKey = JsonParser.parseString(printed.toString(StandardCharsets.UTF_8)).getAsJsonObject()
                .get("publicKey").getAsString();
        assertThat(PeerKeys.matches(PeerKeys.readPrivateKey(key), PeerKeys.publicKey(publicKey))).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(Files.readString(key).strip());

        String before = Files.readString(key);
        assertThat(DistribankCli.commandLine().execute("peer", "--new-key", key.toString())).isNotZero();
        assertThat(Files.readString(key)).isEqualTo(before); // never overwritten
    }
}
