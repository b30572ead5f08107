package org.distribank.consortium.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peer routes need the consortium credential; bad input is a 400, never a 500. */
class PeerEndpointAuthTest {

    @TempDir
    Path dir;
    private final OkHttpClient http = new OkHttpClient();

    private Response post(String url, String auth, String body) throws Exception {
        Request.Builder b = new Request.Builder().url(url)
                .post(RequestBody.create(body, MediaType.get("application/json")));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.newCall(b.build()).execute();
    }

    @Test
    void missingOrWrongCredentialIs401WithAJsonErrorAndChangesNothing() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            String batch = "{\"from\":\"b2\",\"messages\":[{\"seq\":1,\"type\":\"OP\",\"clock\":{\"b2\":1},"
                    + "\"id\":\"forged\",\"payload\":\"key=x;delta=1\"}]}";
            for (String auth : new String[] {null, "Bearer wrong", TestCluster.CREDENTIAL}) {
                for (String path : new String[] {"/peer/v1/messages", "/peer/v1/heartbeat"}) {
                    try (Response r = post(c.url("b1") + path, auth, batch)) {
                        assertThat(r.code()).isEqualTo(401);
                        assertThat(r.header("Content-Type")).contains("application/json");
                        assertThat(r.body().string()).contains("\"error\":\"UNAUTHORIZED\"").contains("\"message\"");
                    }
                }
            }
            assertThat(c.node("b1").view().queue()).isEmpty();
        }
    }

    @Test
    void malformedBatchesAre400() throws Exception {
        try (TestCluster c = new TestCluster(2, dir, null).start()) {
            String auth = "Bearer " + TestCluster.CREDENTIAL;
            for (String body : new String[] {"not json", "{}", "{\"from\":\"b9\",\"messages\":[]}",
                    "{\"from\":\"b2\",\"messages\":\"x\"}"}) {
                try (Response r = post(c.url("b1") + "/peer/v1/messages", auth, body)) {
                    assertThat(r.code()).as(body).isEqualTo(400);
                    assertThat(r.body().string()).contains("\"error\":\"BAD_REQUEST\"");
                }
            }
        }
    }
}
