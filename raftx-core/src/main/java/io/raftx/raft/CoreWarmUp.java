package io.raftx.raft;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;

/**
 * Runs the leader's code paths once, on a throwaway three-node cluster in memory, so that a follower elected later
 * does not load and link them in the middle of a failover. In node processes a follower's first loop pass as
 * leader took 130-370 ms, most of it loading the leader's classes and bootstrapping its lambdas (replication,
 * progress tracking, read rounds, proposal outcomes) while CPU-starved; the cluster waited for it. Then the leader
 * dies and the followers, told so as the transport tells them, elect another: the early start, the pre-vote and a
 * follower becoming leader run too.
 *
 * <p>Pure: the cluster shares nothing with any real node (its own ids, no storage, no transport, no clock).
 */
public final class CoreWarmUp {

    private static final List<String> IDS = List.of("warm-up-1", "warm-up-2", "warm-up-3");

    private CoreWarmUp() {
    }

    /**
     * Elects a leader, commits a few proposals and serves a read index, then kills it and elects a successor that
     * commits one more; returns the successor's commit index.
     */
    public static long run() {
        Map<String, Raft> nodes = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        int heartbeatTicks = 0;
        for (String id : IDS) {
            RaftConfig config = RaftConfig.of(id, IDS);
            heartbeatTicks = config.heartbeatTicks();
            nodes.put(id, new Raft(config, RestoredState.EMPTY, random.split()));
        }
        Raft leader = nodes.get(IDS.get(0));
        leader.campaign();
        deliver(nodes);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 8; i++) {
                leader.propose(round * 8L + i + 1, new byte[]{(byte) i});
            }
            leader.readIndex(round + 1);
            deliver(nodes);
            for (int t = 0; t < heartbeatTicks; t++) {
                nodes.values().forEach(Raft::tick);
            }
            deliver(nodes);
        }
        if (leader.role() != Role.LEADER) {
            throw new IllegalStateException("warm-up cluster elected no leader: " + nodes.values());
        }
        return failOver(nodes, leader.id());
    }

    /** Removes the leader, reports it unreachable and down to the others, and ticks until one of them leads. */
    private static long failOver(Map<String, Raft> nodes, String dead) {
        nodes.remove(dead);
        for (Raft follower : nodes.values()) {
            follower.peerUnreachable(dead);
            follower.peerDown(dead);
        }
        for (int t = 0; t < 100; t++) {
            deliver(nodes);
            for (Raft raft : nodes.values()) {
                if (raft.role() == Role.LEADER) {
                    raft.propose(1_000, new byte[]{1});
                    deliver(nodes);
                    return raft.commitIndex();
                }
            }
            nodes.values().forEach(Raft::tick);
        }
        throw new IllegalStateException("warm-up cluster elected no successor: " + nodes.values());
    }

    /** Passes every message on until none is left, persisting and applying nothing (there is nothing to keep). */
    private static void deliver(Map<String, Raft> nodes) {
        Queue<Message> inFlight = new ArrayDeque<>();
        do {
            while (!inFlight.isEmpty()) {
                Message m = inFlight.poll();
                Raft to = nodes.get(m.to());
                if (to != null) { // null: the dead leader
                    to.step(m);
                }
            }
            for (Raft raft : nodes.values()) {
                while (raft.hasReady()) {
                    Ready rd = raft.ready();
                    inFlight.addAll(rd.eagerMessages());
                    inFlight.addAll(rd.messages());
                    raft.advance(rd);
                }
            }
        } while (!inFlight.isEmpty());
    }
}
