package io.raftx.etcd;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;

/** Calls etcd methods that the jetcd 0.8.5 stubs lack, by their etcd method names, as etcdctl does. */
final class NewerMethodStubs {

    private NewerMethodStubs() {
    }

    @SuppressWarnings("unchecked")
    static <Q extends Message, R extends Message> R call(Channel channel, String fullMethodName, Q request,
                                                         R responseType) {
        MethodDescriptor<Q, R> method = MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName)
                .setRequestMarshaller(ProtoUtils.marshaller((Q) request.getDefaultInstanceForType()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType)).build();
        return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
    }
}
