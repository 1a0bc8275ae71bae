package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The succession ranks a leader gives its followers stay put while they keep up: under a write load the order of
 * their match indexes changes with every acknowledgement, and ranks that followed it would differ between followers
 * (two of them both ranked first campaign together and split the vote). A follower that fell behind goes last.
 */
class SuccessionRankTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3", "n4", "n5");
    private static final List<String> FOLLOWERS = IDS.subList(1, IDS.size());
    private static final int HEARTBEAT = RaftConfig.of("n1", IDS).heartbeatTicks();

    private static TestNetwork elected() {
        TestNetwork net = TestNetwork.of(IDS.toArray(String[]::new));
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        net.node("n1").propose(1, new byte[] {1});
        net.settle();
        net.tickAll(2 * HEARTBEAT);
        return net;
    }

    private static Map<String, Integer> ranks(TestNetwork net, List<String> of) {
        Map<String, Integer> ranks = new TreeMap<>();
        of.forEach(id -> ranks.put(id, net.node(id).rank()));
        return ranks;
    }

    @Test
    void aFollowerAMomentBehindTheOthersKeepsItsRank() {
        TestNetwork net = elected();
        Map<String, Integer> before = ranks(net, FOLLOWERS);
        assertThat(before.values()).containsExactlyInAnyOrder(0, 1, 2, 3);
        long id = 10;
        for (String behind : FOLLOWERS) {
            // It misses the newest entry while the others acknowledge it; heartbeats still reach it.
            net.drop = m -> m.type() == MessageType.APPEND && m.to().equals(behind);
            net.node("n1").propose(id++, new byte[] {2});
            net.settle();
            assertThat(net.node(behind).lastIndex()).isLessThan(net.node("n1").lastIndex());
            net.tickAll(HEARTBEAT);
            assertThat(ranks(net, FOLLOWERS)).as("ranks while %s is an entry behind", behind).isEqualTo(before);
            net.drop = m -> false;
            net.node("n1").propose(id++, new byte[] {2}); // it catches up with the next append
            net.settle();
            assertThat(net.node(behind).lastIndex()).isEqualTo(net.node("n1").lastIndex());
        }
    }

    @Test
    void aFollowerThatFellBehindGoesLastAndTheOthersKeepTheirOrder() {
        TestNetwork net = elected();
        Map<String, Integer> before = ranks(net, FOLLOWERS);
        String first = FOLLOWERS.stream().filter(f -> before.get(f) == 0).findFirst().orElseThrow();
        List<String> others = FOLLOWERS.stream().filter(f -> !f.equals(first)).toList();
        // Cut off from everything the leader sends, while the others commit more entries.
        net.drop = m -> m.to().equals(first) && m.from().equals("n1");
        for (long id = 10; id < 15; id++) {
            net.node("n1").propose(id, new byte[] {3});
            net.tickAll(HEARTBEAT);
        }
        Map<String, Integer> after = ranks(net, others);
        assertThat(after.values()).containsExactlyInAnyOrder(0, 1, 2);
        for (String a : others) {
            for (String b : others) {
                assertThat(before.get(a) < before.get(b)).as("%s before %s", a, b).isEqualTo(after.get(a) < after.get(b));
            }
        }
        net.drop = m -> false;
        net.tickAll(HEARTBEAT);
        assertThat(net.node(first).rank()).isEqualTo(3);
    }
}
