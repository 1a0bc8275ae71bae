package io.raftx.etcd;

import io.etcd.jetcd.api.AuthGrpc;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Lets a call through only from an authenticated client: one that presented a verified client certificate, or
 * whose {@code token} metadata (etcd's, from {@code Auth/Authenticate}) is valid. Refusals carry etcd's statuses:
 * no token {@code INVALID_ARGUMENT "etcdserver: user name is empty"}, a bad or expired one
 * {@code UNAUTHENTICATED "etcdserver: invalid auth token"} (etcd clients authenticate again on that one).
 */
final class EtcdAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    static final String USER_EMPTY = "etcdserver: user name is empty";
    static final String INVALID_TOKEN = "etcdserver: invalid auth token";

    private static final String AUTHENTICATE = AuthGrpc.getAuthenticateMethod().getFullMethodName();

    private final AuthTokens tokens; // null: only client certificates authenticate

    EtcdAuthInterceptor(AuthTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        if (call.getMethodDescriptor().getFullMethodName().equals(AUTHENTICATE) || hasClientCertificate(call)) {
            return next.startCall(call, headers);
        }
        String token = headers.get(TOKEN);
        Status refusal = null;
        if (token == null || tokens == null) {
            refusal = Status.INVALID_ARGUMENT.withDescription(USER_EMPTY);
        } else if (tokens.check(token) != AuthTokens.Check.VALID) {
            refusal = Status.UNAUTHENTICATED.withDescription(INVALID_TOKEN);
        }
        if (refusal == null) {
            return next.startCall(call, headers);
        }
        call.close(refusal, new Metadata());
        return new ServerCall.Listener<>() { };
    }

    /** TLS has verified the certificate against the trusted ones during the handshake, if one was presented. */
    private static boolean hasClientCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
