package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.kv.watch.WatchHub;
import io.raftx.kv.watch.WatchOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads at past revisions from the retained history, compaction (explicit and by the bounds), and snapshots. */
class KvHistoryTest {

    private static final KeyRange ALL = new KeyRange(b("a"), null);

    private final List<KvStateMachine> machines = new ArrayList<>();

    private KvStateMachine machine(int maxRevisions, long maxBytes) {
        KvStateMachine sm = new KvStateMachine(
                new WatchHub(WatchOptions.defaults().withDeliveryExecutor(Runnable::run)), maxRevisions, maxBytes);
        machines.add(sm);
        return sm;
    }

    private KvStateMachine machine() {
        return machine(RevisionHistory.DEFAULT_MAX_REVISIONS, RevisionHistory.DEFAULT_MAX_BYTES);
    }

    @AfterEach
    void close() {
        machines.forEach(KvStateMachine::close);
    }

    private static List<String> describe(KvStateMachine sm, KeyRange range, long revision) {
        return sm.range(range, revision).map(kv -> kv.keyAsString() + "=" + KvTestSupport.s(kv.value()) + "@c"
                + kv.createRevision() + "m" + kv.modRevision() + "v" + kv.version()).toList();
    }

    private static TxnResult compact(KvTestSupport.DirectApply log, long revision) {
        return KvCodec.decodeResult(log.raw(KvCodec.encodeCompact(revision)));
    }

    @Test
    void aPastRevisionShowsTheKeysWithTheirMetadataAsTheyWereThen() {
        KvStateMachine sm = machine();
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
        log.put("a", "1");                      // 1
        log.put("a", "2");                      // 2
        log.put("b", "1");                      // 3
        log.delete("a");                        // 4
        log.put("a", "3");                      // 5

        assertThat(describe(sm, ALL, 1)).containsExactly("a=1@c1m1v1");
        assertThat(describe(sm, ALL, 2)).containsExactly("a=2@c1m2v2");
        assertThat(describe(sm, ALL, 3)).containsExactly("a=2@c1m2v2", "b=1@c3m3v1");
        assertThat(describe(sm, ALL, 4)).containsExactly("b=1@c3m3v1");
        assertThat(describe(sm, ALL, 5)).containsExactly("a=3@c5m5v1", "b=1@c3m3v1");
        assertThat(describe(sm, ALL, 0)).isEqualTo(describe(sm, ALL, 5));
        assertThat(describe(sm, new KeyRange(b("b"), b("c")), 2)).isEmpty();
    }

