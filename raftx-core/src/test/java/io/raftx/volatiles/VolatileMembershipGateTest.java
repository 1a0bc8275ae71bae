package io.raftx.volatiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the volatile leader lets Raft change the voters (the reduction of simulator seeds 4875 and 5754). */
class VolatileMembershipGateTest {

    private static final Set<String> ALL = Set.of("n1", "n2", "n3");

    private static VolatileCluster threeNodesWithN3Behind() {
        VolatileCluster c = new VolatileCluster(3, cfg -> cfg);
        c.elect("n1", null, true);
        c.settle();
        c.partition(Set.of("n3"));
        for (int i = 0; i < 5; i++) {
            c.write(VolatileOp.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8), 0));
        }
        c.tickAll(2); // committed by n1 and n2; n3 lacks them
        assertThat(c.node("n1").appliedIndex()).isEqualTo(5);
        assertThat(c.node("n3").lastIndex()).isZero();
        return c;
    }

    @Test
    void removingAHolderWaitsUntilAMajorityOfTheRemainingVotersHoldsEveryCommittedWrite() {
        VolatileCluster c = threeNodesWithN3Behind();
        VolatileReplica leader = c.node("n1");
        // Removing the leader now would leave the writes on n2 alone among {n2, n3}: if n2 then crashed, they are gone.
        assertThat(leader.configurationChangeHold(1, ALL, Set.of("n2", "n3"))).contains("remaining voters");
        // Removing the lagging n3 keeps both holders.
        assertThat(leader.configurationChangeHold(1, ALL, Set.of("n1", "n2"))).isNull();
        // Learner changes never wait; a follower is never asked.
        assertThat(leader.configurationChangeHold(1, ALL, ALL)).isNull();
        assertThat(c.node("n2").configurationChangeHold(1, ALL, Set.of("n2", "n3"))).contains("does not lead");
        c.heal();
        c.tickAll(3);
        assertThat(leader.configurationChangeHold(1, ALL, Set.of("n2", "n3"))).isNull();
    }
}
