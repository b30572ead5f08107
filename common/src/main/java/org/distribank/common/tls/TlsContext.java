package org.distribank.common.tls;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.distribank.common.SecureFiles;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded TLS material ({@link TlsOptions#load}): the server side (a Jetty HTTPS connector for Javalin) and the
 * client side (an {@link SSLSocketFactory} and {@link X509TrustManager} for OkHttp's
 * {@code sslSocketFactory(...)}), which present this server's certificate when the other side asks for one and
 * trust only the consortium CA.
 */
public final class TlsContext {

    /** What a server asks of its clients' certificates. */
    public enum ClientAuth {
        /** none asked (a data server without {@code trustedCa}) */
        NONE,
        /** asked, not required: the bank's shared port (customers have none; its peer routes check, see below) */
        WANT,
        /** required at the handshake (a data server with {@code trustedCa}: only its bank calls it) */
        NEED
    }

    /** Servlet request attribute of the client's verified certificate chain (Jetty's SecureRequestCustomizer). */
    public static final String X509_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private static final Logger LOG = LoggerFactory.getLogger(TlsContext.class);

    private final KeyStore keyStore;
    private final String keyStorePassword;
    private final KeyStore trustStore;
    private final X509TrustManager trustManager;
    private final SSLContext clientContext;

    private TlsContext(KeyStore keyStore, String keyStorePassword, KeyStore trustStore, X509TrustManager trustManager,
                       SSLContext clientContext) {
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.trustStore = trustStore;
        this.trustManager = trustManager;
        this.clientContext = clientContext;
    }

    static TlsContext load(TlsOptions o) throws IOException {
        try {
            KeyStore ks = null;
            String password = null;
            KeyManager[] kms = null;
            List<X509Certificate> trusted = new ArrayList<>();
            if (o.trustedCa() != null) {
                trusted.addAll(Pki.readCertificates(o.trustedCa()));
            }
            if (o.certificate() != null) {
                List<X509Certificate> chain = new ArrayList<>(Pki.readCertificates(o.certificate()));
                warnIfShared(o.key());
                PrivateKey key = Pki.readPrivateKey(o.key());
                // the peer needs the chain up to its trust anchor; append the CA when the file holds the leaf only
                if (chain.size() == 1 && !trusted.isEmpty()
                        && !chain.get(0).getSubjectX500Principal().equals(chain.get(0).getIssuerX500Principal())) {
                    trusted.stream().filter(ca -> ca.getSubjectX500Principal()
                            .equals(chain.get(0).getIssuerX500Principal())).findFirst().ifPresent(chain::add);
                }
                // an in-memory key store only: its password protects nothing on disk
                byte[] pw = new byte[18];
                new SecureRandom().nextBytes(pw);
                password = Base64.getEncoder().encodeToString(pw);
                ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("self", key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password.toCharArray());
                kms = kmf.getKeyManagers();
            }
            KeyStore ts = null;
            X509TrustManager tm;
            if (trusted.isEmpty()) {
                tm = trustManager(null); // the JDK's default anchors
            } else {
                ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < trusted.size(); i++) {
                    ts.setCertificateEntry("ca" + i, trusted.get(i));
                }
                tm = trustManager(ts);
            }
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(kms, new TrustManager[] {tm}, null);
            return new TlsContext(ks, password, ts, tm, client);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the TLS files: " + e.getMessage(), e);
        }
    }

    /**
     * Client side only, for the customers' and operators' app: the JDK's default anchors (a bank behind a proxy
     * with a public certificate) plus the CAs in {@code caFile} (a bank serving the consortium's own certificate).
     */
    public static TlsContext trustingAlso(Path caFile) throws IOException {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            List<X509Certificate> cas = Pki.readCertificates(caFile);
            for (int i = 0; i < cas.size(); i++) {
                ts.setCertificateEntry("ca" + i, cas.get(i));
            }
            X509TrustManager own = trustManager(ts);
            X509TrustManager jdk = trustManager(null);
            X509TrustManager either = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    jdk.checkClientTrusted(chain, authType);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        own.checkServerTrusted(chain, authType);
                    } catch (CertificateException notOurs) {
                        jdk.checkServerTrusted(chain, authType);
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    List<X509Certificate> all = new ArrayList<>(List.of(own.getAcceptedIssuers()));
                    all.addAll(List.of(jdk.getAcceptedIssuers()));
                    return all.toArray(X509Certificate[]::new);
                }
            };
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {either}, null);
            return new TlsContext(null, null, null, either, client);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** A private key others can read is no longer private: say so (the path only, never the content). */
    private static void warnIfShared(Path key) {
        try {
            if (SecureFiles.posix(key)) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(key);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    LOG.warn("TLS key {} is readable by other users ({}): make it 600", key,
                            PosixFilePermissions.toString(p));
                }
            }
        } catch (IOException e) {
            // reading it fails next, with its own message
        }
    }

    private static X509TrustManager trustManager(KeyStore ts) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        for (TrustManager t : tmf.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /** For OkHttp's {@code sslSocketFactory(socketFactory(), trustManager())}. */
    public SSLSocketFactory socketFactory() {
        return clientContext.getSocketFactory();
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    public SSLContext clientContext() {
        return clientContext;
    }

    public boolean hasCertificate() {
        return keyStore != null;
    }

    public boolean hasTrustedCa() {
        return trustStore != null;
    }

    /**
     * An HTTPS connector for {@code JavalinConfig.jetty.addConnector(...)} on {@code host:port} (0: any free port),
     * replacing Javalin's plain one. With {@link ClientAuth#WANT} or {@link ClientAuth#NEED} a client certificate
     * is verified against {@code trustedCa} during the handshake and then available as {@link #X509_ATTRIBUTE}.
     */
    public BiFunction<Server, HttpConfiguration, Connector> connector(String host, int port, ClientAuth auth) {
        if (keyStore == null) {
            throw new IllegalStateException("a TLS server needs \"certificate\" and \"key\"");
        }
        if (auth != ClientAuth.NONE && trustStore == null) {
            throw new IllegalStateException("client certificates need \"trustedCa\"");
        }
        return (server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(keyStore);
            ssl.setKeyStorePassword(keyStorePassword);
            if (trustStore != null) {
                ssl.setTrustStore(trustStore);
            }
            ssl.setWantClientAuth(auth == ClientAuth.WANT);
            ssl.setNeedClientAuth(auth == ClientAuth.NEED);
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            // peers are reached by IP address too; the clients check the host name against the certificate
            src.setSniHostCheck(false);
            https.addCustomizer(src);
            ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            c.setHost(host);
            c.setPort(port);
            return c;
        };
    }

    /**
     * The client's certificate on a TLS connection (verified against {@code trustedCa} by the handshake), or null
     * when it presented none or the connection is plain HTTP.
     */
    public static X509Certificate clientCertificate(HttpServletRequest req) {
        Object chain = req.getAttribute(X509_ATTRIBUTE);
        if (chain instanceof X509Certificate[] certs && certs.length > 0) {
            return certs[0];
        }
        return null;
    }
}
