package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher and the servers create holds secrets (configs with tokens) and customers' data (the banks'
 * logs, the data servers' databases): every directory is owner-only (0700) and every config file 0600, created so
 * from the start (common.SecureFiles), whatever the process's umask.
 */
class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void launcherAndServersCreateOwnerOnlyDirectoriesAndConfigs() throws Exception {
        Path data = dir.resolve("new/parent/data");
        LaunchOptions o = LaunchOptions.builder().banks(2).dataDir(data).separateDataServers(true).bcryptCost(4)
                .build();
        try (RunningConsortium c = ConsortiumLauncher.start(o)) {
            JsonObject line = JsonParser.parseString(c.toJsonLine()).getAsJsonObject();
            String b1 = line.getAsJsonArray("banks").get(0).getAsJsonObject().get("url").getAsString();
            Customers.openPersonal(b1, "Cliente Privado", Customers.newCpf(), "privateuser"); // data reaches H2
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir.resolve("new"))) {
            all = s.toList();
        }
        List<Path> dirs = all.stream().filter(Files::isDirectory).toList();
        List<Path> configs = all.stream().filter(p -> p.toString().endsWith(".json")).toList();
        assertThat(dirs).as("the data dir, its new parents, every bank's and data server's directory")
                .hasSizeGreaterThanOrEqualTo(3 + 4);
        for (Path d : dirs) {
            assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(configs).extracting(p -> p.getFileName().toString())
                .contains("consortium.json", "bank.json", "data-server.json");
        for (Path f : configs) {
            assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
