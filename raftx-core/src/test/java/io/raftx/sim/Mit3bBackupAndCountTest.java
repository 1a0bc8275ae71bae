package io.raftx.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.RaftConfig;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIT 6.5840 Lab 3B, the two tests about cost: Backup (a leader brings followers with 50+ conflicting entries back in
 * line; with conflict hints that takes a handful of rejected appends, not one per entry) and Count (messages an
 * election and a committed entry cost).
 */
class Mit3bBackupAndCountTest {


    /** Counts the messages handed to the network, per type, from the moment it is reset. */
    static final class MessageCounter {
        private final Map<MessageType, Long> counts = new EnumMap<>(MessageType.class);
        private long rejectedAppends;

        MessageCounter(SimCluster c) {
            c.network().onSend(this::count);
        }

        private void count(Message m) {
            counts.merge(m.type(), 1L, Long::sum);
            if (m.type() == MessageType.APPEND_RESPONSE && m.reject()) {
                rejectedAppends++;
            }
        }

        void reset() {
            counts.clear();
            rejectedAppends = 0;
        }

        long of(MessageType... types) {
            long n = 0;
            for (MessageType t : types) {
                n += counts.getOrDefault(t, 0L);
            }
            return n;
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        long rejectedAppends() {
            return rejectedAppends;
        }

        @Override
        public String toString() {
            return counts + " (rejected appends " + rejectedAppends + ")";
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void backup(long seed) {
        MitCluster c = new MitCluster(seed, 5);
        MessageCounter counter = new MessageCounter(c.sim);
        c.one(5);

        // The leader and one follower are left alone and take 50 commands they cannot commit.
        String leader1 = c.checkOneLeader();
        c.disconnect(c.after(leader1, 2));
        c.disconnect(c.after(leader1, 3));
        c.disconnect(c.after(leader1, 4));
        c.sim.proposeBatch(leader1, 50);
        c.sim.runTicks(MitCluster.ELECTION / 2);
        c.disconnect(leader1);
        c.disconnect(c.after(leader1, 1));

        // The other three elect a leader and commit 50 commands at the same indexes.
        c.connect(c.after(leader1, 2));
        c.connect(c.after(leader1, 3));
        c.connect(c.after(leader1, 4));
        for (int i = 0; i < 50; i++) {
            c.one(3);
        }

        // Their leader and one of them get 50 more commands they cannot commit.
        String leader2 = c.checkOneLeader();
        String other = c.after(leader1, 2).equals(leader2) ? c.after(leader2, 1) : c.after(leader1, 2);
        c.disconnect(other);
        c.sim.proposeBatch(leader2, 50);
        c.sim.runTicks(MitCluster.ELECTION / 2);

        // The first two come back with `other`: their 50 entries conflict with its log and must be replaced.
        c.ids().forEach(c::disconnect);
        c.connect(leader1);
        c.connect(c.after(leader1, 1));
        c.connect(other);
        counter.reset();
        c.one(3); // applied on all three: both followers have replaced their conflicting suffix
        long rejected = counter.rejectedAppends();
        String backtracking = counter.toString();
        for (int i = 1; i < 50; i++) {
            c.one(3);
        }
        c.ids().forEach(c::connect);
        c.one(5);

        // Two followers with 50 conflicting entries each: a few rejections per follower (one per conflicting term,
        // plus one for a log that is too short), never one per entry.
        int conflicting = 2 * 50;
        assertThat(rejected).as("rejected appends while backing up over " + conflicting + " conflicting entries: "
                + backtracking).isLessThanOrEqualTo(conflicting / 10);
    }

    @ParameterizedTest(name = "{0} servers")
    @ValueSource(ints = {3, 5})
    void count(int servers) {
        // A reliable network that keeps each link in order (as the runtime's streams do): no rejections from reordering.
        MitCluster c = new MitCluster(SimCluster.builder(40 + servers).nodes(servers).faults(FaultPlan.inOrder(2)));
        MessageCounter counter = new MessageCounter(c.sim);
        int peers = servers - 1;

        // A cold-start election with PreVote: pre-votes and votes, each asked of and answered by every peer once.
        String leader = c.checkOneLeader();
        c.sim.runTicks(2);
        long election = counter.of(MessageType.PRE_VOTE, MessageType.PRE_VOTE_RESPONSE, MessageType.VOTE,
                MessageType.VOTE_RESPONSE);
        assertThat(election).as("election messages " + counter).isBetween(2L * peers, 4L * peers);

        // Steady state: each command, committed before the next is started, is carried to each peer by one append
        // and answered once: 2(N-1) messages (heartbeats come on top, one round per heartbeat interval).
        c.one(servers);
        counter.reset();
        long[] carrying = {0};
        c.sim.network().onSend(m -> carrying[0] += m.type() == MessageType.APPEND && !m.entries().isEmpty() ? 1 : 0);
        int commands = 20;
        for (int i = 0; i < commands; i++) {
            c.one(servers);
        }
        assertThat(carrying[0]).as("appends carrying entries for " + commands + " commands: " + counter)
                .isLessThanOrEqualTo(peers * commands + peers);
        long replication = counter.of(MessageType.APPEND, MessageType.APPEND_RESPONSE);
        assertThat(replication).as("all replication messages for " + commands + " commands: " + counter)
                .isLessThanOrEqualTo(2L * peers * commands + 2L * peers);
        assertThat(counter.of(MessageType.PRE_VOTE, MessageType.VOTE)).as("no election meanwhile").isZero();

        // Idle: only heartbeats and their answers, one round per heartbeat interval.
        counter.reset();
        int idleTicks = 100;
        c.sim.runTicks(idleTicks);
        int heartbeatTicks = RaftConfig.of(leader, c.ids()).heartbeatTicks();
        assertThat(counter.of(MessageType.APPEND)).as("appends while idle " + counter).isZero();
        assertThat(counter.total()).as("messages while idle " + counter)
                .isLessThanOrEqualTo(2L * peers * (idleTicks / heartbeatTicks + 1));

        // Re-election after the leader dies: the same budget as the first election.
        counter.reset();
        c.crash(leader);
        c.checkOneLeader();
        c.sim.runTicks(2);
        assertThat(counter.of(MessageType.PRE_VOTE, MessageType.PRE_VOTE_RESPONSE, MessageType.VOTE,
                MessageType.VOTE_RESPONSE)).as("re-election messages " + counter).isLessThanOrEqualTo(4L * peers);
    }
}
