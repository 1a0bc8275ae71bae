package io.raftx.benchmark;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives any server of the etcd v3 KV API (etcd itself, or RaftX's etcd-compatible endpoint) over gRPC, so both
 * systems are measured through the same client code path.
 */
final class EtcdApiTarget implements LoadTarget, CasTarget {

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<KVGrpc.KVFutureStub> stubs = new ArrayList<>();

    /** Connects to every endpoint; operations are spread over them (followers forward to the leader). */
    EtcdApiTarget(List<String> endpoints) {
        for (String e : endpoints) {
            int colon = e.lastIndexOf(':');
            ManagedChannel ch = NettyChannelBuilder.forAddress(e.substring(0, colon), Integer.parseInt(e.substring(colon + 1)))
                    .usePlaintext().maxInboundMessageSize(64 << 20).build();
            channels.add(ch);
            stubs.add(KVGrpc.newFutureStub(ch));
        }
    }

    private KVGrpc.KVFutureStub stub(long i, Duration timeout) {
        return stubs.get((int) (i % stubs.size())).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<?> put(long i, byte[] key, byte[] value) {
        return Futures.of(stub(i, Duration.ofSeconds(10)).put(PutRequest.newBuilder()
                .setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)).build()));
    }

    /** {@code serializable}: served from the receiving member's state (etcd's name for a possibly stale read). */
    @Override
    public CompletableFuture<?> get(long i, byte[] key, boolean serializable) {
        return Futures.of(stub(i, Duration.ofSeconds(10)).range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(key)).setSerializable(serializable).build()));
    }

    /** A Txn: if the key's value is {@code value}, put it again (a compare-and-set that succeeds once prefilled). */
    @Override
    public CompletableFuture<?> cas(long i, byte[] key, byte[] value) {
        ByteString k = ByteString.copyFrom(key);
        ByteString v = ByteString.copyFrom(value);
        return Futures.of(stub(i, Duration.ofSeconds(10)).txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(v))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k).setValue(v)))
                .build()));
    }

    /** Waits until a put succeeds (the cluster has a leader and serves writes). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                put(0, "ready".getBytes(), new byte[] {1}).get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = new RuntimeException(e);
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("cluster not ready within " + timeout, last);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
