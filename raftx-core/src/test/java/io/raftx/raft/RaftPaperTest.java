package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests written against the Raft paper's rules and figures (section numbers in the names' comments). */
class RaftPaperTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");

    private static List<Entry> log(long... terms) {
        return TestNetwork.entries(terms);
    }

    private static TestNetwork restored(long term, Map<String, List<Entry>> logs, RaftConfig base) {
        return TestNetwork.restored(IDS, term, logs, base);
    }

    /** §5.4.2 / Figure 8: entries from earlier terms are committed only once an entry of the current term is. */
    @Test
    void leaderCommitsOnlyEntriesOfItsOwnTermByCounting() {
        RaftConfig oneEntryPerAppend = RaftConfig.of("n1", IDS).withReplication(8, 1, 1 << 20, 1000);
        TestNetwork net = restored(2, Map.of("n1", log(1, 1), "n2", log(1), "n3", log(1)), oneEntryPerAppend);
        // Keep the new leader's own no-op (index 3) from reaching anyone while index 2 (term 1) is replicated: a
        // follower that lacks index 2 may see it (it refuses such an append: a probe), one that holds index 2 never.
        net.drop = m -> m.type() == MessageType.APPEND && m.entries().stream().anyMatch(e -> e.index() == 3)
                && net.node(m.to()).lastIndex() >= 2;
        net.node("n1").campaign();
        net.settle();
        assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
        assertThat(net.node("n1").term()).isEqualTo(3);
        net.tickAll(3);
        // A majority holds index 2 (term 1), yet it must not be committed by counting.
        assertThat(net.node("n2").lastIndex()).isEqualTo(2);
        assertThat(net.node("n1").commitIndex()).isZero();
        net.heal();
        net.tickAll(3);
        assertThat(net.node("n1").commitIndex()).isEqualTo(3);
        assertThat(net.node("n2").commitIndex()).isEqualTo(3);
    }

    /** §5.4.1: a voter refuses a candidate whose log is less up-to-date than its own. */
    @Test
    void votersRefuseCandidatesWithStaleLogs() {
        TestNetwork net = restored(1, Map.of("n1", log(1), "n2", log(1, 1), "n3", log(1, 1)),
                RaftConfig.of("n1", IDS).withPreVoteAndCheckQuorum(false, true));
        net.node("n1").campaign();
        net.settle();
        assertThat(net.node("n1").role()).isNotEqualTo(Role.LEADER);
        assertThat(net.delivered).filteredOn(m -> m.type() == MessageType.VOTE_RESPONSE)
                .isNotEmpty().allMatch(Message::reject);
    }

    /** A higher last term beats a longer log (§5.4.1). */
    @Test
    void higherLastTermWinsOverLongerLog() {
        TestNetwork net = restored(3, Map.of("n1", log(1, 3), "n2", log(1, 1, 1, 1), "n3", log(1, 1)),
                RaftConfig.of("n1", IDS).withPreVoteAndCheckQuorum(false, true));
        net.node("n1").campaign();
        net.settle();
        assertThat(net.node("n1").role()).isEqualTo(Role.LEADER);
        net.tickAll(3);
        // n2's conflicting suffix (indexes 2-4 of term 1) was truncated and replaced by the leader's log.
        assertThat(net.node("n2").entry(2).term()).isEqualTo(3);
        assertThat(net.node("n2").lastIndex()).isEqualTo(net.node("n1").lastIndex());
    }

    /** Dueling candidates: at most one leader per term, and a leader emerges. */
    @Test
    void duelingCandidatesYieldOneLeaderPerTerm() {
        TestNetwork net = restored(1, Map.of("n1", log(1), "n2", log(1), "n3", log(1)),
                RaftConfig.of("n1", IDS).withPreVoteAndCheckQuorum(false, false));
        net.node("n1").campaign();
        net.node("n3").campaign(); // both are candidates in term 2 before any message moves
        net.settle();
        long leaders = net.nodes.values().stream().filter(r -> r.role() == Role.LEADER && r.term() == 2).count();
        assertThat(leaders).isLessThanOrEqualTo(1);
        net.tickAll(60);
        assertThat(net.leader()).isNotNull();
        Map<Long, Long> leadersPerTerm = new java.util.HashMap<>();
        net.nodes.values().stream().filter(r -> r.role() == Role.LEADER)
                .forEach(r -> leadersPerTerm.merge(r.term(), 1L, Long::sum));
        assertThat(leadersPerTerm.values()).allMatch(c -> c == 1);
    }

    /** §5.3: a follower whose log diverges over many entries is repaired in a few round trips, not one per entry. */
    @Test
    void fastBacktrackingSkipsWholeConflictingTerms() {
        long[] stale = new long[61];
        java.util.Arrays.fill(stale, 2);
        stale[0] = 1;
        long[] good = new long[61];
        java.util.Arrays.fill(good, 3);
        good[0] = 1;
        TestNetwork net = restored(3, Map.of("n1", log(good), "n2", log(good), "n3", log(stale)),
                RaftConfig.of("n1", IDS).withPreVoteAndCheckQuorum(false, true));
        net.node("n1").campaign();
        net.settle();
        net.tickAll(2);
        assertThat(net.node("n3").entry(61).term()).isEqualTo(3);
        long rejections = net.delivered.stream()
                .filter(m -> m.type() == MessageType.APPEND_RESPONSE && m.reject() && m.from().equals("n3")).count();
        assertThat(rejections).isLessThanOrEqualTo(2);
    }

    /** A leader that hears from no majority for an election timeout steps down (CheckQuorum). */
    @Test
    void checkQuorumStepsDownAndPreVoteKeepsTermsStable() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        net.partition(java.util.Set.of("n1"));
        net.tickAll(40);
        assertThat(net.node("n1").role()).isNotEqualTo(Role.LEADER);
        assertThat(net.node("n1").term()).isEqualTo(net.node("n2").term() - 1); // isolated: it never bumped its term
        net.heal();
        net.tickAll(30);
        assertThat(net.leader()).isNotEqualTo("n1");
        assertThat(net.node("n1").leaderId()).isEqualTo(net.leader());
    }
}
