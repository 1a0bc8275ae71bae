package io.raftx.volatilenode;

import io.raftx.volatiles.VolatileConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node runs its volatile keyspace.
 *
 * @param ringCapacity   applied ops each node keeps for replay to a node that fell behind (1,048,576 by default);
 *                       further behind, it gets an in-memory snapshot
 * @param requestTimeout how long a client request may take, including retries after definite refusals (no leader
 *                       yet, leader still recovering); also the leader's commit timeout for an accepted write
 * @param chunkBytes     frames larger than this travel in chunks (a SYNC can carry a whole ring buffer)
 * @param maxFrameBytes  largest frame a node reassembles from chunks; larger ones are dropped
 * @param maxValueBytes  largest value a client may put
 */
public record VolatileSettings(int ringCapacity, Duration requestTimeout, int chunkBytes, int maxFrameBytes,
                               int maxValueBytes) {

    public VolatileSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (ringCapacity < 1) {
            throw new IllegalArgumentException("ringCapacity must be >= 1, got " + ringCapacity);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        if (chunkBytes < 1024 || maxFrameBytes < chunkBytes) {
            throw new IllegalArgumentException("chunkBytes must be >= 1024 and <= maxFrameBytes, got " + chunkBytes
                    + " and " + maxFrameBytes);
        }
        if (maxValueBytes < 1 || maxValueBytes > maxFrameBytes / 2) {
            throw new IllegalArgumentException("maxValueBytes must be between 1 and maxFrameBytes / 2, got "
                    + maxValueBytes);
        }
    }

    /** Ring of 1,048,576 ops, 5 s requests, 1 MiB chunks, frames up to 512 MiB, values up to 1 MiB. */
    public static VolatileSettings defaults() {
        return new VolatileSettings(VolatileConfig.DEFAULT_RING_CAPACITY, Duration.ofSeconds(5), 1 << 20, 512 << 20,
                1 << 20);
    }

    public VolatileSettings withRingCapacity(int capacity) {
        return new VolatileSettings(capacity, requestTimeout, chunkBytes, maxFrameBytes, maxValueBytes);
    }

    public VolatileSettings withRequestTimeout(Duration timeout) {
        return new VolatileSettings(ringCapacity, timeout, chunkBytes, maxFrameBytes, maxValueBytes);
    }

    public VolatileSettings withChunkBytes(int bytes) {
        return new VolatileSettings(ringCapacity, requestTimeout, bytes, maxFrameBytes, maxValueBytes);
    }

    /** The core's configuration for a node with these voters, timers counted in ticks of {@code tick}. */
    VolatileConfig coreConfig(String nodeId, List<String> voters, Duration tick) {
        int requestTicks = (int) Math.max(2, Math.min(Integer.MAX_VALUE, TickDurations.ticks(requestTimeout, tick)));
        // Heartbeat every 2 ticks (as Raft's leader does), re-send a FETCH/SYNC after 5, refuse without a majority
        // heard within 10: timers for ticks of tens of milliseconds like Raft's.
        return VolatileConfig.of(nodeId, voters).withRingCapacity(ringCapacity)
                .withTimers(2, 5, 10, requestTicks);
    }
}
