package io.raftx.kv;

import static io.raftx.kv.KvTestSupport.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.kv.watch.WatchEvent;
import io.raftx.kv.watch.WatchOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Range deletes, range reads and range compares, applied through the codec as a log entry would be. */
class KvRangeOpsTest {

    private final KvStateMachine sm = new KvStateMachine(WatchOptions.defaults().withDeliveryExecutor(Runnable::run));
    private final KvTestSupport.DirectApply log = new KvTestSupport.DirectApply(sm);

    @AfterEach
    void close() {
        sm.close();
    }

    private static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::keyAsString).toList();
    }

    @Test
    void deleteRangeRemovesEveryKeyOfTheRangeInOneRevisionWithOneEventEach() {
        log.put("a", "1");
        log.put("b", "2");
        log.put("c", "3");
        List<WatchEvent> events = new ArrayList<>();
        sm.watches().watch("**", events::add);

        TxnResult r = log.txn(Txn.builder().then(new Op.DeleteRange(new KeyRange(b("a"), b("c")), true)).build());

        OpResult.DeleteRange d = (OpResult.DeleteRange) r.results().get(0);
        assertThat(d.deleted()).isEqualTo(2);
        assertThat(keys(d.previous())).containsExactly("a", "b");
        assertThat(r.revision()).isEqualTo(4);
        assertThat(events).extracting(WatchEvent::keyAsString).containsExactly("a", "b");
        assertThat(events).extracting(WatchEvent::revision).containsOnly(4L);
        assertThat(keys(sm.range(new KeyRange(b("a"), null)).toList())).containsExactly("c");
    }

    @Test
    void anEmptyDeleteRangeWritesNothing() {
        log.put("a", "1");
        TxnResult r = log.txn(Txn.builder().then(new Op.DeleteRange(new KeyRange(b("x"), b("a")), false)).build());
        assertThat(((OpResult.DeleteRange) r.results().get(0)).deleted()).isZero();
        assertThat(r.revision()).isEqualTo(1);
    }

    @Test
    void rangeReadsSeeEarlierOpsOfTheSameTransaction() {
        log.put("p/1", "x");
        TxnResult r = log.txn(Txn.builder().then(Op.put(b("p/2"), b("y")),
                new Op.Range(KeyRange.prefix(b("p/")))).build());
        assertThat(keys(((OpResult.Range) r.results().get(1)).keyValues())).containsExactly("p/1", "p/2");
    }

    @Test
    void aRangeCompareHoldsOnlyWhenEveryKeyOfTheRangeSatisfiesIt() {
        log.put("k/a", "1");
        log.put("k/b", "1");
        Compare allOnce = Compare.version(b("k/"), Compare.Operator.EQUAL, 1).over(KeyRange.prefix(b("k/")));
        assertThat(log.txn(Txn.builder().when(allOnce).build()).succeeded()).isTrue();
        log.put("k/b", "2");
        assertThat(log.txn(Txn.builder().when(allOnce).build()).succeeded()).isFalse();
        Compare emptyRangeAbsent = Compare.modRevision(b("z/"), Compare.Operator.EQUAL, 0).over(KeyRange.prefix(b("z/")));
        assertThat(log.txn(Txn.builder().when(emptyRangeAbsent).build()).succeeded()).isTrue();
    }

    @Test
    void rangeCommandsSurviveTheCodec() {
        Txn txn = Txn.builder()
                .when(Compare.value(b("a"), Compare.Operator.EQUAL, b("v")).over(new KeyRange(b("a"), null)))
                .then(new Op.DeleteRange(new KeyRange(b("a"), b("b")), true), new Op.Range(KeyRange.prefix(b("a"))))
                .build();
        Txn decoded = KvCodec.decodeTxn(KvCodec.encodeTxn(txn));
        Compare c = decoded.compares().get(0);
        assertThat(c.range()).isEqualTo(new KeyRange(b("a"), null));
        assertThat(c.value()).isEqualTo(b("v"));
        assertThat(((Op.DeleteRange) decoded.thenOps().get(0)).range()).isEqualTo(new KeyRange(b("a"), b("b")));
        assertThat(((Op.DeleteRange) decoded.thenOps().get(0)).returnPrevious()).isTrue();
        assertThat(((Op.Range) decoded.thenOps().get(1)).range()).isEqualTo(KeyRange.prefix(b("a")));
        // A single-key command encodes exactly as before range support: version 1, no flags.
        assertThat(KvCodec.decodeTxn(KvCodec.encodeTxn(Txn.builder().when(Compare.absent(b("a"))).build()))
                .compares().get(0).range()).isNull();
    }
}
