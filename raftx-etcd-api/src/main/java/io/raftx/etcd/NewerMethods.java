package io.raftx.etcd;

import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

/**
 * Serves etcd methods that are newer than the generated stubs (their messages are in {@code newer_methods.proto}):
 * a service from the stubs gets the extra unary method under its own service name, so clients find
 * {@code etcdserverpb.Lease/LeaseLeases} next to the stubs' {@code etcdserverpb.Lease} methods.
 */
final class NewerMethods {

    private NewerMethods() {
    }

    static <Q extends Message, R extends Message> BindableService withUnary(
            BindableService service, String method, Q request, R response, ServerCalls.UnaryMethod<Q, R> handler) {
        ServerServiceDefinition base = service.bindService();
        String serviceName = base.getServiceDescriptor().getName();
        MethodDescriptor<Q, R> descriptor = MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, method))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
        ServerServiceDefinition.Builder merged = ServerServiceDefinition.builder(serviceName);
        base.getMethods().forEach(merged::addMethod);
        ServerServiceDefinition definition = merged.addMethod(descriptor, ServerCalls.asyncUnaryCall(handler)).build();
        return () -> definition;
    }
}
