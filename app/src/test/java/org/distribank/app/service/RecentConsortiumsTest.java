package org.distribank.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentConsortiumsTest {

    @TempDir
    Path dir;

    private static RecentConsortiums.Entry local(String d, long at) {
        return new RecentConsortiums.Entry(RecentConsortiums.Entry.Kind.LOCAL, 4, d, false, false, List.of(), at);
    }

    @Test
    void newestFirstTheSameConsortiumOnceAndAtMostEight() {
        RecentConsortiums r = new RecentConsortiums(dir.resolve("sub").resolve("recent.json"));
        assertThat(r.list()).isEmpty();
        for (int i = 0; i < 10; i++) {
            r.remember(local("d" + i, i));
        }
        r.remember(local("d5", 99));
        List<RecentConsortiums.Entry> l = new RecentConsortiums(dir.resolve("sub").resolve("recent.json")).list();
        assertThat(l).hasSize(RecentConsortiums.MAX);
        assertThat(l).extracting(RecentConsortiums.Entry::dataDir).startsWith("d5", "d9", "d8").doesNotHaveDuplicates()
                .doesNotContain("d0", "d1");
    }

    @Test
    void remoteEntriesKeepTheirUrlsButNoToken() throws Exception {
        RecentConsortiums r = new RecentConsortiums(dir.resolve("recent.json"));
        r.remember(new RecentConsortiums.Entry(RecentConsortiums.Entry.Kind.REMOTE, 3, null, false, false,
                List.of("http://127.0.0.1:7001"), 1));
        assertThat(r.list().get(0).label()).contains("http://127.0.0.1:7001");
        assertThat(Files.readString(dir.resolve("recent.json"))).doesNotContainIgnoringCase("token");
    }

    @Test
    void anUnreadableFileIsIgnoredNotFatal() throws Exception {
        Files.writeString(dir.resolve("recent.json"), "{not json");
        RecentConsortiums r = new RecentConsortiums(dir.resolve("recent.json"));
        assertThat(r.list()).isEmpty();
        assertThat(r.remember(local("x", 1))).hasSize(1);
        assertThat(r.list()).hasSize(1);
    }
}
