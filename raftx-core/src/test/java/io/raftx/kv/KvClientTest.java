package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static io.raftx.kv.KvTestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.node.ReadConsistency;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV semantics end to end through a single-node cluster: every operation, its revision and its metadata. */
class KvClientTest {

    private KvTestSupport.SingleNode cluster;
    private KvClient kv;

    @BeforeEach
    void start() {
        cluster = new KvTestSupport.SingleNode();
        kv = cluster.kv;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private KeyValue get(String key) {
        return join(kv.get(key)).orElseThrow(() -> new AssertionError(key + " absent"));
    }

    @Test
    void everyPutBumpsTheRevisionAndTracksCreateModAndVersion() {
        assertThat(join(kv.put("a", "1")).revision()).isEqualTo(1);
        assertThat(get("a")).isEqualTo(new KeyValue(b("a"), b("1"), 1, 1, 1));

        assertThat(join(kv.put("a", "2")).revision()).isEqualTo(2);
        assertThat(get("a")).isEqualTo(new KeyValue(b("a"), b("2"), 1, 2, 2));

        assertThat(join(kv.put("b", "x")).revision()).isEqualTo(3);
        assertThat(get("b")).isEqualTo(new KeyValue(b("b"), b("x"), 3, 3, 1));

        // Writing the same value again is still a write (etcd does the same).
        assertThat(join(kv.put("b", "x")).revision()).isEqualTo(4);
        assertThat(get("b").version()).isEqualTo(2);
        assertThat(cluster.sm.revision()).isEqualTo(4);
    }

    @Test
    void putReturnsThePreviousValueOnlyWhenAsked() {
        assertThat(join(kv.put(b("k"), b("v1"), true)).previous()).isEmpty();
        assertThat(join(kv.put(b("k"), b("v2"), false)).previous()).isEmpty();
        PutResult third = join(kv.put(b("k"), b("v3"), true));
        assertThat(third.previous()).contains(new KeyValue(b("k"), b("v2"), 1, 2, 2));
    }

    @Test
    void getOfAnAbsentKeyIsEmptyWithEitherConsistency() {
        assertThat(join(kv.get("nope"))).isEmpty();
        assertThat(join(kv.get("nope", ReadConsistency.LOCAL))).isEmpty();
        join(kv.put("yes", "1"));
        assertThat(join(kv.getString("yes", ReadConsistency.LOCAL))).contains("1");
    }

    @Test
    void deleteRemovesTheKeyAndARecreatedKeyStartsOver() {
        join(kv.put("a", "1"));
        join(kv.put("a", "2"));

        DeleteResult deleted = join(kv.delete(b("a"), true));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.deletedCount()).isEqualTo(1);
        assertThat(deleted.revision()).isEqualTo(3);
        assertThat(deleted.previous()).contains(new KeyValue(b("a"), b("2"), 1, 2, 2));
        assertThat(join(kv.get("a"))).isEmpty();

        DeleteResult again = join(kv.delete("a"));
        assertThat(again.deleted()).isFalse();
        assertThat(again.revision()).as("deleting nothing is not a write").isEqualTo(3);

        join(kv.put("a", "3"));
        assertThat(get("a")).isEqualTo(new KeyValue(b("a"), b("3"), 4, 4, 1));
    }

    @Test
    void putIfAbsentWritesOnlyOnceAndReportsTheExistingValue() {
        ConditionalResult first = join(kv.putIfAbsent("lock", "me"));
        assertThat(first.succeeded()).isTrue();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.previous()).isEmpty();

