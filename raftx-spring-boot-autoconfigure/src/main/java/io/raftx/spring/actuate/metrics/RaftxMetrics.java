package io.raftx.spring.actuate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftx.kv.watch.WatchHub;
import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.snapshot.SnapshotStats;
import io.raftx.spring.event.RaftxStatusEvents;
import io.raftx.spring.watch.ClusterWatchRegistry;
import io.raftx.spring.watch.ClusterWatchStats;
import io.raftx.transport.DropReason;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.TransportStats;
import io.raftx.volatilenode.VolatileClient;
import io.raftx.volatilenode.VolatileStats;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The node's state and counters as meters, all tagged with {@code node}: consensus state (role, term, log
 * positions, apply lag, leader presence, voters and learners, the learnt leader-silence threshold), leader changes
 * and elections, {@code @ClusterWatch} deliveries, the peer transport's counters, snapshots and log size, and the volatile keyspace's size and sync state.
 * Request timers come from {@link MicrometerRaftxRequestObserver}.
 */
public class RaftxMetrics implements MeterBinder {

    private final RaftNode node;
    private final RaftxStatusEvents leadership;
    private final WatchHub watchHub;
    private final ClusterWatchRegistry watchRegistry;
    private final GrpcTransport transport;
    private final VolatileClient volatiles;
    /** A field, not a local: meters hold their state objects weakly, and a collected cache would read NaN. */
    private final SnapshotStatsCache snapshots;

    /**
     * @param watchRegistry may be null (no @ClusterWatch support)
     * @param transport     may be null (another transport)
     * @param volatiles     may be null (no volatile keyspace)
     */
    public RaftxMetrics(RaftNode node, RaftxStatusEvents leadership, WatchHub watchHub,
                        ClusterWatchRegistry watchRegistry, GrpcTransport transport, VolatileClient volatiles) {
        this.node = node;
        this.leadership = leadership;
        this.watchHub = watchHub;
        this.watchRegistry = watchRegistry;
        this.transport = transport;
        this.volatiles = volatiles;
        this.snapshots = new SnapshotStatsCache(node);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("node", node.id());
        bindConsensus(registry, tags);
        bindWatches(registry, tags);
        if (transport != null) {
            bindTransport(registry, tags);
        }
        if (volatiles != null) {
            bindVolatile(registry, tags);
        }
        bindSnapshots(registry, tags);
    }

    private void bindSnapshots(MeterRegistry registry, Tags tags) {
        snapshotMeter(registry, tags, snapshots, "raftx.log.entries", "Entries in this node's log (after compaction)",
                s -> node.status() == null ? Double.NaN : node.status().lastIndex() - s.firstLogIndex() + 1, true);
        snapshotMeter(registry, tags, snapshots, "raftx.snapshot.index",
                "Last log index included in this node's latest snapshot (0: none)",
                s -> s.latest() == null ? 0 : s.latest().index(), true);
        snapshotMeter(registry, tags, snapshots, "raftx.snapshots.taken", "Snapshots this node took",
                SnapshotStats::taken, false);
        snapshotMeter(registry, tags, snapshots, "raftx.snapshots.installed",
                "Snapshots this node installed from a leader", SnapshotStats::installed, false);
        snapshotMeter(registry, tags, snapshots, "raftx.snapshots.sent", "Snapshots this node streamed to followers",
                SnapshotStats::sent, false);
        snapshotMeter(registry, tags, snapshots, "raftx.snapshots.failed.transfers",
                "Snapshot transfers to followers that failed (resumed later)", SnapshotStats::failedTransfers, false);
    }

    private static void snapshotMeter(MeterRegistry registry, Tags tags, SnapshotStatsCache cache, String name,
                                      String description, ToDoubleFunction<SnapshotStats> value, boolean gauge) {
        ToDoubleFunction<SnapshotStatsCache> read = c -> {
            SnapshotStats s = c.current();
            return s == null ? Double.NaN : value.applyAsDouble(s);
        };
        if (gauge) {
            Gauge.builder(name, cache, read).description(description).tags(tags).register(registry);
        } else {
            FunctionCounter.builder(name, cache, read).description(description).tags(tags).register(registry);
        }
    }

