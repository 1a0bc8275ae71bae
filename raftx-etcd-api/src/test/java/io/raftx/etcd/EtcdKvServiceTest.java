package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** etcd's KV service against a 3-node RaftX cluster over real gRPC, through the generated etcd stubs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdKvServiceTest {

    @TempDir
    static Path dir;
    EtcdTestCluster cluster;
    KVGrpc.KVBlockingStub kv;
    KVGrpc.KVBlockingStub followerKv;

    @BeforeAll
    void start() {
        cluster = new EtcdTestCluster(dir);
        cluster.awaitWritable();
        kv = KVGrpc.newBlockingStub(cluster.channel(cluster.awaitLeader()));
        followerKv = KVGrpc.newBlockingStub(cluster.channel(cluster.aFollower()));
    }

    @AfterAll
    void stop() throws InterruptedException {
        cluster.close();
    }

    static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    PutResponse put(String key, String value) {
        return kv.put(PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).build());
    }

    static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(k -> k.getKey().toStringUtf8()).toList();
    }

    @Test
    void aRangeReturnsItsKeysWithTotalCountAndAFullHeader() {
        put("r/a", "1");
        put("r/b", "2");
        PutResponse last = put("r/c", "3");
        RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(b("r/a")).setRangeEnd(b("r/c")).build());
        assertThat(keys(r)).containsExactly("r/a", "r/b");
        assertThat(r.getCount()).isEqualTo(2);
        assertThat(r.getMore()).isFalse();
        assertThat(r.getHeader().getRevision()).isGreaterThanOrEqualTo(last.getHeader().getRevision());
        assertThat(r.getHeader().getMemberId()).isNotZero();
        assertThat(r.getHeader().getClusterId()).isNotZero();
        assertThat(r.getHeader().getRaftTerm()).isPositive();

        RangeResponse single = kv.range(RangeRequest.newBuilder().setKey(b("r/b")).build());
        assertThat(single.getHeader().getRevision()).isEqualTo(r.getHeader().getRevision());
        assertThat(single.getCount()).isEqualTo(1);

        RangeResponse fromKey = kv.range(RangeRequest.newBuilder().setKey(b("r/b"))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build());
        assertThat(keys(fromKey)).startsWith("r/b", "r/c");
    }

    @Test
    void limitKeepsTheTotalCountAndSaysThereIsMore() {
        put("l/1", "x");
        put("l/2", "y");
        RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(b("l/")).setRangeEnd(b("l0")).setLimit(1).build());
        assertThat(keys(r)).containsExactly("l/1");
        assertThat(r.getCount()).isEqualTo(2);
        assertThat(r.getMore()).isTrue();
    }

    @Test
    void sortsByAnyTargetBeforeTheLimit() {
        put("s/b", "1");
        put("s/a", "3");
        put("s/c", "2");
        RangeRequest.Builder q = RangeRequest.newBuilder().setKey(b("s/")).setRangeEnd(b("s0"));
        assertThat(keys(kv.range(q.clone().setSortTarget(RangeRequest.SortTarget.MOD)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build()))).containsExactly("s/c", "s/a", "s/b");
        assertThat(keys(kv.range(q.clone().setSortTarget(RangeRequest.SortTarget.VALUE)
                .setSortOrder(RangeRequest.SortOrder.ASCEND).setLimit(2).build()))).containsExactly("s/b", "s/c");
        assertThat(keys(kv.range(q.clone().setSortTarget(RangeRequest.SortTarget.KEY)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build()))).containsExactly("s/c", "s/b", "s/a");
    }

    @Test
    void keysOnlyCountOnlyAndRevisionFilters() {
        long first = put("f/a", "va").getHeader().getRevision();
        put("f/b", "vb");
        RangeRequest.Builder q = RangeRequest.newBuilder().setKey(b("f/")).setRangeEnd(b("f0"));
        RangeResponse keysOnly = kv.range(q.clone().setKeysOnly(true).build());
        assertThat(keysOnly.getKvsList()).extracting(KeyValue::getValue).containsOnly(ByteString.EMPTY);
        RangeResponse countOnly = kv.range(q.clone().setCountOnly(true).build());
        assertThat(countOnly.getKvsCount()).isZero();
        assertThat(countOnly.getCount()).isEqualTo(2);
        assertThat(keys(kv.range(q.clone().setMinModRevision(first + 1).build()))).containsExactly("f/b");
        assertThat(keys(kv.range(q.clone().setMaxCreateRevision(first).build()))).containsExactly("f/a");
    }

    @Test
    void deleteRangeRemovesARangeOrAPrefixInOneRevision() {
        put("d/a", "1");
        put("d/b", "2");
        put("d/c", "3");
        DeleteRangeResponse range = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("d/a")).setRangeEnd(b("d/c"))
                .setPrevKv(true).build());
        assertThat(range.getDeleted()).isEqualTo(2);
        assertThat(range.getPrevKvsList()).extracting(k -> k.getValue().toStringUtf8()).containsExactly("1", "2");
        DeleteRangeResponse prefix = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("d/"))
                .setRangeEnd(b("d0")).build());
        assertThat(prefix.getDeleted()).isEqualTo(1);
        assertThat(prefix.getHeader().getRevision()).isEqualTo(range.getHeader().getRevision() + 1);
        assertThat(kv.range(RangeRequest.newBuilder().setKey(b("d/")).setRangeEnd(b("d0")).build()).getCount()).isZero();
    }

    @Test
    void txnWithARangeCompareAndRangeOperations() {
        put("t/a", "1");
        put("t/b", "1");
        Compare allVersionOne = Compare.newBuilder().setKey(b("t/")).setRangeEnd(b("t0"))
                .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.EQUAL).setVersion(1).build();
        TxnResponse r = kv.txn(TxnRequest.newBuilder().addCompare(allVersionOne)
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("t/"))
                        .setRangeEnd(b("t0")).setLimit(1)))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(b("t/")).setRangeEnd(b("t0"))))
                .build());
        assertThat(r.getSucceeded()).isTrue();
        RangeResponse read = r.getResponses(0).getResponseRange();
        assertThat(keys(read)).containsExactly("t/a");
        assertThat(read.getCount()).isEqualTo(2);
        assertThat(read.getMore()).isTrue();
        assertThat(r.getResponses(1).getResponseDeleteRange().getDeleted()).isEqualTo(2);

        put("t/a", "1");
        put("t/a", "2");
        TxnResponse failed = kv.txn(TxnRequest.newBuilder().addCompare(allVersionOne)
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("t/a")))).build());
        assertThat(failed.getSucceeded()).isFalse();
        assertThat(keys(failed.getResponses(0).getResponseRange())).containsExactly("t/a");
    }

    @Test
    void followersServeSerializableAndLinearizableReads() {
        put("fol/x", "seen");
        RangeResponse r = followerKv.range(RangeRequest.newBuilder().setKey(b("fol/x")).build());
        assertThat(keys(r)).containsExactly("fol/x");
    }

    private static RangeRequest.Builder at(String key, long revision) {
        return RangeRequest.newBuilder().setKey(b(key)).setRevision(revision);
    }

    private static void assertEtcdError(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
    }

    @Test
    void pastRevisionsAreReadFromTheHistoryOnEveryNodeUntilCompacted() {
        long r1 = put("rev/a", "1").getHeader().getRevision();
        long r2 = put("rev/a", "2").getHeader().getRevision();
        long r3 = put("rev/b", "x").getHeader().getRevision();
        long r4 = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("rev/a")).build()).getHeader().getRevision();

        RangeResponse atR1 = kv.range(at("rev/a", r1).build());
        assertThat(atR1.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(atR1.getKvs(0).getVersion()).isEqualTo(1);
        assertThat(atR1.getHeader().getRevision()).as("the header carries the current revision").isGreaterThanOrEqualTo(r4);
        for (String id : cluster.ids()) {
            KVGrpc.KVBlockingStub node = KVGrpc.newBlockingStub(cluster.channel(id));
            RangeResponse prefix = node.range(at("rev/", r3).setRangeEnd(b("rev0")).build());
            assertThat(keys(prefix)).as(id).containsExactly("rev/a", "rev/b");
            assertThat(prefix.getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
            assertThat(keys(node.range(at("rev/", r4).setRangeEnd(b("rev0")).build()))).containsExactly("rev/b");
            assertThat(node.range(at("rev/a", r2).setSerializable(true).build()).getKvs(0).getValue().toStringUtf8())
                    .as("a serializable past read on %s, which has applied r4 (linearizable read above)", id)
                    .isEqualTo("2");
        }

        RequestOp pastPrefix = RequestOp.newBuilder().setRequestRange(at("rev/", r1).setRangeEnd(b("rev0"))).build();
        RequestOp putC = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("rev/c"))
                .setValue(b("c"))).build();
        TxnResponse txn = followerKv.txn(TxnRequest.newBuilder().addSuccess(putC).addSuccess(pastPrefix).build());
        assertThat(keys(txn.getResponses(1).getResponseRange())).containsExactly("rev/a");

        kv.compact(CompactionRequest.newBuilder().setRevision(r2).build());
        for (String id : cluster.ids()) {
            KVGrpc.KVBlockingStub node = KVGrpc.newBlockingStub(cluster.channel(id));
            assertEtcdError(() -> node.range(at("rev/a", r1).build()), EtcdErrors.COMPACTED);
            assertThat(node.range(at("rev/a", r2).build()).getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
        }
        assertEtcdError(() -> followerKv.txn(TxnRequest.newBuilder().addSuccess(pastPrefix).build()),
                EtcdErrors.COMPACTED);
        assertEtcdError(() -> kv.compact(CompactionRequest.newBuilder().setRevision(r2).build()), EtcdErrors.COMPACTED);
        assertEtcdError(() -> kv.compact(CompactionRequest.newBuilder().setRevision(r4 + 1000).build()),
                EtcdErrors.FUTURE_REVISION);
        assertEtcdError(() -> kv.range(at("rev/a", r4 + 1000).build()), EtcdErrors.FUTURE_REVISION);
    }

    @Test
    void badRequestsGetEtcdsErrorsAndChangeNothing() {
        assertThatThrownBy(() -> kv.range(RangeRequest.newBuilder().build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
                });
        put("bad/z", "1");
        RangeResponse backwards = kv.range(RangeRequest.newBuilder().setKey(b("bad/z")).setRangeEnd(b("bad/a")).build());
        assertThat(backwards.getCount()).isZero();
        assertThat(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("bad/z")).setRangeEnd(b("bad/a")).build())
                .getDeleted()).isZero();

        RequestOp putZ = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("bad/z"))
                .setValue(b("2"))).build();
        assertThatThrownBy(() -> kv.txn(TxnRequest.newBuilder().addSuccess(putZ).addSuccess(putZ).build()))
                .hasMessageContaining("etcdserver: duplicate key given in txn request");
        assertThatThrownBy(() -> kv.put(PutRequest.newBuilder().setKey(b("bad/z")).setIgnoreValue(true)
                .setValue(b("x")).build())).hasMessageContaining("etcdserver: value is provided");
        assertThat(kv.range(RangeRequest.newBuilder().setKey(b("bad/z")).build()).getKvs(0).getValue().toStringUtf8())
                .isEqualTo("1");
    }
}
