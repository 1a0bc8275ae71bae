package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leases in the KV state machine, applied through the codec as log entries are. */
class KvLeaseTest {

    private final KvStateMachine sm = new KvStateMachine(WatchOptions.defaults().withDeliveryExecutor(Runnable::run));
    private final KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
    private long index = 1000;

    @AfterEach
    void close() {
        sm.close();
    }

    private TxnResult lease(LeaseCommand c) {
        return KvCodec.decodeResult(sm.apply(++index, KvCodec.encodeLease(c)));
    }

    private TxnResult putLeased(String key, long lease) {
        return log.txn(Txn.builder().then(new Op.Put(b(key), b("v"), false, lease)).build());
    }

    @Test
    void revokeDeletesTheLeasesKeysInOneRevision() {
        List<WatchEvent> events = new ArrayList<>();
        sm.watches().watch("**", events::add);
        lease(LeaseCommand.grant(7, 30));
        putLeased("a", 7);
        putLeased("b", 7);
        log.put("c", "no lease");
        assertThat(sm.get("a")).hasValueSatisfying(kv -> assertThat(kv.lease()).isEqualTo(7));
        assertThat(sm.keysOfLease(7)).extracting(KeyValue::keyAsString).containsExactly("a", "b");

        TxnResult revoked = lease(LeaseCommand.revoke(7));

        assertThat(revoked.revision()).isEqualTo(4);
        assertThat(sm.get("a")).isEmpty();
        assertThat(sm.get("c")).isPresent();
        assertThat(sm.leases()).isEmpty();
        assertThat(events.subList(3, 5)).extracting(WatchEvent::type).containsOnly(WatchEvent.Type.DELETE);
    }

    @Test
    void aPutWithAMissingLeaseChangesNothingAndFailsTheSameWayEverywhere() {
        assertThatThrownBy(() -> putLeased("a", 99)).isInstanceOfSatisfying(LeaseException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseException.Reason.NOT_FOUND));
        assertThat(sm.get("a")).isEmpty();
        assertThat(sm.revision()).isZero();
        lease(LeaseCommand.grant(5, 10));
        assertThatThrownBy(() -> lease(LeaseCommand.grant(5, 10))).isInstanceOfSatisfying(LeaseException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseException.Reason.EXISTS));
        assertThatThrownBy(() -> lease(LeaseCommand.keepAlive(6))).isInstanceOf(LeaseException.class);
    }

    @Test
    void aPutWithoutALeaseDetachesTheKey() {
        lease(LeaseCommand.grant(3, 10));
        putLeased("k", 3);
        log.put("k", "plain");
        lease(LeaseCommand.revoke(3));
        assertThat(sm.get("k")).hasValueSatisfying(kv -> assertThat(kv.lease()).isZero());
    }

    @Test
    void leasesAndAttachmentsSurviveASnapshotAndTheObserverIsReset() throws IOException {
        lease(LeaseCommand.grant(11, 20));
        putLeased("x", 11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.snapshot(out);

        KvStateMachine restored = new KvStateMachine();
        List<Map<Long, Long>> resets = new ArrayList<>();
        restored.setLeaseObserver(new LeaseObserver() {
            @Override
            public void granted(long id, long ttlSeconds) {
            }

            @Override
            public void keptAlive(long id, long ttlSeconds) {
            }

            @Override
            public void revoked(long id) {
            }

            @Override
            public void reset(Map<Long, Long> leases) {
                resets.add(leases);
            }
        });
        restored.restore(new ByteArrayInputStream(out.toByteArray()));
        try {
            assertThat(restored.leases()).containsExactly(Map.entry(11L, 20L));
            assertThat(restored.get("x")).hasValueSatisfying(kv -> assertThat(kv.lease()).isEqualTo(11));
            assertThat(resets).containsExactly(Map.of(11L, 20L));
        } finally {
            restored.close();
        }
    }
}
