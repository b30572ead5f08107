package org.distribank.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.distribank.bank.BankConfig;
import org.distribank.bank.BankOptions;
import org.distribank.bank.BankPeer;
import org.distribank.bank.ledger.DataServerLink;
import org.distribank.common.tls.Pki;
import org.distribank.common.tls.TlsContext;
import org.distribank.common.tls.TlsOptions;
import org.distribank.consortium.PeerSigner;
import org.distribank.consortium.PeerKeys;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.dataserver.DataServer;
import org.distribank.dataserver.DataServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Banks and a data server with TLS from the consortium's PKI, on loopback: HTTPS for everyone who trusts the CA,
 * peer routes only for a bank's own certificate from that CA, bank to data server over mutual TLS, and the
 * consortium working over it (heartbeats, WebSocket links, deposits and a transfer between the two banks).
 */
class MutualTlsTest {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Each bank's own peer key: peer requests are signed as well as sent over mutual TLS. */
    private static final java.util.Map<String, java.security.KeyPair> KEYS = java.util.Map.of(
            "b1", PeerKeys.generate(), "b2", PeerKeys.generate());
    private static final String OPERATOR = "operator-token-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    @Timeout(120)
    void banksAndDataServerSpeakMutualTlsAndPeerRoutesNeedTheBanksOwnCertificate() throws Exception {
        Path pki = dir.resolve("pki");
        Pki.init(pki, "Test-CA");
        for (String n : List.of("b1", "b2", "ds")) {
            Pki.issue(pki, n, List.of("localhost"), List.of("127.0.0.1"));
        }
        Path rogue = dir.resolve("rogue");
        Pki.init(rogue, "Rogue-CA");
        Pki.issue(rogue, "b2", List.of(), List.of()); // the right name, the wrong CA
        Path ca = pki.resolve("ca.crt");

        DataServer ds = DataServer.start(DataServerOptions.builder().dataDir(dir.resolve("ds"))
                .business("b1", "token-of-b1-x").business("b2", "token-of-b2-x")
                .tls(new TlsOptions(pki.resolve("ds.crt"), pki.resolve("ds.key"), ca)).build());
        open.add(ds);
        assertThat(ds.url()).startsWith("https://");

        OkHttpClient customer = client(new TlsOptions(null, null, ca));
        OkHttpClient asB1 = client(tls(pki, "b1"));
        OkHttpClient asB2 = client(tls(pki, "b2"));
        OkHttpClient asRogueB2 = client(tls(rogue, "b2"));

        // the data server: HTTPS, and only for a client with a certificate from the CA
        assertThat(call(asB1, "GET", ds.url() + "/health", null, null).status).isEqualTo(200);
        assertThatThrownBy(() -> call(customer, "GET", ds.url() + "/health", null, null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> call(asRogueB2, "GET", ds.url() + "/health", null, null))
                .isInstanceOf(IOException.class);

        int p1 = freePort();
        int p2 = freePort();
        List<PeerInfo> peers = List.of(
                new PeerInfo("b1", "Bank 1", "https://127.0.0.1:" + p1, PeerKeys.encode(KEYS.get("b1").getPublic())),
                new PeerInfo("b2", "Bank 2", "https://127.0.0.1:" + p2, PeerKeys.encode(KEYS.get("b2").getPublic())));
        // every peer request below is signed by b2 for b1: what is refused is refused for its certificate
        PeerSigner b2Signs = SignedRequests.of("b2", PeerKeys.encode(KEYS.get("b2").getPrivate()), peers);
        BankPeer b1 = startBank("b1", p1, peers, ds, pki);
        BankPeer b2 = startBank("b2", p2, peers, ds, pki);
        assertThat(b1.url()).isEqualTo("https://127.0.0.1:" + p1);

        // customers: HTTPS without a certificate of their own
        assertThat(call(customer, "GET", b1.url() + "/health", null, null).status).isEqualTo(200);
        // the app's client (DISTRIBANK_TRUSTED_CA): the consortium CA besides the JDK's authorities
        TlsContext app = TlsContext.trustingAlso(ca);
        OkHttpClient appClient = new OkHttpClient.Builder().sslSocketFactory(app.socketFactory(), app.trustManager())
                .build();
        assertThat(call(appClient, "GET", b2.url() + "/health", null, null).status).isEqualTo(200);
        // plain HTTP on the TLS port gets no answer of the API
        assertThatThrownBy(() -> call(new OkHttpClient(), "GET", "http://127.0.0.1:" + p1 + "/health", null, null)
                .json()).isInstanceOf(Exception.class);

        // peer routes: no certificate, another CA's, or a certificate of another bank than the claimed one: refused
        String heartbeat = "{\"from\":\"b2\"}";
        String hb = b1.url() + "/peer/v1/heartbeat";
        Answer none = peerCall(customer, b2Signs, "POST", hb, heartbeat);
        assertThat(none.status).as(none.text).isEqualTo(401);
        assertThat(none.json().get("error").getAsString()).isEqualTo("PEER_CERTIFICATE_REQUIRED");
        assertThat(peerCall(customer, b2Signs, "GET", b1.url() + "/peer/v1/bank/applied-position", null).status)
                .isEqualTo(401);
        refusedOrThrows(() -> peerCall(asRogueB2, b2Signs, "POST", hb, heartbeat));
        Answer mismatch = peerCall(asB2, b2Signs, "POST", hb, "{\"from\":\"b3\"}");
        assertThat(mismatch.status).as(mismatch.text).isEqualTo(403);
        assertThat(peerCall(asB1, b2Signs, "POST", hb, heartbeat).status).isEqualTo(403); // b1's cert says b2?
        Answer batch = peerCall(asB2, b2Signs, "POST", b1.url() + "/peer/v1/messages",
                "{\"from\":\"b1\",\"messages\":[]}");
        assertThat(batch.status).as(batch.text).isEqualTo(403);
        assertThat(upgradeStatus(customer, b1.url())).isEqualTo(401); // the link too
        // with the calling bank's own certificate: through to the route
        Answer ok = peerCall(asB2, b2Signs, "POST", hb, heartbeat);
        assertThat(ok.status).as(ok.text).isEqualTo(200);
        assertThat(peerCall(asB2, b2Signs, "GET", b1.url() + "/peer/v1/bank/applied-position", null).status)
                .isEqualTo(200);

        // the consortium over TLS: heartbeats (HTTPS) and links (WSS) between the banks
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> allOnline(customer, b1) && allOnline(customer, b2));
        // bank -> data server over mutual TLS (account opening), then money through the protocol
        String a1 = openAndDeposit(customer, b1.url(), "tlsuser1", 10_000);
        String a2 = openAndDeposit(customer, b2.url(), "tlsuser2", 0);
        String t1 = login(customer, b1.url(), "tlsuser1");
        Answer tr = call(customer, "POST", b1.url() + "/api/v1/transfers", t1, "{\"id\":\"" + UUID.randomUUID()
                + "\",\"legs\":[{\"from\":{\"bank\":\"b1\",\"account\":\"" + a1 + "\"},\"to\":{\"bank\":\"b2\","
                + "\"account\":\"" + a2 + "\"},\"amount\":2500}]}");
        assertThat(tr.status).as(tr.text).isIn(200, 201);
        assertThat(tr.json().get("status").getAsString()).as(tr.text).isEqualTo("COMMITTED");
        String t2 = login(customer, b2.url(), "tlsuser2");
        assertThat(call(customer, "GET", b2.url() + "/api/v1/accounts/" + a2, t2, null).json().get("balance")
                .getAsLong()).isEqualTo(2500);
    }

