package org.distribank.consortium;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.distribank.consortium.node.NodeImpl;
import org.distribank.consortium.entity.PeerInfo;
import org.distribank.consortium.transport.HttpTransport;
import org.distribank.consortium.transport.WebSocketTransport;

/** Builds nodes. The one entry point a bank needs besides {@link ConsortiumRoutes}. */
public final class Consortium {

    private Consortium() {
    }

    /**
     * A node talking to the peer URLs of {@code options.peers} over {@code options.transport}.
     * Call {@link ConsortiumNode#start()}.
     */
    public static ConsortiumNode createNode(NodeOptions given, StateMachine machine) {
        NodeOptions options = given.withOwnIdentity();
        Map<String, String> urls = options.peers().stream().collect(Collectors.toMap(PeerInfo::id, PeerInfo::url));
        return createNode(options, machine, transport(options.transport(), urls::get, options.signer()));
    }

    /** A node with a transport of your own (e.g. wrapped in {@link LinkControls}, or URLs that change). */
    public static ConsortiumNode createNode(NodeOptions options, StateMachine machine, Transport transport) {
        return new NodeImpl(options, machine, transport);
    }

    /** An HTTP transport resolving peer URLs through {@code urlOf} at each call. */
    public static Transport httpTransport(Function<String, String> urlOf, PeerSigner signer) {
        return new HttpTransport(urlOf, signer);
    }

    /**
     * The transport of {@code kind} ({@link TransportKind#WEBSOCKET} when null),
     * resolving peer URLs through {@code urlOf} at each call (WebSocket: at each connect), every request
     * signed by {@code signer} (this peer's own key, {@link NodeOptions#signer()}).
     */
    public static Transport transport(TransportKind kind, Function<String, String> urlOf, PeerSigner signer) {
        return transport(kind, urlOf, signer, null);
    }

    /** The same, over TLS to {@code https} peers when {@code tls} is not null. */
    public static Transport transport(TransportKind kind, Function<String, String> urlOf, PeerSigner signer,
                                      org.distribank.common.tls.TlsContext tls) {
        return switch (kind == null ? NodeOptions.DEFAULT_TRANSPORT : kind) {
            case WEBSOCKET -> new WebSocketTransport(urlOf, signer, tls);
            case HTTP -> new HttpTransport(urlOf, signer, tls);
        };
    }
}
