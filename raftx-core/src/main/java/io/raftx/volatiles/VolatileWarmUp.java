package io.raftx.volatiles;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The volatile keyspace's counterpart of {@code io.raftx.raft.CoreWarmUp}: runs a leader's recovery, writes and
 * strong reads once on a throwaway three-replica keyspace in memory, so that a node taking over later does not
 * bootstrap that code's lambdas mid-failover. Pure: nothing is shared with any real replica.
 */
public final class VolatileWarmUp {

    private static final List<String> IDS = List.of("warm-up-1", "warm-up-2", "warm-up-3");

    private VolatileWarmUp() {
    }

    /** Makes the first replica the active leader, writes and reads; returns the leader's applied index. */
    public static long run() {
        Map<String, VolatileReplica> nodes = new LinkedHashMap<>();
        long incarnation = 1;
        for (String id : IDS) {
            nodes.put(id, new VolatileReplica(VolatileConfig.of(id, IDS), 0, incarnation++));
        }
        VolatileReplica leader = nodes.get(IDS.get(0));
        nodes.values().forEach(n -> n.raftLeaderChanged(1, leader.id()));
        for (int t = 0; t < 20 && !leader.isActiveLeader(); t++) {
            deliver(nodes);
            nodes.values().forEach(VolatileReplica::tick);
        }
        for (int i = 0; i < 16; i++) {
            leader.propose(i + 1, VolatileOp.put("k" + (i % 4), new byte[]{(byte) i}, 0));
            leader.readStrong(100 + i, "k" + (i % 4));
        }
        for (int t = 0; t < 4; t++) {
            deliver(nodes);
            nodes.values().forEach(VolatileReplica::tick);
        }
        deliver(nodes);
        if (!leader.isActiveLeader()) {
            throw new IllegalStateException("warm-up keyspace has no active leader: " + nodes.values());
        }
        return leader.appliedIndex();
    }

    private static void deliver(Map<String, VolatileReplica> nodes) {
        Queue<VolatileMessage> inFlight = new ArrayDeque<>();
        do {
            while (!inFlight.isEmpty()) {
                VolatileMessage m = inFlight.poll();
                nodes.get(m.to()).step(m);
            }
            for (VolatileReplica r : nodes.values()) {
                while (r.hasReady()) {
                    inFlight.addAll(r.ready().messages());
                }
            }
        } while (!inFlight.isEmpty());
    }
}