    @Test
    void aBankConfigWithTlsIsWrittenOwnerOnlyAndReadBack() throws Exception {
        Path pki = dir.resolve("pki");
        BankOptions o = bankOptions("b1", 0, List.of(new PeerInfo("b1", "Bank 1", "https://127.0.0.1:7000",
                PeerKeys.encode(KEYS.get("b1").getPublic()))),
                "https://127.0.0.1:8090", pki);
        Path file = dir.resolve("conf/sub/b1.json");
        BankConfig.write(o, file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        BankOptions back = BankConfig.load(file);
        assertThat(back.tls()).isEqualTo(o.tls());
    }

    private BankPeer startBank(String id, int port, List<PeerInfo> peers, DataServer ds, Path pki) throws IOException {
        BankPeer b = BankPeer.start(bankOptions(id, port, peers, ds.url(), pki));
        open.add(b);
        return b;
    }

    private BankOptions bankOptions(String id, int port, List<PeerInfo> peers, String dsUrl, Path pki) {
        return BankOptions.builder()
                .id(id)
                .name("Bank " + id)
                .port(port)
                .dataDir(dir.resolve("log-" + id))
                .peers(peers)
                .peerKey(PeerKeys.encode(KEYS.get(id).getPrivate()))
                .operatorToken(OPERATOR)
                .dataServer(new DataServerLink(dsUrl, id, "token-of-" + id + "-x"))
                .bcryptCost(4)
                .tls(tls(pki, id))
                .build();
    }

    private static TlsOptions tls(Path pki, String name) {
        return new TlsOptions(pki.resolve(name + ".crt"), pki.resolve(name + ".key"), pki.resolve("ca.crt"));
    }

    private static OkHttpClient client(TlsOptions o) throws IOException {
        TlsContext t = o.load();
        return new OkHttpClient.Builder().sslSocketFactory(t.socketFactory(), t.trustManager())
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(15)).build();
    }

