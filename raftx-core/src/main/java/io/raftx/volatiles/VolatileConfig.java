package io.raftx.volatiles;

import java.util.List;
import java.util.Objects;

/**
 * Static configuration of one volatile core. Times are in logical ticks (the runtime decides how long one is; the
 * same ticks count TTLs).
 *
 * @param id                 this node's id
 * @param voters             the Raft voters this core starts with (it follows later changes through
 *                           {@link VolatileReplica#raftStatus}); majorities are counted among the voters in force
 * @param ringCapacity       applied ops kept for replay to a node that fell behind (1,048,576 by default); a node
 *                           further behind gets an in-memory snapshot
 * @param heartbeatTicks     leader heartbeat interval; also how often unacknowledged ops are re-sent
 * @param retryTicks         how long the leader waits before re-sending a FETCH or SYNC that got no answer
 * @param quorumTimeoutTicks the leader refuses writes and strong reads (NO_QUORUM) unless a majority of synced
 *                           voters answered within this many ticks
 * @param requestTimeoutTicks an accepted write or strong read that has not completed by then is reported as
 *                           timed out (for writes: outcome unknown)
 * @param maxPendingOps      ops (writes and expiries) the leader holds uncommitted before refusing writes
 * @param maxOpsPerAppend    ops batched into one APPEND at most
 */
public record VolatileConfig(String id, List<String> voters, int ringCapacity, int heartbeatTicks, int retryTicks,
                             int quorumTimeoutTicks, int requestTimeoutTicks, int maxPendingOps, int maxOpsPerAppend) {

    public static final int DEFAULT_RING_CAPACITY = 1 << 20;

    public VolatileConfig {
        Objects.requireNonNull(id, "id");
        voters = List.copyOf(voters);
        require(!id.isBlank(), "node id must not be blank");
        require(voters.stream().distinct().count() == voters.size(), "voters must be distinct: " + voters);
        require(ringCapacity >= 1, "ringCapacity must be >= 1, got " + ringCapacity);
        require(heartbeatTicks >= 1, "heartbeatTicks must be >= 1, got " + heartbeatTicks);
        require(retryTicks >= 1, "retryTicks must be >= 1, got " + retryTicks);
        require(quorumTimeoutTicks > heartbeatTicks, "quorumTimeoutTicks (" + quorumTimeoutTicks
                + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        require(requestTimeoutTicks >= 1, "requestTimeoutTicks must be >= 1, got " + requestTimeoutTicks);
        require(maxPendingOps >= 1 && maxPendingOps <= ringCapacity,
                "maxPendingOps must be between 1 and ringCapacity, got " + maxPendingOps);
        require(maxOpsPerAppend >= 1, "maxOpsPerAppend must be >= 1, got " + maxOpsPerAppend);
    }

    /** Defaults: ring of 1,048,576 ops, heartbeat every tick, retries after 5, quorum window 10, timeouts 50. */
    public static VolatileConfig of(String id, List<String> voters) {
        return new VolatileConfig(id, voters, DEFAULT_RING_CAPACITY, 1, 5, 10, 50, 100_000, 1024);
    }

    public VolatileConfig withRingCapacity(int capacity) {
        return new VolatileConfig(id, voters, capacity, heartbeatTicks, retryTicks, quorumTimeoutTicks,
                requestTimeoutTicks, Math.min(maxPendingOps, capacity), maxOpsPerAppend);
    }

    public VolatileConfig withTimers(int heartbeatTicks, int retryTicks, int quorumTimeoutTicks, int requestTimeoutTicks) {
        return new VolatileConfig(id, voters, ringCapacity, heartbeatTicks, retryTicks, quorumTimeoutTicks,
                requestTimeoutTicks, maxPendingOps, maxOpsPerAppend);
    }

    public VolatileConfig withBatching(int maxPendingOps, int maxOpsPerAppend) {
        return new VolatileConfig(id, voters, ringCapacity, heartbeatTicks, retryTicks, quorumTimeoutTicks,
                requestTimeoutTicks, maxPendingOps, maxOpsPerAppend);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
