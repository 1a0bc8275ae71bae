package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Client conditions ({@link VolatileOp#ifVersion()}) are checked at the op's place in the order, on every node. */
class VolatileConditionalOpTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static VolatileCluster threeNodes() {
        VolatileCluster c = new VolatileCluster(3, cfg -> cfg);
        c.elect("n1", null, true);
        c.settle();
        return c;
    }

    private static WriteOutcome.Status outcome(VolatileCluster c, Admission a) {
        c.settle();
        c.tickAll(2); // followers learn the commit from the next heartbeat
        return c.outcomes.values().stream().filter(o -> o.index() == a.index()).findFirst().orElseThrow().status();
    }

    @Test
    void putIfAbsentAppliesOnlyToTheFirstOfTwoRacingWrites() {
        VolatileCluster c = threeNodes();
        Admission first = c.write(VolatileOp.putIfAbsent("lock", bytes("a"), 0));
        Admission second = c.write(VolatileOp.putIfAbsent("lock", bytes("b"), 0)); // both before either commits
        assertThat(outcome(c, first)).isEqualTo(WriteOutcome.Status.COMMITTED);
        assertThat(outcome(c, second)).isEqualTo(WriteOutcome.Status.CONDITION_FAILED);
        for (VolatileReplica n : c.live()) {
            assertThat(n.localGet("lock").bytes()).isEqualTo(bytes("a"));
            assertThat(n.localGet("lock").version()).isEqualTo(first.index());
        }
    }

    @Test
    void versionConditionsCompareTheVersionOfTheLastWrite() {
        VolatileCluster c = threeNodes();
        Admission put = c.write(VolatileOp.put("k", bytes("v1"), 0));
        c.settle();
        Admission stale = c.write(VolatileOp.put("k", bytes("x"), 0).onlyIfVersion(put.index() + 100));
        Admission fresh = c.write(VolatileOp.put("k", bytes("v2"), 0).onlyIfVersion(put.index()));
        Admission deleteStale = c.write(VolatileOp.delete("k").onlyIfVersion(put.index()));
        Admission deleteFresh = c.write(VolatileOp.delete("k").onlyIfVersion(fresh.index()));
        assertThat(outcome(c, stale)).isEqualTo(WriteOutcome.Status.CONDITION_FAILED);
        assertThat(outcome(c, fresh)).isEqualTo(WriteOutcome.Status.COMMITTED);
        assertThat(outcome(c, deleteStale)).isEqualTo(WriteOutcome.Status.CONDITION_FAILED);
        assertThat(outcome(c, deleteFresh)).isEqualTo(WriteOutcome.Status.COMMITTED);
        c.live().forEach(n -> assertThat(n.localGet("k")).isNull());
        assertThat(c.events.get("n2")).hasSize(3); // failed conditions change nothing and emit nothing
    }

    @Test
    void setMembersCanBeAddedOnlyIfAbsent() {
        VolatileCluster c = threeNodes();
        Admission a = c.write(VolatileOp.addToSet("s", "m", 0).onlyIfVersion(VolatileOp.IF_ABSENT));
        Admission again = c.write(VolatileOp.addToSet("s", "m", 0).onlyIfVersion(VolatileOp.IF_ABSENT));
        assertThat(outcome(c, a)).isEqualTo(WriteOutcome.Status.COMMITTED);
        assertThat(outcome(c, again)).isEqualTo(WriteOutcome.Status.CONDITION_FAILED);
        assertThat(c.node("n3").localGet("s").memberVersion("m")).isEqualTo(a.index());
    }

    @Test
    void conditionsAreValidated() {
        assertThatThrownBy(() -> VolatileOp.delete("k").onlyIfVersion(VolatileOp.IF_ABSENT)).hasMessageContaining("IF_ABSENT");
        assertThatThrownBy(() -> VolatileOp.put("k", new byte[0], 0).onlyIfVersion(-2)).hasMessageContaining("ifVersion");
        assertThatThrownBy(() -> VolatileOp.expireKey("k", 3).onlyIfVersion(0)).hasMessageContaining("expiry");
        assertThat(VolatileOp.putIfAbsent("k", new byte[0], 0).isConditional()).isTrue();
        assertThat(VolatileOp.expireKey("k", 3).isConditional()).isFalse();
    }
}