        ConditionalResult second = join(kv.putIfAbsent("lock", "you"));
        assertThat(second.succeeded()).isFalse();
        assertThat(second.revision()).as("a failed condition writes nothing").isEqualTo(1);
        assertThat(second.previous().map(KeyValue::valueAsString)).contains("me");
        assertThat(get("lock").valueAsString()).isEqualTo("me");
    }

    @Test
    void updateWritesOnlyAnExistingKey() {
        ConditionalResult missing = join(kv.update("cfg", "1"));
        assertThat(missing.succeeded()).isFalse();
        assertThat(missing.previous()).isEmpty();
        assertThat(join(kv.get("cfg"))).isEmpty();
        assertThat(cluster.sm.revision()).isZero();

        join(kv.put("cfg", "0"));
        ConditionalResult present = join(kv.update("cfg", "1"));
        assertThat(present.succeeded()).isTrue();
        assertThat(present.revision()).isEqualTo(2);
        assertThat(present.previous().map(KeyValue::valueAsString)).contains("0");
        assertThat(get("cfg")).isEqualTo(new KeyValue(b("cfg"), b("1"), 1, 2, 2));
    }

    @Test
    void compareAndSetOnValue() {
        join(kv.put("n", "1"));
        ConditionalResult ok = join(kv.compareAndSet("n", "1", "2"));
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.revision()).isEqualTo(2);

        ConditionalResult stale = join(kv.compareAndSet("n", "1", "3"));
        assertThat(stale.succeeded()).isFalse();
        assertThat(stale.previous().map(KeyValue::valueAsString)).as("the current value, to retry with").contains("2");
        assertThat(get("n").valueAsString()).isEqualTo("2");

        assertThat(join(kv.compareAndSet("m", null, "new")).succeeded()).as("null expected = absent").isTrue();
        assertThat(join(kv.compareAndSet("m", null, "newer")).succeeded()).isFalse();
        assertThat(join(kv.compareAndSet("absent", "x", "y")).succeeded())
                .as("a value compare on a missing key never holds").isFalse();
    }

    @Test
    void compareAndSetOnModRevision() {
        assertThat(join(kv.compareAndSetRevision("r", 0, "first")).succeeded()).as("0 = absent").isTrue();
        long mod = get("r").modRevision();
        assertThat(join(kv.compareAndSetRevision("r", 0, "again")).succeeded()).isFalse();

        ConditionalResult ok = join(kv.compareAndSetRevision("r", mod, "second"));
        assertThat(ok.succeeded()).isTrue();
        ConditionalResult stale = join(kv.compareAndSetRevision("r", mod, "third"));
        assertThat(stale.succeeded()).isFalse();
        assertThat(stale.previous().map(KeyValue::modRevision)).contains(ok.revision());
        assertThat(get("r").valueAsString()).isEqualTo("second");
    }

    @Test
    void prefixScanIsSortedByUnsignedBytesAndHonoursTheLimit() {
        for (String k : new String[] {"p.z", "p.é", "p.a", "p.b.c", "p", "q.a", "o.z"}) {
            join(kv.put(k, "v-" + k));
        }
        ScanResult all = join(kv.scan("p.", 10, ReadConsistency.LINEARIZABLE));
        // 'é' is 0xC3 0xA9 in UTF-8: after 'z' (0x7A) only when bytes compare unsigned.
        assertThat(all.keyValues()).extracting(KeyValue::keyAsString).containsExactly("p.a", "p.b.c", "p.z", "p.é");
        assertThat(all.more()).isFalse();
        assertThat(all.revision()).isEqualTo(7);

        ScanResult two = join(kv.scan("p.", 2, ReadConsistency.LOCAL));
        assertThat(two.keyValues()).extracting(KeyValue::keyAsString).containsExactly("p.a", "p.b.c");
        assertThat(two.more()).isTrue();

        assertThat(join(kv.scan("", 100, ReadConsistency.LOCAL)).keyValues()).hasSize(7);
        assertThat(join(kv.scan("nothing", 5, ReadConsistency.LOCAL)).keyValues()).isEmpty();
    }

    @Test
    void transactionSuccessRunsThenOpsInOrderAtOneRevision() {
        join(kv.put("acct.a", "10"));
        join(kv.put("acct.b", "5"));
        Txn transfer = Txn.builder()
                .when(Compare.value(b("acct.a"), Compare.Operator.EQUAL, b("10")),
                        Compare.version(b("acct.b"), Compare.Operator.LESS, 2),
                        Compare.createRevision(b("acct.b"), Compare.Operator.GREATER, 1),
                        Compare.modRevision(b("acct.c"), Compare.Operator.EQUAL, 0))
                .then(Op.put(b("acct.a"), b("7")), new Op.Put(b("acct.b"), b("8"), true),
                        Op.get(b("acct.a")), Op.put(b("acct.c"), b("0")), new Op.Delete(b("acct.c"), true))
                .orElse(Op.get(b("acct.a")))
                .build();

        TxnResult r = join(kv.txn(transfer));

        assertThat(r.succeeded()).isTrue();
        assertThat(r.revision()).isEqualTo(3);
        assertThat(r.results()).hasSize(5);
        assertThat(((OpResult.Put) r.results().get(1)).previous().map(KeyValue::valueAsString)).contains("5");
        assertThat(((OpResult.Get) r.results().get(2)).keyValue())
                .as("later ops see earlier ones").contains(new KeyValue(b("acct.a"), b("7"), 1, 3, 2));
        assertThat(((OpResult.Delete) r.results().get(4)).deleted()).isEqualTo(1);
        assertThat(get("acct.a").modRevision()).isEqualTo(3);
        assertThat(get("acct.b").modRevision()).isEqualTo(3);
        assertThat(join(kv.get("acct.c"))).isEmpty();
    }

    @Test
    void transactionFailureRunsElseOpsAndNoneOfTheThenOps() {
        join(kv.put("x", "1"));
        join(kv.put("y", "1"));
        Txn txn = Txn.builder()
                .when(Compare.value(b("x"), Compare.Operator.EQUAL, b("1")),          // holds
                        Compare.version(b("y"), Compare.Operator.GREATER, 1))         // fails
                .then(Op.put(b("x"), b("2")), Op.delete(b("y")), Op.put(b("z"), b("new")))
                .orElse(Op.get(b("x")), Op.get(b("y")))
                .build();

        TxnResult r = join(kv.txn(txn));

        assertThat(r.succeeded()).isFalse();
        assertThat(r.revision()).as("a read-only branch writes nothing").isEqualTo(2);
        assertThat(r.results()).extracting(op -> ((OpResult.Get) op).keyValue().map(KeyValue::valueAsString))
                .containsExactly(Optional.of("1"), Optional.of("1"));
        assertThat(get("x").valueAsString()).isEqualTo("1");
        assertThat(get("y").valueAsString()).isEqualTo("1");
        assertThat(join(kv.get("z"))).isEmpty();
    }

    @Test
    void compareOperatorsAndMissingKeys() {
        join(kv.put("k", "m"));
        assertThat(holds(Compare.value(b("k"), Compare.Operator.LESS, b("n")))).isTrue();
        assertThat(holds(Compare.value(b("k"), Compare.Operator.GREATER, b("n")))).isFalse();
        assertThat(holds(Compare.value(b("k"), Compare.Operator.NOT_EQUAL, b("m")))).isFalse();
        assertThat(holds(Compare.value(b("k"), Compare.Operator.GREATER, new byte[] {(byte) 0x01}))).isTrue();
        assertThat(holds(Compare.version(b("k"), Compare.Operator.NOT_EQUAL, 2))).isTrue();
        assertThat(holds(Compare.version(b("missing"), Compare.Operator.EQUAL, 0))).isTrue();
        assertThat(holds(Compare.createRevision(b("missing"), Compare.Operator.LESS, 1))).isTrue();
        assertThat(holds(Compare.value(b("missing"), Compare.Operator.NOT_EQUAL, b("m"))))
                .as("etcd: a value compare on a missing key is false for every operator").isFalse();
        assertThat(holds(Compare.present(b("k")))).isTrue();
        assertThat(holds(Compare.absent(b("k")))).isFalse();
    }

    private boolean holds(Compare c) {
        return join(kv.txn(Txn.builder().when(c).build())).succeeded();
    }

    @Test
    void emptyTransactionAndReadOnlyTransactionsDoNotBumpTheRevision() {
        join(kv.put("a", "1"));
        assertThat(join(kv.txn(Txn.builder().build())).revision()).isEqualTo(1);
        assertThat(join(kv.txn(Txn.builder().then(Op.get(b("a")), Op.delete(b("missing"))).build())).revision())
                .isEqualTo(1);
    }
}
