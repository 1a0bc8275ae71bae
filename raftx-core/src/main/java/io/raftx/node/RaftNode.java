package io.raftx.node;

import io.raftx.raft.CoreWarmUp;
import io.raftx.raft.Membership;
import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.Raft;
import io.raftx.raft.RestoredState;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.SnapshotShipper;
import io.raftx.snapshot.SnapshotStaging;
import io.raftx.snapshot.SnapshotStats;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.snapshot.SnapshotStreaming;
import io.raftx.snapshot.Snapshotter;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.GrpcTransport;
import io.raftx.transport.InboundBackpressure;
import io.raftx.transport.Transport;
import io.raftx.transport.TransportWarmUp;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Raft node: drives the deterministic core from a single event-loop thread. Each loop iteration runs
 * every queued input (peer messages, ticks, proposals), then has {@link ReadyHandler} carry out the core's Ready
 * (group commit, sends, apply).
 *
 * <p>With a {@link SnapshotStore}, the node snapshots its state machine as the log grows and on request
 * ({@link #snapshot()}), starts from its latest snapshot, streams snapshots to followers that lag behind the
 * compacted log, and installs the ones its leader streams to it (see {@link Snapshotter} for the crash-safe order).
 *
 * <p>The loop delegates: {@link RequestRouter} takes each request to the leader's log (parking it while there is no
 * leader), {@link ProposalWaiters} completes proposals with their outcome, {@link Forwarder} batches requests to the
 * leader, {@link ReadWaiters} holds linearizable reads until confirmed and applied, {@link MembershipChanges} and
 * {@link LeadershipTransfers} run the membership and leadership operations.
 *
 * <p>Thread-safe: public methods may be called from any thread; state is only touched on the loop thread.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    private final NodeConfig config;
    private final RaftStorage storage;
    private final Transport transport;
    private final StateMachine stateMachine;
    private final SnapshotStore snapshotStore;
    private final LoopInbox inbox;
    /** Request ids are (clientId, sequence); a fresh random client id per incarnation keeps them unique. */
    private final long clientId = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();
    private final LoopExtensions extensions = new LoopExtensions();
    private final MembershipChanges membershipChanges;

    // Loop-thread state, created at start.
    private final ProposalWaiters proposals;
    private final ReadWaiters reads = new ReadWaiters();
    private final LeadershipTransfers transfers;
    private Forwarder forwarder;
    private RequestRouter router;
    private Raft raft;
    private Applier applier;
    private Snapshotter snapshotter;
    private SnapshotShipper shipper;
    private ReadyHandler readyHandler;
    private LoopPassTimer passTimer;
    private PeerReports peerReports;
    private TickClock tickClock;

    private Thread loopThread;
    private ScheduledExecutorService ticker;
    private final StatusPublisher status;

    /** A node without snapshots: its log grows without bound, and it cannot receive a snapshot from a leader. */
    public RaftNode(NodeConfig config, RaftStorage storage, Transport transport, StateMachine stateMachine) {
        this(config, storage, null, transport, stateMachine);
    }

    /**
     * A node that keeps its snapshots in {@code snapshotStore} (null: no snapshots). Shipping snapshots to followers
     * and receiving them needs a transport that implements {@link SnapshotStreaming}.
     */
    public RaftNode(NodeConfig config, RaftStorage storage, SnapshotStore snapshotStore, Transport transport,
                    StateMachine stateMachine) {
        this.config = config;
        this.storage = storage;
        this.snapshotStore = snapshotStore;
        this.transport = transport;
        this.stateMachine = stateMachine;
        this.inbox = new LoopInbox(config.raft().id());
        this.proposals = new ProposalWaiters(config.requestTimeout());
        this.transfers = new LeadershipTransfers(config.requestTimeout());
        this.status = new StatusPublisher(config, transport);
        this.membershipChanges = new MembershipChanges(config, payload -> submit(Command.Kind.CONFIG_CHANGE, payload),
                () -> List.copyOf(extensions.all()));
    }

    /** Applied, durable entries the core keeps in memory (a quarter second at 8,000 writes/s); see LogEntries. */
    static final int RECENT_LOG_ENTRIES = 2048;

    /** Recovers the persisted log and hard state, then joins the cluster. */
    public synchronized void start() {
        if (inbox.isOpen()) {
            return;
        }
        RestoredState restored = storage.recover();
        applier = new Applier(stateMachine, config.dedupWindow());
        snapshotter = new Snapshotter(id(), snapshotStore, storage, new NodeSnapshotPayload(applier, stateMachine),
                config.snapshots(), inbox::addQuietly);
        if (restored.snapshot() != null) {
            snapshotter.restoreAtStart(restored.snapshot()); // then the core replays the log after it
        }
        raft = new Raft(config.raft(), restored, new SplittableRandom(new SecureRandom().nextLong()), storage.log(),
                RECENT_LOG_ENTRIES);
        SnapshotStreaming streaming = transport instanceof SnapshotStreaming s ? s : null;
        shipper = new SnapshotShipper(id(), raft, streaming, snapshotStore, config.snapshots().chunkBytes(),
                config.raft().electionTicks(), inbox::addQuietly);
        forwarder = new Forwarder(transport, inbox::add, request -> router.park(request));
        tickClock = new TickClock(config.tick(), System::nanoTime);
        router = new RequestRouter(id(), config.requestTimeout(), raft, tickClock, proposals, reads, forwarder,
                membershipChanges);
        passTimer = new LoopPassTimer(id());
        readyHandler = new ReadyHandler(raft, storage, transport, snapshotter, shipper, applier, proposals, reads,
                router::park, passTimer);
        status.publish(raft, applier.appliedIndex());
        inbox.open();
        extensions.start(id(), transport, inbox::add, inbox::addQuietly);
        loopThread = new Thread(this::loop, "raftx-loop-" + id());
        loopThread.start();
        if (snapshotStore != null && streaming != null) {
            streaming.acceptSnapshots(new SnapshotStaging(snapshotStore.incomingDir(),
                    () -> status.current().commitIndex(), r -> inbox.addQuietly(() -> onSnapshotReceived(r))));
        }
        peerReports = PeerReports.wire(transport, raft, inbox);
        if (transport instanceof InboundBackpressure bounded) {
            bounded.processInboundOn(inbox::add); // peer messages count against its bound until this loop ran them
        }
        transport.start(this::onMessage, this::onForward);
        long tickMs = config.tick().toMillis();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftx-tick-" + id());
            t.setDaemon(true);
            return t;
        });
        tickClock.started();
        ticker.scheduleAtFixedRate(() -> {
            long queuedAt = System.nanoTime();
            inbox.add(() -> onTick(queuedAt));
        }, tickMs, tickMs, TimeUnit.MILLISECONDS);
        log.info("node {} started: term {}, last index {}, commit {}", id(), raft.term(), raft.lastIndex(),
                raft.commitIndex());
        Runnable transportWarmUp = transport instanceof GrpcTransport ? TransportWarmUp::run : () -> { };
        WarmUp.inBackgroundOnce("raftx-core", "raftx-warm-up", CoreWarmUp::run,
                () -> WarmUp.preloadClasses(RaftNode.class, "io/raftx/"), transportWarmUp);
    }

    public NodeStatus status() {
        return status.current();
    }

    /** Why the event loop stopped on its own (a storage failure, or a bug); null while it runs or after close(). */
    public Throwable failure() {
        return inbox.failure();
    }

    /**
     * Snapshots the state machine now (at the applied index) and compacts the log behind it, keeping the configured
     * number of entries. Completes with the snapshot's metadata (the latest one if nothing was applied since); fails
     * if this node has no snapshot store or has applied nothing yet.
     */
    public CompletableFuture<SnapshotMeta> snapshot() {
        CompletableFuture<SnapshotMeta> done = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                done.complete(snapshotter.take(raft));
            } catch (IllegalStateException e) {
                done.completeExceptionally(e); // snapshots off, or nothing applied yet
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e; // a storage failure: the loop stops the node
            }
        });
        return done;
    }

    /** Snapshot counters and the dynamic threshold; read on the loop thread. */
    public CompletableFuture<SnapshotStats> snapshotStats() {
        CompletableFuture<SnapshotStats> done = new CompletableFuture<>();
        inbox.add(() -> done.complete(new SnapshotStats(raft.latestSnapshot(), raft.firstIndex(), snapshotter.taken(),
                snapshotter.installed(), shipper.sent(), shipper.failed(), snapshotter.threshold())));
        return done;
    }

    /** Adds a protocol that runs beside Raft on this node's loop; call before {@link #start()}. */
    public void addExtension(LoopExtension extension) {
        if (inbox.isOpen()) {
            throw new IllegalStateException("add extensions before starting node " + id());
        }
        extensions.add(extension);
    }

    public String id() {
        return config.raft().id();
    }

    /** Proposes a command; completes when it is applied (with its result), or fails with a {@link RaftException}. */
    public CompletableFuture<Applied> propose(byte[] payload) {
        return submit(Command.Kind.APPLY, payload);
    }

    /**
     * Runs {@code query} against the state machine on the loop thread. LINEARIZABLE first gets a read index from the
     * leader (confirmed by a heartbeat round; LEASE may skip the round) and waits until this node has applied it,
     * so the query sees every write completed before the read began.
     */
    public <T> CompletableFuture<T> read(ReadConsistency consistency, Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (consistency == ReadConsistency.LOCAL) {
            inbox.add(() -> ReadWaiters.answer(result, query));
            return result;
        }
        Command.Kind kind = consistency == ReadConsistency.LEASE ? Command.Kind.LEASE_READ : Command.Kind.READ_INDEX;
        submit(kind, new byte[0]).whenComplete((applied, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
            } else {
                inbox.add(() -> reads.whenApplied(applied.index(), applier.appliedIndex(), () -> ReadWaiters.answer(result, query)));
            }
        });
        return result;
    }

    /**
     * Adds a node: first as a learner that receives the log without voting, then, once it is at most
     * {@code maxPromotionLag} entries behind, as a voter. Completes with the configuration that made it a voter.
     * Works from any node (forwarded to the leader); one membership change runs at a time.
     */
    public CompletableFuture<Membership> addMember(String id, String address) {
        return membershipChanges.add(id, address);
    }

    /** Adds a learner that receives the log without voting, and stays one until {@link #promoteLearner}. */
    public CompletableFuture<Membership> addLearner(String id, String address) {
        return membershipChanges.addLearner(id, address);
    }

    /**
     * Makes a learner a voter, once: fails (nothing applied) if it is more than {@code maxPromotionLag} entries
     * behind the leader, or is not a learner.
     */
    public CompletableFuture<Membership> promoteLearner(String id) {
        return membershipChanges.promoteLearner(id);
    }

    /** Removes a voter or learner. Removing the leader hands leadership to another voter first. */
    public CompletableFuture<Membership> removeMember(String id) {
        return membershipChanges.remove(id);
    }

    /**
     * Hands leadership to {@code target} (this node must lead). Completes when {@code target} is the leader this node
     * knows, or fails if it did not take over within an election timeout plus the request timeout.
     */
    public CompletableFuture<Void> transferLeadership(String target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        inbox.add(() -> transfers.start(raft, target, done, deadline));
        return done;
    }

    private CompletableFuture<Applied> submit(Command.Kind kind, byte[] payload) {
        Request request = new Request(new Command(kind, clientId, sequence.incrementAndGet(), payload),
                deadline(), true);
        inbox.add(() -> router.route(request));
        return request.future;
    }

    private long deadline() {
        return System.nanoTime() + config.requestTimeout().toNanos();
    }

    /** A follower forwarded a client's command: route it here, never forward it again (no loops). */
    private CompletableFuture<ForwardResult> onForward(String from, byte[] command) {
        return Forwarder.serve(from, command, deadline(), request -> inbox.add(() -> router.route(request)),
                status::current);
    }

    private void onMessage(Message m) {
        if (m.type() == MessageType.SNAPSHOT) {
            // Only the snapshot sink may deliver these: the core must never see one before its data arrived.
            log.warn("node {}: dropped {} that arrived without its data", id(), m);
            return;
        }
        if (m.type().isVoteRequest()) {
            inbox.addQuietly(() -> {
                VoteLog.asked(m, raft);
                raft.step(m);
                if (m.type() == MessageType.PRE_VOTE) {
                    peerReports.preVoteStepped(m);
                }
            });
            return;
        }
        inbox.addQuietly(() -> raft.step(m));
    }

    /** Loop thread: a snapshot streamed by the leader arrived (or is not needed); its core decides. */
    private void onSnapshotReceived(SnapshotStaging.Received r) {
        if (r.snapshot() != null) {
            snapshotter.received(r.snapshot());
        }
        raft.step(r.message());
    }

    // ---- loop thread ----

    private void loop() {
        List<Runnable> batch = new ArrayList<>();
        try {
            while (inbox.isOpen()) {
                if (!inbox.takeInto(batch)) {
                    continue;
                }
                passTimer.start();
                for (Runnable task : batch) {
                    task.run();
                }
                int tasks = batch.size();
                batch.clear();
                passTimer.mark(LoopPassTimer.Phase.INPUTS);
                // Requests for the leader leave before this node's group commit, which they do not depend on.
                forwarder.flushIfQueued();
                if (readyHandler.drain()) {
                    inbox.addQuietly(() -> { }); // more to apply: the next pass comes at once, after the inputs
                }
                passTimer.mark(LoopPassTimer.Phase.OTHER);
                snapshotter.afterReady(raft);
                passTimer.mark(LoopPassTimer.Phase.SNAPSHOT);
                router.afterPass();
                forwarder.flushIfQueued(); // routed again after a leader change or parked during the Ready
                transfers.check(raft.leaderId());
                extensions.onStatus(status.publish(raft, applier.appliedIndex()));
                passTimer.end(tasks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Storage failure or a bug: continuing could acknowledge writes that are not durable. Stop here.
            log.error("node {} stopped: event loop failed", id(), e);
            inbox.close(e);
        } finally {
            failEverything();
        }
    }

    private void onTick(long queuedAt) {
        if (tickClock.ticked(queuedAt)) {
            raft.tick();
        } else {
            raft.tickLate();
        }
        shipper.onTick();
        extensions.onTick();
        router.retryParked();
        proposals.expire(System.nanoTime());
    }

    private void failEverything() {
        if (shipper != null) {
            shipper.cancelAll();
        }
        extensions.stop();
        inbox.runRemaining();
        proposals.failAll(id());
        reads.failAll(id());
        router.failAll();
        forwarder.failQueued(id());
        transfers.failAll(id());
    }

    /** Stops the node: no new requests; pending ones fail with a shutdown or unknown-outcome error. */
    @Override
    public synchronized void close() {
        if (!inbox.isOpen() && loopThread == null) {
            return;
        }
        inbox.close(null);
        if (ticker != null) {
            ticker.shutdownNow();
        }
        transport.close();
        if (loopThread != null) {
            try {
                loopThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loopThread = null;
        }
        if (snapshotter != null) {
            snapshotter.close();
        }
        storage.close();
        log.info("node {} stopped", id());
    }
}
