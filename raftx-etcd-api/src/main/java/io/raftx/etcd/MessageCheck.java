package io.raftx.etcd;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * An interceptor that looks at each request message before any service sees it and may end the call with a status
 * instead; a refused call hears nothing more (its half-close is not passed on either).
 */
abstract class MessageCheck implements ServerInterceptor {

    /** Null to let {@code message} through, else the status that ends the call. */
    abstract Status refusal(Object message);

    @Override
    public final <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                            ServerCallHandler<Q, A> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                Status status = refusal(message);
                if (status != null) {
                    refused = true;
                    call.close(status, new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