    private void bindVolatile(MeterRegistry registry, Tags tags) {
        volatileGauge(registry, tags, "raftx.volatile.keys", "Keys in this node's volatile keyspace",
                VolatileStats::size);
        volatileGauge(registry, tags, "raftx.volatile.synced",
                "1 when this node holds the volatile history (0 after a restart until a leader synced it)",
                s -> s.synced() ? 1 : 0);
        volatileGauge(registry, tags, "raftx.volatile.applied.index", "Last volatile operation applied here",
                VolatileStats::appliedIndex);
        FunctionCounter.builder("raftx.volatile.snapshots.installed", volatiles,
                        v -> v.stats().snapshotsInstalled())
                .description("In-memory snapshots this node installed to catch up").tags(tags).register(registry);
        FunctionCounter.builder("raftx.volatile.rollbacks", volatiles, v -> v.stats().rollbacks())
                .description("Times this node's volatile state was rolled back to the survivors' history")
                .tags(tags).register(registry);
    }

    private void volatileGauge(MeterRegistry registry, Tags tags, String name, String description,
                               ToDoubleFunction<VolatileStats> value) {
        Gauge.builder(name, volatiles, v -> value.applyAsDouble(v.stats())).description(description).tags(tags)
                .register(registry);
    }

    private void bindConsensus(MeterRegistry registry, Tags tags) {
        statusGauge(registry, tags, "raftx.term", "Current Raft term of this node", NodeStatus::term);
        statusGauge(registry, tags, "raftx.commit.index", "Highest log index known to be committed",
                NodeStatus::commitIndex);
        statusGauge(registry, tags, "raftx.applied.index", "Highest log index applied to the state machine",
                NodeStatus::appliedIndex);
        statusGauge(registry, tags, "raftx.last.index", "Last index of this node's log", NodeStatus::lastIndex);
        statusGauge(registry, tags, "raftx.apply.lag", "Committed entries not yet applied on this node",
                s -> s.commitIndex() - s.appliedIndex());
        statusGauge(registry, tags, "raftx.has.leader", "1 when this node knows a leader, else 0",
                s -> s.leaderId() == null ? 0 : 1);
        statusGauge(registry, tags, "raftx.voters", "Voting members in the configuration this node applies",
                s -> s.membership().voters().size());
        statusGauge(registry, tags, "raftx.learners", "Members being added that do not vote yet",
                s -> s.membership().learners().size());
        TimeGauge.builder("raftx.leader.silence.threshold", node, TimeUnit.MILLISECONDS, n -> {
                    NodeStatus s = n.status();
                    return s == null ? Double.NaN : s.leaderSilenceThresholdMs();
                }).description("How long this node waits without a message from its leader before counting it silent"
                        + " (learnt from the leader's recent gaps; 0 when turned off)").tags(tags).register(registry);
        for (Role role : Role.values()) {
            statusGauge(registry, tags.and("role", role.name().toLowerCase(Locale.ROOT)), "raftx.role",
                    "1 for the role this node is in, else 0", s -> s.role() == role ? 1 : 0);
        }
        FunctionCounter.builder("raftx.leader.changes", leadership, RaftxStatusEvents::leaderChanges)
                .description("Times this node saw a different leader").tags(tags).register(registry);
        FunctionCounter.builder("raftx.elections", leadership, RaftxStatusEvents::elections)
                .description("Term increases this node saw, one per election started").tags(tags)
                .register(registry);
    }

    private void statusGauge(MeterRegistry registry, Tags tags, String name, String description,
                             ToLongFunction<NodeStatus> value) {
        ToDoubleFunction<RaftNode> read = n -> {
            NodeStatus s = n.status();
            return s == null ? Double.NaN : value.applyAsLong(s);
        };
        Gauge.builder(name, node, read).description(description).tags(tags).register(registry);
    }

