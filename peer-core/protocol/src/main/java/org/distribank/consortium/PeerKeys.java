package org.distribank.consortium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.distribank.common.SecureFiles;
import org.distribank.consortium.auth.SignedRequests;
import org.distribank.consortium.entity.PeerInfo;

/**
 * A peer's Ed25519 key pair, as the JDK makes it ({@code KeyPairGenerator "Ed25519"}, no crypto of our
 * own). Text forms: the private key is PKCS#8, the public key X.509 SubjectPublicKeyInfo, both in
 * Base64; PEM is read too, so {@code openssl genpkey -algorithm ed25519} and
 * {@code openssl pkey -pubout} make keys this reads.
 */
public final class PeerKeys {

    public static final String ALGORITHM = "Ed25519";

    private PeerKeys() {
    }

    /**
     * Checks a peer's identity as its node will: {@code privateKey} (PKCS#8, Base64 or PEM) is a valid key whose
     * public half is {@code self}'s {@link PeerInfo#publicKey()}, and every member has a public key of its own.
     * Throws an IllegalArgumentException saying what is wrong.
     */
    public static void checkIdentity(String self, String privateKey, List<PeerInfo> members) {
        SignedRequests.of(self, privateKey, members);
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A PKCS#8 private key in Base64 or PEM. The message never quotes the key. */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8, Base64 or PEM)");
        }
    }

    /** An X.509 SubjectPublicKeyInfo public key in Base64 or PEM. */
    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (X.509, Base64 or PEM)");
        }
    }

    /** Whether {@code publicKey} is the other half of {@code privateKey} (a signature made with one checks with the other). */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] probe = "distribank-peer-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(ALGORITHM);
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Reads a private key file (Base64 or PEM). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return privateKey(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code key} to a new file readable by its owner only: created with {@code rw-------} (on a
     * POSIX file system), so the key is never readable by others, not even for an instant. Fails if
     * the file exists: a key is never overwritten by accident.
     */
    public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
        SecureFiles.writeNewPrivate(file, (encode(key) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decode(String text) {
        StringBuilder b64 = new StringBuilder();
        for (String line : text.strip().split("\\R")) {
            if (!line.startsWith("-----")) {
                b64.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(b64.toString());
    }
}
