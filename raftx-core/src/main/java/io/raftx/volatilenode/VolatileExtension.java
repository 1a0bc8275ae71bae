package io.raftx.volatilenode;

import io.raftx.kv.watch.WatchHub;
import io.raftx.node.LoopExtension;
import io.raftx.node.MembershipGate;
import io.raftx.node.NodeStatus;
import io.raftx.node.ShutdownException;
import io.raftx.node.WarmUp;
import io.raftx.volatilenode.wire.ChunkAssembler;
import io.raftx.volatilenode.wire.ForwardedReply;
import io.raftx.volatilenode.wire.ForwardedRequest;
import io.raftx.volatilenode.wire.ForwardingCodec;
import io.raftx.volatilenode.wire.FrameChunker;
import io.raftx.volatilenode.wire.FrameKind;
import io.raftx.volatilenode.wire.MalformedFrameException;
import io.raftx.volatilenode.wire.VolatileCodec;
import io.raftx.volatiles.AppliedChange;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileMessage;
import io.raftx.volatiles.VolatileReady;
import io.raftx.volatiles.VolatileReplica;
import io.raftx.volatiles.VolatileValue;
import io.raftx.volatiles.VolatileWarmUp;
import io.raftx.volatiles.WriteOutcome;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the volatile keyspace ({@link VolatileReplica}) on a node's event loop, beside Raft.
 *
 * <ul>
 *   <li><b>Core lifecycle.</b> The core is built at the first status that names the voters, with that status's term
 *       (published only after Raft persisted it, so it is durable) and a fresh random incarnation: every start of a
 *       node is a new incarnation holding no volatile data.</li>
 *   <li><b>Membership.</b> Every status goes to the core ({@code raftStatus}: term, leader, voters in force, last
 *       and commit index), so the volatile leader counts majorities in Raft's configuration as it changes. As a
 *       {@link MembershipGate} it holds a change of voters until the volatile leader has recovered and a majority of
 *       the current voters holds every committed volatile write (see {@code VolatileReplica.configurationChangeHold}).</li>
 *   <li><b>Inputs.</b> Ticks tick the core; frames
 *       on the channel are decoded ({@link VolatileCodec}, {@link ForwardingCodec}, chunks reassembled) and stepped
 *       or routed. Malformed frames, and core messages whose sender is not the peer that sent them, are dropped
 *       and counted.</li>
 *   <li><b>Outputs.</b> After every callback the core's ready output is drained: messages are encoded and sent
 *       (chunked when large), events go to the volatile watch hub ({@link VolatileWatchPublisher}), and client
 *       futures complete on a client executor, never on the loop.</li>
 *   <li><b>Clients</b> ({@link VolatileClient}) submit from any thread; requests are routed on the loop
 *       ({@link OriginRequests}): to the local core when this node leads, else forwarded to the Raft leader.</li>
 * </ul>
 */
public final class VolatileExtension implements LoopExtension, MembershipGate, OriginRequests.Node {

    public static final String CHANNEL = "volatile";

    private static final Logger log = LoggerFactory.getLogger(VolatileExtension.class);

    private final VolatileSettings settings;
    private final Duration tick;
    private final WatchHub watches;
    private final VolatileWatchPublisher publisher;
    private final ExecutorService completions;
    private final LeaderRequests leaderRequests;
    private final OriginRequests originRequests;
    private final ChunkAssembler chunks;
    private volatile VolatileStats stats = VolatileStats.NOT_STARTED;
    private volatile Context context;
    private volatile boolean stopped;

    // Loop-thread state.
    private VolatileReplica core;
    private long statusTerm = -1;
    private String statusLeader;
    private long nextTransferId = 1;
    private long opsApplied;
    private long snapshotsInstalled;
    private long malformedFrames;