    private static boolean allOnline(OkHttpClient c, BankPeer b) throws IOException {
        JsonObject v = call(c, "GET", b.url() + "/api/v1/consortium", OPERATOR, null).json();
        for (JsonElement p : v.getAsJsonArray("peers")) {
            if (!p.getAsJsonObject().get("online").getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    private String openAndDeposit(OkHttpClient c, String url, String user, long amount) throws IOException {
        Answer r = call(c, "POST", url + "/api/v1/accounts", null, "{\"type\":\"PERSONAL\",\"holder\":{\"name\":\""
                + "Cliente " + user + "\",\"cpf\":\"" + Customers.newCpf() + "\",\"username\":\"" + user
                + "\",\"password\":\"" + Customers.password(user) + "\"}}");
        assertThat(r.status).as(r.text).isEqualTo(201);
        String account = r.json().get("account").getAsString();
        if (amount > 0) {
            Answer d = call(c, "POST", url + "/api/v1/deposits", login(c, url, user),
                    "{\"account\":\"" + account + "\",\"amount\":" + amount + "}");
            assertThat(d.json().get("status").getAsString()).as(d.text).isEqualTo("COMMITTED");
        }
        return account;
    }

    private static String login(OkHttpClient c, String url, String user) throws IOException {
        Answer r = call(c, "POST", url + "/api/v1/sessions", null, "{\"username\":\"" + user + "\",\"password\":\""
                + Customers.password(user) + "\"}");
        assertThat(r.status).as(r.text).isEqualTo(201);
        return r.json().get("token").getAsString();
    }

    private interface Call {
        Answer run() throws IOException;
    }

    /** Another CA's certificate: the handshake fails, or the bank refuses the request. */
    private static void refusedOrThrows(Call c) {
        try {
            Answer a = c.run();
            assertThat(a.status).as(a.text).isIn(401, 403);
        } catch (IOException expected) {
            // the handshake refused the certificate
        }
    }

    private record Answer(int status, String text) {
        JsonObject json() {
            return JsonParser.parseString(text).getAsJsonObject();
        }
    }

    private static Answer call(OkHttpClient c, String method, String url, String bearer, String body)
            throws IOException {
        Request.Builder b = new Request.Builder().url(url);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.method(method, body == null ? null : RequestBody.create(body, JSON));
        try (Response r = c.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.body() == null ? "" : r.body().string());
        }
    }

    /** A peer request signed by {@code signer} for the bank at {@code url}'s host (b1 here). */
    private static Answer peerCall(OkHttpClient c, PeerSigner signer, String method, String url, String body)
            throws IOException {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.get(url);
        String target = u.encodedPath() + (u.encodedQuery() == null ? "" : "?" + u.encodedQuery());
        byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Request.Builder b = new Request.Builder().url(url)
                .method(method, body == null ? null : RequestBody.create(bytes, JSON));
        signer.sign("b1", method, target, bytes, b::header);
        try (Response r = c.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.body() == null ? "" : r.body().string());
        }
    }

    /** The HTTP status refusing a WebSocket link upgrade, or 101 when it is accepted. */
    private static int upgradeStatus(OkHttpClient c, String url) throws InterruptedException {
        java.util.concurrent.CompletableFuture<Integer> status = new java.util.concurrent.CompletableFuture<>();
        okhttp3.WebSocket ws = c.newWebSocket(new Request.Builder().url(url + "/peer/v1/link")
                .build(), new okhttp3.WebSocketListener() {
                    @Override
                    public void onOpen(okhttp3.WebSocket w, Response r) {
                        status.complete(101);
                    }

                    @Override
                    public void onFailure(okhttp3.WebSocket w, Throwable t, Response r) {
                        status.complete(r == null ? -1 : r.code());
                    }
                });
        try {
            return status.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return -2;
        } finally {
            ws.cancel();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
