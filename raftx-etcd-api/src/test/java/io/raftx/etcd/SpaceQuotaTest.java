package io.raftx.etcd;

import static io.raftx.etcd.EtcdKvServiceTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's backend quota and NOSPACE alarm. */
class SpaceQuotaTest {

    private static final String NO_SPACE = "etcdserver: mvcc: database space exceeded";

    @Test
    void theAlarmStaysUntilDeactivatedAndComesBackWhileStillOverTheQuota() {
        AtomicLong size = new AtomicLong(900);
        AtomicLong clock = new AtomicLong();
        SpaceQuota quota = new SpaceQuota(size::get, 1000, clock::get);
        quota.checkWrite();

        size.set(1001);
        quota.checkWrite(); // measured at most every 500 ms: the old size still counts
        clock.addAndGet(500_000_000L);
        assertNoSpace(quota::checkWrite);
        assertThat(quota.alarmed()).isTrue();

        size.set(10); // space freed: the alarm stays until an operator deactivates it, as in etcd
        clock.addAndGet(500_000_000L);
        assertNoSpace(quota::checkWrite);
        quota.deactivate();
        quota.checkWrite();

        size.set(2000);
        clock.addAndGet(500_000_000L);
        assertNoSpace(quota::checkWrite);
        quota.deactivate();
        assertNoSpace(quota::checkWrite); // still over: the next write raises it again
    }

    @Test
    void overTheQuotaWritesFailWhileReadsAndDeletesWork(@TempDir Path dir) throws Exception {
        try (EtcdTestCluster cluster = new EtcdTestCluster(dir, s -> s.withQuotaBackendBytes(2 * 1024 * 1024))) {
            cluster.awaitWritable();
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel("n1"));
            ByteString value = ByteString.copyFrom(new byte[256 * 1024]);
            int written = 0;
            while (true) {
                try {
                    kv.put(PutRequest.newBuilder().setKey(b("big/" + written)).setValue(value).build());
                    written++;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo(NO_SPACE);
                    break;
                }
                if (written > 200) {
                    fail("no NOSPACE after " + written + " writes of 256 KiB with a 2 MiB quota");
                }
            }
            assertThat(written).isPositive();
            MaintenanceGrpc.MaintenanceBlockingStub maintenance = MaintenanceGrpc.newBlockingStub(cluster.channel("n1"));
            assertThat(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
                    .getAlarmsList()).singleElement().satisfies(a -> {
                        assertThat(a.getAlarm()).isEqualTo(AlarmType.NOSPACE);
                        assertThat(a.getMemberID()).isEqualTo(EtcdIds.memberId("n1"));
                    });

            // Everything that adds data is refused; reads, deletes and delete-only transactions go on.
            assertNoSpace(() -> kv.put(PutRequest.newBuilder().setKey(b("small")).setValue(b("v")).build()));
            assertNoSpace(() -> LeaseGrpc.newBlockingStub(cluster.channel("n1"))
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()));
            assertNoSpace(() -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                    .setRequestPut(PutRequest.newBuilder().setKey(b("small")).setValue(b("v")))).build()));
            assertThat(kv.range(RangeRequest.newBuilder().setKey(b("big/0")).build()).getCount()).isEqualTo(1);
            assertThat(kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                    .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("big/0")))).build())
                    .getSucceeded()).isTrue();
            assertThat(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("big/")).setRangeEnd(b("big0")).build())
                    .getDeleted()).isEqualTo(written - 1);

            // Deactivating answers with the alarm it cleared and empties the list; deleting keys does not shrink the
            // files at once, so the next write finds the data still over the quota and raises the alarm again.
            assertThat(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                    .setAlarm(AlarmType.NOSPACE).build()).getAlarmsList()).extracting(AlarmMember::getAlarm)
                    .containsExactly(AlarmType.NOSPACE);
            assertThat(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
                    .getAlarmsList()).isEmpty();
            assertNoSpace(() -> kv.put(PutRequest.newBuilder().setKey(b("small")).setValue(b("v")).build()));
            assertThat(maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
                    .getAlarmsList()).extracting(AlarmMember::getAlarm).containsExactly(AlarmType.NOSPACE);
        }
    }

    private static void assertNoSpace(ThrowableAssert.ThrowingCallable write) {
        assertThatThrownBy(write).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).isEqualTo(NO_SPACE);
        });
    }
}
