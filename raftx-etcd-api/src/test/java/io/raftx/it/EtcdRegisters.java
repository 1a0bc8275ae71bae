package io.raftx.it;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Durable registers through the etcd v3 KV API: put, linearizable range, delete, and a Txn for compare-and-set. */
final class EtcdRegisters implements RegisterApi {

    private final ProcessCluster cluster;
    private final Duration deadline;

    EtcdRegisters(ProcessCluster cluster, Duration deadline) {
        this.cluster = cluster;
        this.deadline = deadline;
    }

    private KVGrpc.KVBlockingStub kv(String node) {
        return KVGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void put(String node, String key, String value) {
        kv(node).put(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build());
    }

    @Override
    public Optional<String> get(String node, String key) {
        RangeResponse r = kv(node).range(RangeRequest.newBuilder().setKey(utf8(key)).build());
        return r.getKvsCount() == 0 ? Optional.empty() : Optional.of(r.getKvs(0).getValue().toStringUtf8());
    }

    @Override
    public void delete(String node, String key) {
        kv(node).deleteRange(DeleteRangeRequest.newBuilder().setKey(utf8(key)).build());
    }

    @Override
    public boolean compareAndSet(String node, String key, String expected, String value) {
        Compare.Builder condition = Compare.newBuilder().setKey(utf8(key)).setResult(Compare.CompareResult.EQUAL);
        if (expected == null) {
            condition.setTarget(Compare.CompareTarget.VERSION).setVersion(0);
        } else {
            condition.setTarget(Compare.CompareTarget.VALUE).setValue(utf8(expected));
        }
        return kv(node).txn(TxnRequest.newBuilder().addCompare(condition)
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(utf8(key))
                        .setValue(utf8(value)))).build()).getSucceeded();
    }

    @Override
    public boolean comparesValues() {
        return true;
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