    /**
     * @param tick    the node's tick length (TTLs given as durations are converted with it)
     * @param watches the hub volatile events are published to (see {@link VolatileWatchPublisher} for revisions)
     */
    public VolatileExtension(VolatileSettings settings, Duration tick, WatchHub watches) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tick = Objects.requireNonNull(tick, "tick");
        this.watches = Objects.requireNonNull(watches, "watches");
        this.publisher = new VolatileWatchPublisher(watches);
        AtomicInteger threads = new AtomicInteger();
        this.completions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "raftx-volatile-client-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.leaderRequests = new LeaderRequests(this::sendReply);
        this.originRequests = new OriginRequests(this, leaderRequests);
        int staleTicks = (int) Math.max(10, TickDurations.ticks(settings.requestTimeout(), tick));
        this.chunks = new ChunkAssembler(settings.maxFrameBytes(), 2, staleTicks);
    }

    // ---- public surface (any thread) ----

    public VolatileSettings settings() {
        return settings;
    }

    public Duration tick() {
        return tick;
    }

    public WatchHub watches() {
        return watches;
    }

    public VolatileStats stats() {
        return stats;
    }

    /** Runs {@code task} on the node's loop (the core is only touched there). */
    void onLoop(Runnable task) {
        Context c = context;
        if (c == null || stopped) {
            throw new ShutdownException("the volatile keyspace of this node is not running");
        }
        c.execute(() -> {
            task.run();
            drain();
        });
    }

    void submit(ClientRequest r) {
        try {
            onLoop(() -> originRequests.submit(r));
        } catch (RuntimeException e) {
            r.fail(e instanceof ShutdownException s ? s : new ShutdownException(e.getMessage()));
        }
    }

    CompletableFuture<VolatileValue> localGet(String key) {
        CompletableFuture<VolatileValue> f = new CompletableFuture<>();
        try {
            onLoop(() -> {
                VolatileValue v = core == null ? null : core.localGet(key);
                f.completeAsync(() -> v, completions);
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    CompletableFuture<SortedMap<String, VolatileValue>> localEntries() {
        CompletableFuture<SortedMap<String, VolatileValue>> f = new CompletableFuture<>();
        try {
            onLoop(() -> {
                SortedMap<String, VolatileValue> all = core == null ? Collections.emptySortedMap() : core.localEntries();
                f.completeAsync(() -> all, completions);
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    java.util.concurrent.Executor completions() {
        return completions;
    }

    // ---- LoopExtension (loop thread) ----

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void onStart(Context context) {
        this.context = context;
        WarmUp.inBackgroundOnce("raftx-volatile", "raftx-volatile-warm-up", VolatileWarmUp::run);
    }

    @Override
    public void onStatus(NodeStatus status) {
        if (core == null) {
            if (status.membership() == null || status.membership().voters().isEmpty()) {
                return; // a joining node learns its membership from the leader's log first
            }
            List<String> voters = List.copyOf(new TreeSet<>(status.membership().voters()));
            core = new VolatileReplica(settings.coreConfig(context.nodeId(), voters, tick), status.term(),
                    new SecureRandom().nextLong());
            log.info("node {}: volatile keyspace started in term {} with voters {}", context.nodeId(), status.term(),
                    voters);
        }
        Set<String> voters = status.membership() == null ? core.voters() : status.membership().voters();
        if (!voters.equals(core.voters())) {
            log.info("node {}: volatile keyspace follows the voters {} (were {})", context.nodeId(), new TreeSet<>(voters),
                    new TreeSet<>(core.voters()));
        }
        core.raftStatus(status.term(), status.leaderId(), voters, status.lastIndex(), status.commitIndex());
        drain();
        if (status.term() != statusTerm || !Objects.equals(status.leaderId(), statusLeader)) {
            statusTerm = status.term();
            statusLeader = status.leaderId();
            originRequests.leaderChanged(status.leaderId()); // re-route now rather than at the next tick
        }
        drain();
    }

    @Override
    public String holdVoterChange(long term, Set<String> currentVoters, Set<String> nextVoters) {
        return core == null ? null : core.configurationChangeHold(term, currentVoters, nextVoters);
    }

    @Override
    public void onTick() {
        chunks.tick();
        if (core != null) {
            core.tick();
        }
        originRequests.onTick();
        drain();
    }

    @Override
    public void onMessage(String from, byte[] payload) {
        try {
            handleFrame(from, payload, true);
        } catch (MalformedFrameException e) {
            malformedFrames++;
            log.warn("node {}: dropped a frame from {}: {}", context.nodeId(), from, e.getMessage());
        }
        drain();
    }

    @Override
    public void onStop() {
        stopped = true;
        originRequests.stop();
        leaderRequests.clear();
        completions.shutdown(); // lets the failures just queued run, then ends the threads
    }

    // ---- frames ----

    private void handleFrame(String from, byte[] payload, boolean mayBeChunk) {
        FrameKind kind = FrameKind.of(payload);
        byte[] body = FrameKind.body(payload);
        switch (kind) {
            case CORE -> {
                VolatileMessage m = VolatileCodec.decode(body);
                if (!m.from().equals(from)) {
                    throw new MalformedFrameException("core message claims to be from " + m.from());
                }
                if (core != null) {
                    core.step(m);
                }
            }
            case REQUEST -> leaderRequests.submitRemote(core, from, ForwardingCodec.decodeRequest(body), statusLeader);
            case REPLY -> originRequests.onReply(from, ForwardingCodec.decodeReply(body));
            case CHUNK -> {
                if (!mayBeChunk) {
                    throw new MalformedFrameException("a chunk inside a chunked frame");
                }
                byte[] whole = chunks.offer(from, body);
                if (whole != null) {
                    handleFrame(from, whole, false);
                }
            }
        }
    }

    private void send(String to, FrameKind kind, byte[] body) {
        for (byte[] piece : FrameChunker.split(kind.wrap(body), nextTransferId++, settings.chunkBytes())) {
            context.send(to, piece);
        }
    }

    private void sendReply(String to, ForwardedReply reply) {
        send(to, FrameKind.REPLY, ForwardingCodec.encode(reply));
    }

    // ---- OriginRequests.Node ----

    @Override
    public String nodeId() {
        return context.nodeId();
    }

    @Override
    public VolatileReplica core() {
        return core;
    }

    @Override
    public String raftLeader() {
        return statusLeader;
    }

    @Override
    public void forward(String leader, ForwardedRequest request) {
        send(leader, FrameKind.REQUEST, ForwardingCodec.encode(request));
    }

    // ---- output ----

    private void drain() {
        if (core == null) {
            stats = new VolatileStats(false, 0, false, 0, 0, 0, 0, 0, malformedFrames, originRequests.inFlight());
            return;
        }
        while (core.hasReady()) {
            VolatileReady ready = core.ready();
            for (VolatileMessage m : ready.messages()) {
                send(m.to(), FrameKind.CORE, VolatileCodec.encode(m));
            }
            for (AppliedChange c : ready.applied()) {
                if (c.isSnapshot()) {
                    snapshotsInstalled++;
                } else {
                    opsApplied++;
                }
            }
            if (!ready.events().isEmpty()) {
                try {
                    publisher.publish(ready.events());
                } catch (RuntimeException e) {
                    // Watchers must never stop the keyspace (or Raft on the same loop); the hub reports its own.
                    log.error("node {}: publishing volatile watch events failed", context.nodeId(), e);
                }
            }
            for (WriteOutcome o : ready.writeOutcomes()) {
                leaderRequests.onWriteOutcome(o, originRequests);
            }
            for (ReadResult r : ready.readResults()) {
                leaderRequests.onReadResult(r, originRequests);
            }
        }
        stats = new VolatileStats(core.isSynced(), core.historyEpoch(), core.isActiveLeader(), core.appliedIndex(),
                core.size(), opsApplied, snapshotsInstalled, core.rollbacks(), malformedFrames,
                originRequests.inFlight());
    }

    @Override
    public String toString() {
        return "VolatileExtension{" + (core == null ? "not started" : core.toString()) + "}";
    }
}
