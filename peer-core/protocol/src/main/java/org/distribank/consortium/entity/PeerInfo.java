package org.distribank.consortium.entity;

/**
 * A member of the consortium: its id ("b1".."bN"), display name, base URL of its peer endpoint and
 * its peer public key (Ed25519, X.509 SubjectPublicKeyInfo in Base64; see
 * {@link org.distribank.consortium.PeerKeys}): what authenticates the requests it signs. The
 * key is null only where nobody authenticates (views shown to operators, tests of entities).
 */
public record PeerInfo(String id, String name, String url, String publicKey) {

    public PeerInfo(String id, String name, String url) {
        this(id, name, url, null);
    }

    /** The same peer at another URL (a restarted in-process peer, a launcher filling in ports). */
    public PeerInfo withUrl(String newUrl) {
        return new PeerInfo(id, name, newUrl, publicKey);
    }
}