    private void bindWatches(MeterRegistry registry, Tags tags) {
        Gauge.builder("raftx.watch.active", watchHub, WatchHub::watchCount)
                .description("Watches registered on this node").tags(tags).register(registry);
        FunctionCounter.builder("raftx.watch.overflows", watchHub, WatchHub::overflowCount)
                .description("Watches cancelled because their listener fell too far behind").tags(tags)
                .register(registry);
        if (watchRegistry == null) {
            return;
        }
        for (ClusterWatchStats listener : watchRegistry.stats()) {
            Tags listenerTags = tags.and("listener", listener.listener());
            watchCounter(registry, listenerTags.and("outcome", "success"), listener.listener(),
                    ClusterWatchStats::delivered);
            watchCounter(registry, listenerTags.and("outcome", "failure"), listener.listener(),
                    ClusterWatchStats::failed);
            FunctionCounter.builder("raftx.watch.resumes", watchRegistry, r -> find(r, listener.listener()).resumed())
                    .description("Times a @ClusterWatch method fell too far behind and was resumed").tags(listenerTags)
                    .register(registry);
        }
    }

    private void watchCounter(MeterRegistry registry, Tags tags, String listener,
                              ToDoubleFunction<ClusterWatchStats> value) {
        FunctionCounter.builder("raftx.watch.deliveries", watchRegistry, r -> value.applyAsDouble(find(r, listener)))
                .description("Events handed to @ClusterWatch methods, by outcome").tags(tags).register(registry);
    }

    private static ClusterWatchStats find(ClusterWatchRegistry registry, String listener) {
        return registry.stats().stream().filter(s -> s.listener().equals(listener)).findFirst()
                .orElse(new ClusterWatchStats(listener, "", 0, 0, 0));
    }

    private void bindTransport(MeterRegistry registry, Tags tags) {
        transportCounter(registry, tags, "raftx.transport.messages.sent", "Messages sent to peers",
                TransportStats::sent);
        transportCounter(registry, tags, "raftx.transport.messages.received", "Messages accepted from peers",
                TransportStats::received);
        transportCounter(registry, tags, "raftx.transport.inbound.rejected",
                "Inbound peer calls or messages refused (bad token, other cluster, unknown sender, invalid)",
                TransportStats::inboundRejected);
        transportCounter(registry, tags, "raftx.transport.identity.refused",
                "Inbound calls or messages refused for the peer's identity (certificate or proof of its node id)",
                TransportStats::identityRefused);
        transportCounter(registry, tags, "raftx.transport.stream.failures",
                "Replication streams to peers that broke and were reopened", TransportStats::streamFailures);
        Gauge.builder("raftx.transport.inbound.bytes", transport, t -> t.stats().inboundBytes())
                .description("Bytes of peer messages received and not yet processed by the node's loop")
                .baseUnit("bytes").tags(tags).register(registry);
        transportCounter(registry, tags, "raftx.transport.inbound.paused",
                "Times a peer's replication stream stopped being read: the loop's inbound backlog was over"
                        + " raftx.transport.max-inbound-size", TransportStats::inboundPauses);
        transportCounter(registry, tags, "raftx.transport.inbound.refused.full",
                "Votes and forwarded requests refused (RESOURCE_EXHAUSTED) while that backlog was over the bound",
                TransportStats::inboundRefusedFull);
        for (DropReason reason : DropReason.values()) {
            transportCounter(registry, tags.and("reason", reason.name().toLowerCase(Locale.ROOT)),
                    "raftx.transport.messages.dropped", "Outbound messages dropped, by reason",
                    s -> s.dropped(reason));
        }
    }

    private void transportCounter(MeterRegistry registry, Tags tags, String name, String description,
                                  ToLongFunction<TransportStats> value) {
        FunctionCounter.builder(name, transport, t -> value.applyAsLong(t.stats()))
                .description(description).tags(tags).register(registry);
    }
}
