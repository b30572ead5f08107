package org.distribank.dataserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distribank.dataserver.config.DataServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheExampleShapeAndResolvesDataDirAgainstTheFile() throws IOException {
        Path file = dir.resolve("ds.json");
        Files.writeString(file, "{\"port\":8090,\"dataDir\":\"./data/ds1\",\"lockLeaseMs\":1500,\"checkpointMs\":250,"
                + "\"businesses\":[{\"id\":\"b1\",\"token\":\"secret-token-1\"}]}");
        DataServerOptions o = DataServerConfig.load(file);
        assertThat(o.port()).isEqualTo(8090);
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.lockLeaseMs()).isEqualTo(1500);
        assertThat(o.checkpointMs()).isEqualTo(250);
        assertThat(o.dataDir()).isEqualTo(dir.resolve("data/ds1").toAbsolutePath().normalize());
        assertThat(o.tokens()).containsEntry("b1", "secret-token-1");
        assertThat(o.toString()).doesNotContain("secret-token-1");
    }

    @Test
    void theShippedExampleLoads() throws IOException {
        DataServerOptions o = DataServerConfig.load(Path.of("config", "example.json"));
        assertThat(o.tokens()).containsKeys("b1", "b2", "b3");
    }

    @Test
    void thePostgresqlExampleNamesItsDatabaseAndHidesItsPassword() throws IOException {
        DataServerOptions o = DataServerConfig.load(Path.of("config", "example-postgresql.json"));
        assertThat(o.jdbcUrl()).startsWith("jdbc:postgresql://");
        assertThat(o.jdbcUser()).isEqualTo("distribank");
        assertThat(o.jdbcPassword()).isNotBlank();
        assertThat(o.toString()).doesNotContain(o.jdbcPassword());
    }

    @Test
    void listensOnTheConfiguredHostOnly() throws Exception {
        Path file = dir.resolve("host.json");
        Files.writeString(file, "{\"host\":\"127.0.0.2\",\"port\":0,\"dataDir\":\"d\","
                + "\"businesses\":[{\"id\":\"b4\",\"token\":\"secret-token-4\"}]}");
        DataServerOptions o = DataServerConfig.load(file);
        assertThat(o.host()).isEqualTo("127.0.0.2");
        try (DataServer server = DataServer.start(o)) {
            assertThat(server.url()).isEqualTo("http://127.0.0.2:" + server.port());
            assertThat(new Client(server.url(), null).get("/health").status()).isEqualTo(200);
            // bound to that address, not to every interface: the same port on 127.0.0.1 is refused
            assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void refusesBrokenConfigs() throws IOException {
        Path file = dir.resolve("bad.json");
        for (String bad : new String[] {"{}", "{\"dataDir\":\"d\"}", "{\"dataDir\":\"d\",\"businesses\":[{\"id\":\"b1\"}]}",
            "{\"dataDir\":\"d\",\"port\":-1,\"businesses\":[{\"id\":\"b1\",\"token\":\"secret-token-1\"}]}",
            "{\"dataDir\":\"d\",\"businesses\":[{\"id\":\"b1\",\"token\":\"short\"}]}"}) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> DataServerConfig.load(file)).as(bad).isInstanceOf(IOException.class);
        }
    }

    @Test
    void twoBusinessesWithOneTokenAreRefusedAtStartWithAClearMessage() throws IOException {
        Path file = dir.resolve("shared.json");
        Files.writeString(file, "{\"dataDir\":\"d\",\"businesses\":[{\"id\":\"b1\",\"token\":\"one-token-for-two\"},"
                + "{\"id\":\"b2\",\"token\":\"one-token-for-two\"}]}");
        assertThatThrownBy(() -> DataServerConfig.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("b1 and b2").hasMessageContaining("same token")
                .hasMessageNotContaining("one-token-for-two");
        assertThatThrownBy(() -> DataServerOptions.builder().dataDir(dir.resolve("d"))
                .business("b1", "one-token-for-two").business("b2", "one-token-for-two").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same token");
        Files.writeString(file, "{\"dataDir\":\"d\",\"businesses\":[{\"id\":\"b1\",\"token\":\"token-one-1\"},"
                + "{\"id\":\"b1\",\"token\":\"token-one-2\"}]}");
        assertThatThrownBy(() -> DataServerConfig.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("b1 is listed twice");
    }
}
