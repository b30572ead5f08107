package org.distribank.common.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.distribank.common.SecureFiles;

/**
 * The consortium's own certificate authority, with BouncyCastle: {@link #init} makes the CA (an EC P-256 key and a
 * self-signed certificate), {@link #issue} a certificate per bank and per data server signed by it, usable as a TLS
 * server and a TLS client certificate (the bank's is both: it serves its port and presents itself to its peers and
 * its data server). The subject's CN is the bank id: a bank's peers check it against the id a request claims.
 *
 * <p>Files in the PKI directory, all PEM: {@code ca.crt}, {@code ca.key}, {@code <name>.crt}, {@code <name>.key}.
 * Private keys are PKCS#8, unencrypted (the services read them unattended), created {@code 0600}; the directory
 * {@code 0700} when this creates it. Nothing is overwritten: a second {@code init} or {@code issue} of a name
 * fails.
 */
public final class Pki {

    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Two years and a bit: below the 825 days that some TLS clients accept for a leaf certificate. */
    public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(820);
    public static final String ORGANIZATION = "DistriBank consortium";
    private static final String SIGNATURE = "SHA256withECDSA";
    /** Names become file names and CNs: no path separators, no surprises. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its key's files. */
    public record Issued(Path certificate, Path key, X509Certificate x509) {
    }

    private Pki() {
    }

    /** Creates the CA in {@code dir} (created {@code 0700} if missing): {@code ca.key} and {@code ca.crt}. */
    public static Issued init(Path dir, String caName) throws IOException {
        checkName(caName == null ? "" : caName.replace(' ', '_'), "CA name");
        Path cert = dir.resolve(CA_CERTIFICATE);
        Path key = dir.resolve(CA_KEY);
        refuseExisting(cert, key);
        KeyPair kp = newKeyPair();
        X500Name subject = subject(caName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject,
                    kp.getPublic());
            // a CA for leaf certificates only (path length 0)
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate x509 = sign(b, kp.getPrivate());
            SecureFiles.createPrivateDirectories(dir);
            SecureFiles.writeNewPrivate(key, pem(kp.getPrivate()));
            Files.write(cert, pem(x509));
            return new Issued(cert, key, x509);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the CA: " + e.getMessage(), e);
        }
    }

    /**
     * Issues {@code <name>.crt} and {@code <name>.key} in {@code dir}, signed by its CA. {@code dnsNames} and
     * {@code ipAddresses} become the subject alternative names that clients check the host against; with neither,
     * {@code localhost} and {@code 127.0.0.1}.
     */
    public static Issued issue(Path dir, String name, List<String> dnsNames, List<String> ipAddresses)
            throws IOException {
        checkName(name, "name");
        if (name.equals("ca")) {
            throw new IllegalArgumentException("\"ca\" is the CA's own file name");
        }
        X509Certificate caCert = readCertificates(dir.resolve(CA_CERTIFICATE)).get(0);
        PrivateKey caKey = readPrivateKey(dir.resolve(CA_KEY));
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        refuseExisting(cert, key);
        List<GeneralName> sans = new ArrayList<>();
        List<String> dns = dnsNames == null ? List.of() : dnsNames;
        List<String> ips = ipAddresses == null ? List.of() : ipAddresses;
        if (dns.isEmpty() && ips.isEmpty()) {
            dns = List.of("localhost");
            ips = List.of("127.0.0.1");
        }
        for (String d : dns) {
            sans.add(new GeneralName(GeneralName.dNSName, d));
        }
        for (String ip : ips) {
            if (!ip.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("not an IP address: " + ip);
            }
            sans.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        KeyPair kp = newKeyPair();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CERTIFICATE_VALIDITY)),
                    subject(name), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate x509 = sign(b, caKey);
            SecureFiles.writeNewPrivate(key, pem(kp.getPrivate()));
            Files.write(cert, pem(x509));
            return new Issued(cert, key, x509);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue " + name + ": " + e.getMessage(), e);
        }
    }

    /** The subject's CN (a bank id for the consortium's certificates), or null. */
    public static String commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /** Every certificate in a PEM file, in order. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(conv.getCertificate(h));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no PEM certificate in it");
        }
        return out;
    }

    /** The private key of a PEM file (PKCS#8 {@code PRIVATE KEY} or OpenSSL's {@code EC/RSA PRIVATE KEY}). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo k) {
                    return conv.getPrivateKey(k);
                }
                if (o instanceof PEMKeyPair k) {
                    return conv.getPrivateKey(k.getPrivateKeyInfo());
                }
            }
        }
        // the file's content is never echoed: it is a secret
        throw new IOException(file + ": no unencrypted PEM private key in it");
    }

    static byte[] pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            // keys as PKCS#8 ("PRIVATE KEY"), which every TLS stack reads, not OpenSSL's "EC PRIVATE KEY"
            pw.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null).generate() : o);
        }
        return w.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    private static X500Name subject(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, ORGANIZATION).build();
    }

    /** Random positive 127-bit serial numbers, as the CA/Browser rules ask (at least 64 random bits). */
    private static BigInteger serial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] &= 0x7f;
        return new BigInteger(1, b).max(BigInteger.ONE);
    }

    private static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 letters, digits, '.', '_' or '-': " + name);
        }
    }

    private static void refuseExisting(Path... files) throws IOException {
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new IOException(f + " exists already; nothing was overwritten");
            }
        }
    }
}