    @Test
    void aFutureRevisionIsRefusedWithTheStoreRevision() {
        KvStateMachine sm = machine();
        new KvTestSupport.DirectApply(sm).put("a", "1");
        assertThatThrownBy(() -> sm.range(ALL, 2))
                .isInstanceOfSatisfying(RevisionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RevisionException.Reason.FUTURE);
                    assertThat(e.bound()).isEqualTo(1);
                })
                .hasMessage("revision 2 is a future revision (the store is at revision 1)");
    }

    @Test
    void compactionRefusesReadsBelowItKeepsReadsAtItAndIsCheckedLikeEtcd() {
        KvStateMachine sm = machine();
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
        for (int i = 1; i <= 5; i++) {
            log.put("a", "v" + i);
        }
        assertThat(compact(log, 3).revision()).isEqualTo(5);

        assertThat(sm.compactedRevision()).isEqualTo(3);
        assertThat(describe(sm, ALL, 3)).containsExactly("a=v3@c1m3v3");
        assertThatThrownBy(() -> sm.range(ALL, 2)).isInstanceOfSatisfying(RevisionException.class, e -> {
            assertThat(e.reason()).isEqualTo(RevisionException.Reason.COMPACTED);
            assertThat(e.bound()).isEqualTo(3);
        }).hasMessage("revision 2 has been compacted (the history starts at revision 3); read at 3 or later");
        assertThatThrownBy(() -> compact(log, 3)).isInstanceOfSatisfying(RevisionException.class,
                e -> assertThat(e.reason()).isEqualTo(RevisionException.Reason.COMPACTED));
        assertThatThrownBy(() -> compact(log, 6)).isInstanceOfSatisfying(RevisionException.class,
                e -> assertThat(e.reason()).isEqualTo(RevisionException.Reason.FUTURE));
        assertThat(sm.compactedRevision()).as("refused compactions change nothing").isEqualTo(3);
        assertThat(sm.watches().oldestRetainedRevision()).as("the watch history is compacted with it").isEqualTo(4);
    }

    @Test
    void theBoundsCompactTheOldestRevisionsOnApply() {
        KvStateMachine sm = machine(3, Long.MAX_VALUE);
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
        for (int i = 1; i <= 6; i++) {
            log.put("k" + i, "v");
        }
        assertThat(sm.compactedRevision()).isEqualTo(3);
        assertThat(describe(sm, ALL, 3)).hasSize(3);
        assertThatThrownBy(() -> sm.range(ALL, 2)).isInstanceOf(RevisionException.class);

        KvStateMachine bytesBound = machine(1000, 2 * (100 + 2 + 64));
        KvTestSupport.DirectApply small = new KvTestSupport.DirectApply(bytesBound);
        for (int i = 0; i < 4; i++) {
            small.put("k" + i, "x".repeat(100));
        }
        for (int i = 0; i < 4; i++) {
            small.put("k" + i, "y");                  // revisions 5-8 each replaced a 100-byte value
        }
        assertThat(bytesBound.compactedRevision()).isEqualTo(6);
    }

    @Test
    void aTransactionReadsAPastRevisionBeforeItsOwnWritesAndFailsWholeOutsideTheHistory() {
        KvStateMachine sm = machine();
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
        log.put("a", "1");
        log.put("a", "2");

        TxnResult r = log.txn(Txn.builder().then(Op.put(b("a"), b("3")), new Op.Range(ALL, 2),
                new Op.Range(ALL, 1), new Op.Range(ALL)).build());
        assertThat(r.revision()).isEqualTo(3);
        assertThat(((OpResult.Range) r.results().get(1)).keyValues()).extracting(KeyValue::valueAsString)
                .containsExactly("2");
        assertThat(((OpResult.Range) r.results().get(2)).keyValues()).extracting(KeyValue::valueAsString)
                .containsExactly("1");
        assertThat(((OpResult.Range) r.results().get(3)).keyValues()).extracting(KeyValue::valueAsString)
                .containsExactly("3");

        compact(log, 2);
        assertThatThrownBy(() -> log.txn(Txn.builder().then(Op.put(b("z"), b("1")), new Op.Range(ALL, 1)).build()))
                .isInstanceOfSatisfying(RevisionException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionException.Reason.COMPACTED));
        assertThatThrownBy(() -> log.txn(Txn.builder().then(Op.put(b("z"), b("1")), new Op.Range(ALL, 4)).build()))
                .isInstanceOfSatisfying(RevisionException.class,
                        e -> assertThat(e.reason()).isEqualTo(RevisionException.Reason.FUTURE));
        assertThat(sm.revision()).isEqualTo(3);
        assertThat(sm.get("z")).as("nothing of a refused transaction was written").isEmpty();
    }

    @Test
    void keysDeletedByALeaseRevokeAreInTheHistory() {
        KvStateMachine sm = machine();
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);
        KvCodec.decodeResult(log.raw(KvCodec.encodeLease(LeaseCommand.grant(7, 60))));
        log.txn(Txn.builder().then(new Op.Put(b("a"), b("1"), false, 7)).build());
        KvCodec.decodeResult(log.raw(KvCodec.encodeLease(LeaseCommand.revoke(7))));

        assertThat(describe(sm, ALL, 2)).isEmpty();
        assertThat(describe(sm, ALL, 1)).containsExactly("a=1@c1m1v1");
        assertThat(sm.range(ALL, 1).findFirst().orElseThrow().lease()).isEqualTo(7);
    }

    @Test
    void aRestoredSnapshotCarriesTheHistoryAndTheCompactionPoint() throws IOException {
        KvStateMachine source = machine();
        KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(source);
        for (int i = 1; i <= 6; i++) {
            log.put(i % 2 == 0 ? "a" : "b", "v" + i);
        }
        log.delete("a");
        compact(log, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        source.snapshot(bytes);

        KvStateMachine target = machine();
        new KvTestSupport.DirectApply(target).put("other", "x");
        target.restore(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(target.compactedRevision()).isEqualTo(2);
        for (long rev = 2; rev <= 7; rev++) {
            assertThat(describe(target, ALL, rev)).as("revision %d", rev).isEqualTo(describe(source, ALL, rev));
        }
        assertThatThrownBy(() -> target.range(ALL, 1)).isInstanceOf(RevisionException.class);
    }

    /**
     * Random writes, range deletes, lease revokes and compactions on two replicas, checked against a model that
     * keeps a full copy of the key space after every revision: both replicas answer every retained revision as the
     * model does, and refuse the same revisions as compacted. One replica is restored from the other's snapshot
     * half-way, as a lagging follower would be.
     */
    @Test
    void pastReadsMatchAFullCopyModelOnEveryReplica() throws IOException {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            KvStateMachine a = machine(40, 1 << 20);
            KvStateMachine b = machine(40, 1 << 20);
            KvTestSupport.DirectApply logA = new KvTestSupport.DirectApply(a);
            KvTestSupport.DirectApply logB = new KvTestSupport.DirectApply(b);
            List<TreeMap<String, String>> model = new ArrayList<>();
            model.add(new TreeMap<>());
            for (int step = 0; step < 300; step++) {
                byte[] command = randomCommand(random, a.revision());
                byte[] ra = logA.raw(command);
                byte[] rb = logB.raw(command);
                assertThat(rb).as("seed %d step %d: replicas answer alike", seed, step).isEqualTo(ra);
                while (model.size() <= a.revision()) {
                    model.add(snapshotOf(a));
                }
                if (step == 150) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    a.snapshot(bytes);
                    b.restore(new ByteArrayInputStream(bytes.toByteArray()));
                }
            }
            for (long rev = 1; rev <= a.revision(); rev++) {
                if (rev < a.compactedRevision()) {
                    long r = rev;
                    assertThatThrownBy(() -> b.range(ALL, r)).isInstanceOf(RevisionException.class);
                    continue;
                }
                TreeMap<String, String> expected = model.get((int) rev);
                assertThat(asMap(a, rev)).as("seed %d revision %d", seed, rev).isEqualTo(expected);
                assertThat(asMap(b, rev)).as("seed %d revision %d (replica)", seed, rev).isEqualTo(expected);
            }
            assertThat(b.compactedRevision()).isEqualTo(a.compactedRevision());
        }
    }

    private static byte[] randomCommand(Random random, long revision) {
        String key = "k" + random.nextInt(12);
        int kind = random.nextInt(20);
        if (kind == 0 && revision > 0) {
            return KvCodec.encodeCompact(1 + random.nextInt((int) revision));
        }
        if (kind == 1) {
            return KvCodec.encodeLease(LeaseCommand.grant(1 + random.nextInt(3), 60));
        }
        if (kind == 2) {
            return KvCodec.encodeLease(LeaseCommand.revoke(1 + random.nextInt(3)));
        }
        if (kind < 6) {
            return KvCodec.encodeTxn(Txn.builder().then(new Op.DeleteRange(new KeyRange(b(key), b("k5")), false))
                    .build());
        }
        long lease = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        return KvCodec.encodeTxn(Txn.builder().then(new Op.Put(b(key), b("v" + random.nextInt(1000)), false, lease),
                Op.put(b(key + "x"), b("w"))).build());
    }

    private static TreeMap<String, String> snapshotOf(KvStateMachine sm) {
        return asMap(sm, 0);
    }

    private static TreeMap<String, String> asMap(KvStateMachine sm, long revision) {
        TreeMap<String, String> m = new TreeMap<>();
        sm.range(ALL, revision).forEach(kv -> m.put(kv.keyAsString(),
                KvTestSupport.s(kv.value()) + "@c" + kv.createRevision() + "m" + kv.modRevision() + "v" + kv.version()
                        + "l" + kv.lease()));
        return m;
    }
}
