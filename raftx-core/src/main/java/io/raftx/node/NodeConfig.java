package io.raftx.node;

import io.raftx.raft.RaftConfig;
import io.raftx.snapshot.SnapshotSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runtime settings of one node.
 *
 * @param raft           the consensus core's settings (ticks, batching, windows)
 * @param tick           wall-clock length of one logical tick
 * @param requestTimeout how long a proposal or read waits for its outcome before it is reported unknown
 * @param dedupWindow    how many recent request ids are remembered to apply retries at most once
 * @param maxPending     proposals waiting for an outcome on this node before new ones are refused
 * @param snapshots      when to snapshot, how much log to keep, how to ship snapshots
 */
public record NodeConfig(RaftConfig raft, Duration tick, Duration requestTimeout, int dedupWindow, int maxPending,
                         Map<String, String> peerAddresses, long maxPromotionLag, Duration promotionTimeout,
                         SnapshotSettings snapshots) {

    public NodeConfig {
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(snapshots, "snapshots");
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, got " + tick);
        }
        if (requestTimeout.compareTo(tick) <= 0) {
            throw new IllegalArgumentException("requestTimeout (" + requestTimeout + ") must exceed the tick (" + tick + ")");
        }
        if (dedupWindow < 1 || maxPending < 1) {
            throw new IllegalArgumentException("dedupWindow and maxPending must be >= 1");
        }
        peerAddresses = Map.copyOf(peerAddresses);
        if (maxPromotionLag < 0) {
            throw new IllegalArgumentException("maxPromotionLag must be >= 0, got " + maxPromotionLag);
        }
    }

    public NodeConfig(RaftConfig raft, Duration tick, Duration requestTimeout, int dedupWindow, int maxPending) {
        this(raft, tick, requestTimeout, dedupWindow, maxPending, Map.of(), 1_000, Duration.ofSeconds(60));
    }

    public NodeConfig(RaftConfig raft, Duration tick, Duration requestTimeout, int dedupWindow, int maxPending,
                      Map<String, String> peerAddresses, long maxPromotionLag, Duration promotionTimeout) {
        this(raft, tick, requestTimeout, dedupWindow, maxPending, peerAddresses, maxPromotionLag, promotionTimeout,
                SnapshotSettings.DEFAULTS);
    }

    /**
     * Addresses of the nodes this one starts with (id to host:port): the initial voters, or, for a node joining a
     * running cluster, its current members. Later configurations carry their own addresses.
     */
    public NodeConfig withPeerAddresses(Map<String, String> addresses) {
        return new NodeConfig(raft, tick, requestTimeout, dedupWindow, maxPending, addresses, maxPromotionLag,
                promotionTimeout, snapshots);
    }

    /** A learner is promoted once at most {@code maxLag} entries behind, waiting up to {@code timeout}. */
    public NodeConfig withPromotion(long maxLag, Duration timeout) {
        return new NodeConfig(raft, tick, requestTimeout, dedupWindow, maxPending, peerAddresses, maxLag, timeout,
                snapshots);
    }

    /** 50 ms ticks (election timeout base 500 ms), 5 s request timeout, default snapshot settings. */
    public static NodeConfig of(String id, List<String> voters) {
        return new NodeConfig(RaftConfig.of(id, voters), Duration.ofMillis(50), Duration.ofSeconds(5), 100_000, 100_000);
    }

    public NodeConfig withTick(Duration newTick) {
        return new NodeConfig(raft, newTick, requestTimeout, dedupWindow, maxPending, peerAddresses, maxPromotionLag,
                promotionTimeout, snapshots);
    }

    public NodeConfig withRequestTimeout(Duration timeout) {
        return new NodeConfig(raft, tick, timeout, dedupWindow, maxPending, peerAddresses, maxPromotionLag,
                promotionTimeout, snapshots);
    }

    public NodeConfig withRaft(RaftConfig newRaft) {
        return new NodeConfig(newRaft, tick, requestTimeout, dedupWindow, maxPending, peerAddresses, maxPromotionLag,
                promotionTimeout, snapshots);
    }

    public NodeConfig withSnapshots(SnapshotSettings newSnapshots) {
        return new NodeConfig(raft, tick, requestTimeout, dedupWindow, maxPending, peerAddresses, maxPromotionLag,
                promotionTimeout, newSnapshots);
    }
}
