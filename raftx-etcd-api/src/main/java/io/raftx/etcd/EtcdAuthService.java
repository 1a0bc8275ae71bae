package io.raftx.etcd;

import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code Auth/Authenticate} for the configured user (see {@link EtcdCredentials}): the right name and password
 * get a token for the {@code token} metadata of later calls, anything else etcd's
 * {@code INVALID_ARGUMENT "etcdserver: authentication failed, invalid user ID or password"}. Without configured
 * credentials it answers etcd's {@code FAILED_PRECONDITION "etcdserver: authentication is not enabled"}. Users and
 * roles are configuration, not cluster data: the user and role management calls are not served.
 */
final class EtcdAuthService extends AuthGrpc.AuthImplBase {

    static final String AUTH_FAILED = "etcdserver: authentication failed, invalid user ID or password";
    static final String AUTH_NOT_ENABLED = "etcdserver: authentication is not enabled";

    private final AuthTokens tokens; // null: no password authentication
    private final EtcdHeaders headers;
    private final java.util.function.LongSupplier revision;

    EtcdAuthService(AuthTokens tokens, EtcdHeaders headers, java.util.function.LongSupplier revision) {
        this.tokens = tokens;
        this.headers = headers;
        this.revision = revision;
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> out) {
        if (tokens == null) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(AUTH_NOT_ENABLED).asRuntimeException());
            return;
        }
        if (!tokens.matches(request.getName(), request.getPassword())) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(AUTH_FAILED).asRuntimeException());
            return;
        }
        out.onNext(AuthenticateResponse.newBuilder().setHeader(headers.at(revision.getAsLong()))
                .setToken(tokens.issue()).build());
        out.onCompleted();
    }
}
