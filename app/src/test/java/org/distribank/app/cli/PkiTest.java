package org.distribank.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.distribank.common.tls.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./distribank pki init|issue}: a CA, certificates that chain to it, private keys 0600 from the start. */
class PkiTest {

    @TempDir
    Path tmp;

    private static int run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return DistribankCli.commandLine().execute(args);
        } finally {
            System.setOut(out);
            assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void initAndIssueMakeACaAndCertificatesThatVerify() throws Exception {
        Path dir = tmp.resolve("pki");
        assertThat(run("pki", "init", "--dir", dir.toString(), "--name", "Test-CA")).isZero();
        assertThat(run("pki", "issue", "--dir", dir.toString(), "--name", "b1")).isZero();
        assertThat(run("pki", "issue", "--dir", dir.toString(), "--name", "ds1", "--dns", "ds1.example.org",
                "--ip", "127.0.0.11", "--ip", "127.0.0.1")).isZero();

        X509Certificate ca = Pki.readCertificates(dir.resolve("ca.crt")).get(0);
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isZero(); // a CA, for leaf certificates only
        assertThat(Pki.commonName(ca)).isEqualTo("Test-CA");

        X509Certificate b1 = Pki.readCertificates(dir.resolve("b1.crt")).get(0);
        validates(b1, ca);
        assertThat(Pki.commonName(b1)).isEqualTo("b1");
        assertThat(b1.getBasicConstraints()).isEqualTo(-1);
        assertThat(b1.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server, client
        assertThat(List.copyOf(b1.getSubjectAlternativeNames())).extracting(n -> (Object) String.valueOf(n.get(1)))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        // the key in b1.key is the one certified
        assertThat(Pki.readPrivateKey(dir.resolve("b1.key")).getAlgorithm()).isEqualTo("EC");

        X509Certificate ds1 = Pki.readCertificates(dir.resolve("ds1.crt")).get(0);
        validates(ds1, ca);
        assertThat(List.copyOf(ds1.getSubjectAlternativeNames())).extracting(n -> (Object) String.valueOf(n.get(1)))
                .containsExactlyInAnyOrder("ds1.example.org", "127.0.0.11", "127.0.0.1");

        assertThat(mode(dir)).isEqualTo("rwx------");
        for (String key : List.of("ca.key", "b1.key", "ds1.key")) {
            assertThat(mode(dir.resolve(key))).as(key).isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
        }
    }

    @Test
    void nothingIsOverwrittenAndACertificateFromAnotherCaDoesNotVerify() throws Exception {
        Path one = tmp.resolve("one");
        Path other = tmp.resolve("other");
        assertThat(run("pki", "init", "--dir", one.toString())).isZero();
        assertThat(run("pki", "init", "--dir", other.toString())).isZero();
        String caBefore = Files.readString(one.resolve("ca.key"));
        assertThat(run("pki", "init", "--dir", one.toString())).isNotZero();
        assertThat(Files.readString(one.resolve("ca.key"))).isEqualTo(caBefore);

        assertThat(run("pki", "issue", "--dir", one.toString(), "--name", "b2")).isZero();
        assertThat(run("pki", "issue", "--dir", one.toString(), "--name", "b2")).isNotZero();
        assertThat(run("pki", "issue", "--dir", one.toString(), "--name", "../evil")).isNotZero();
        assertThat(Files.exists(tmp.resolve("evil.key"))).isFalse();

        X509Certificate b2 = Pki.readCertificates(one.resolve("b2.crt")).get(0);
        X509Certificate otherCa = Pki.readCertificates(other.resolve("ca.crt")).get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validates(b2, otherCa))
                .isInstanceOf(java.security.cert.CertPathValidatorException.class);
    }

    private static void validates(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        p.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), p);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
