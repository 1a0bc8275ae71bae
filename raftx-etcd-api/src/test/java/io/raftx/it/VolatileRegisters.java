package io.raftx.it;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Volatile registers through {@link VolatileTestApi}: put, strong get, delete, and put-if-absent as the only
 * compare-and-set (the volatile keyspace compares versions, not values).
 */
final class VolatileRegisters implements RegisterApi {

    private final ProcessCluster cluster;
    private final Duration deadline;

    VolatileRegisters(ProcessCluster cluster, Duration deadline) {
        this.cluster = cluster;
        this.deadline = deadline;
    }

    <Q, A> A call(String node, MethodDescriptor<Q, A> method, Q request) {
        return ClientCalls.blockingUnaryCall(cluster.volatileChannel(node), method,
                CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), request);
    }

    @Override
    public void put(String node, String key, String value) {
        call(node, VolatileTestApi.PUT, PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build());
    }

    @Override
    public Optional<String> get(String node, String key) {
        RangeResponse r = call(node, VolatileTestApi.GET, RangeRequest.newBuilder().setKey(utf8(key)).build());
        return r.getKvsCount() == 0 ? Optional.empty() : Optional.of(r.getKvs(0).getValue().toStringUtf8());
    }

    @Override
    public void delete(String node, String key) {
        call(node, VolatileTestApi.DELETE, DeleteRangeRequest.newBuilder().setKey(utf8(key)).build());
    }

    @Override
    public boolean compareAndSet(String node, String key, String expected, String value) {
        if (expected != null) {
            throw new IllegalArgumentException("the volatile registers only compare with absent (expected null)");
        }
        return call(node, VolatileTestApi.PUT_IF_ABSENT, PutRequest.newBuilder().setKey(utf8(key))
                .setValue(utf8(value)).build()).getSucceeded();
    }

    @Override
    public boolean comparesValues() {
        return false;
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
