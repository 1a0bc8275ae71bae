package io.raftx.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.raftx.node.RaftException;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileConsistency;
import io.raftx.volatiles.VolatileValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A test-only gRPC service {@code raftx.it.Volatile} that lets the fault suite reach a child node's volatile keyspace
 * (the standalone server has no client API for it). It carries the etcd API's messages, so it needs no proto of its
 * own: Put, PutIfAbsent (answer {@code succeeded} = applied), Delete, Get (strong read; version in the key-value) and
 * Local (every entry this replica holds under a prefix, without any round trip: what the node itself has).
 *
 * <p>Errors: a request RaftX definitely did not apply is UNAVAILABLE with "not applied" in its description (what
 * {@link WriteLedger} treats as a refusal); every other failure is UNKNOWN.
 */
public final class VolatileTestApi {

    private static final String SERVICE = "raftx.it.Volatile";

    static final MethodDescriptor<PutRequest, PutResponse> PUT = method("Put", PutRequest.getDefaultInstance(),
            PutResponse.getDefaultInstance());
    static final MethodDescriptor<PutRequest, TxnResponse> PUT_IF_ABSENT = method("PutIfAbsent",
            PutRequest.getDefaultInstance(), TxnResponse.getDefaultInstance());
    static final MethodDescriptor<DeleteRangeRequest, DeleteRangeResponse> DELETE = method("Delete",
            DeleteRangeRequest.getDefaultInstance(), DeleteRangeResponse.getDefaultInstance());
    static final MethodDescriptor<RangeRequest, RangeResponse> GET = method("Get", RangeRequest.getDefaultInstance(),
            RangeResponse.getDefaultInstance());
    static final MethodDescriptor<RangeRequest, RangeResponse> LOCAL = method("Local",
            RangeRequest.getDefaultInstance(), RangeResponse.getDefaultInstance());

    private VolatileTestApi() {
    }

    /** The service over one node's volatile keyspace; values are UTF-8 strings, no TTL. */
    public static ServerServiceDefinition service(VolatileClient volatiles) {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(bind(PUT, r -> volatiles.put(utf8(r.getKey()), utf8(r.getValue()), null)
                        .thenApply(w -> PutResponse.newBuilder().setHeader(revision(w.index())).build())))
                .addMethod(bind(PUT_IF_ABSENT, r -> volatiles.putIfAbsent(utf8(r.getKey()), utf8(r.getValue()), null)
                        .thenApply(w -> TxnResponse.newBuilder().setHeader(revision(w.index()))
                                .setSucceeded(w.applied()).build())))
                .addMethod(bind(DELETE, r -> volatiles.delete(utf8(r.getKey()))
                        .thenApply(w -> DeleteRangeResponse.newBuilder().setHeader(revision(w.index())).build())))
                .addMethod(bind(GET, r -> volatiles.get(utf8(r.getKey()), VolatileConsistency.STRONG)
                        .thenApply(v -> {
                            RangeResponse.Builder b = RangeResponse.newBuilder();
                            v.ifPresent(value -> b.addKvs(keyValue(utf8(r.getKey()), value)));
                            return b.setCount(b.getKvsCount()).build();
                        })))
                .addMethod(bind(LOCAL, r -> volatiles.localEntries().thenApply(entries -> {
                    RangeResponse.Builder b = RangeResponse.newBuilder();
                    String prefix = utf8(r.getKey());
                    for (Map.Entry<String, VolatileValue> e : entries.entrySet()) {
                        if (e.getKey().startsWith(prefix)) {
                            b.addKvs(keyValue(e.getKey(), e.getValue()));
                        }
                    }
                    return b.setCount(b.getKvsCount()).build();
                })))
                .build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> bind(MethodDescriptor<Q, A> method,
                                                            Function<Q, CompletableFuture<A>> call) {
        return ServerMethodDefinition.create(method, ServerCalls.asyncUnaryCall((Q request, StreamObserver<A> out) -> {
            CompletableFuture<A> answer;
            try {
                answer = call.apply(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((a, err) -> {
                if (err == null) {
                    out.onNext(a);
                    out.onCompleted();
                } else {
                    out.onError(toStatus(err).asRuntimeException());
                }
            });
        }));
    }

    private static Status toStatus(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof RaftException re && re.definitelyNotApplied()) {
            return Status.UNAVAILABLE.withDescription("not applied: " + re.getMessage());
        }
        return Status.UNKNOWN.withDescription(String.valueOf(cause));
    }

    private static KeyValue keyValue(String key, VolatileValue value) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFrom(value.bytes()))
                .setVersion(value.version()).build();
    }

    private static ResponseHeader revision(long index) {
        return ResponseHeader.newBuilder().setRevision(index).build();
    }

    private static String utf8(ByteString bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static <Q extends Message, A extends Message> MethodDescriptor<Q, A> method(String name, Q request,
                                                                                               A response) {
        return MethodDescriptor.<Q, A>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response)).build();
    }
}
