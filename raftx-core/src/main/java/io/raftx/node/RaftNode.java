package io.raftx.node;

import io.raftx.raft.Message;
import io.raftx.raft.MessageType;
import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.Message;
import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.ProposeResult;
import io.raftx.raft.Raft;
import io.raftx.raft.ReadState;
import io.raftx.raft.Ready;
import io.raftx.raft.RestoredState;
import io.raftx.raft.Role;
import io.raftx.raft.SnapshotMeta;
import io.raftx.snapshot.SnapshotStaging;
import io.raftx.snapshot.SnapshotStore;
import io.raftx.statemachine.StateMachine;
import io.raftx.storage.RaftStorage;
import io.raftx.transport.ForwardResult;
import io.raftx.transport.Transport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Raft node: drives the deterministic core from a single event-loop thread. Each loop iteration runs
 * every queued input (peer messages, ticks, proposals), then handles the core's Ready: the leader's appends leave
 * at once, the batch of new entries and hard state is persisted with one commit + fsync (group commit), the
 * remaining messages are sent, committed entries are applied and the waiting callers completed.
 *
 * <p>With a {@link SnapshotStore}, the node snapshots its state machine as the log grows and on request
 * ({@link #snapshot()}), starts from its latest snapshot, streams snapshots to followers that lag behind the
 * compacted log, and installs the ones its leader streams to it (see {@link Snapshotter} for the crash-safe order).
 *
 * <p>Thread-safe: public methods may be called from any thread; state is only touched on the loop thread.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);
    private static final int MAX_BATCH = 8192;

    private final NodeConfig config;
    private final RaftStorage storage;
    private final Transport transport;
    private final StateMachine stateMachine;
    private final SnapshotStore snapshotStore;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /** Request ids are (clientId, sequence); a fresh random client id per incarnation keeps them unique. */
    private final long clientId = new SecureRandom().nextLong();
    private final AtomicLong sequence = new AtomicLong();

    // Loop-thread state.
    private final Map<Long, Waiter> proposed = new LinkedHashMap<>();
    private final ArrayDeque<Request> waitingForLeader = new ArrayDeque<>();
    private final Map<String, List<Request>> forwardQueues = new LinkedHashMap<>();
    private final Map<Long, Request> pendingReads = new java.util.HashMap<>();
    private final TreeMap<Long, List<Runnable>> waitingForApply = new TreeMap<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final List<LoopExtension> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long nextProposalId = 1;
    /** The configuration the transport's peers were last set from. */
    private Membership peersFor;
    private Raft raft;
    private Applier applier;
    private Snapshotter snapshotter;
    private SnapshotShipper shipper;

    private Thread loopThread;
    private ScheduledExecutorService ticker;
    private volatile boolean running;
    private volatile NodeStatus status;
    private volatile Throwable failure;

    /** A node without snapshots: its log grows without bound, and it cannot receive a snapshot from a leader. */
    public RaftNode(NodeConfig config, RaftStorage storage, Transport transport, StateMachine stateMachine) {
        this(config, storage, null, transport, stateMachine);
    }

    /** A node that keeps its snapshots in {@code snapshotStore} (null: no snapshots). */
    public RaftNode(NodeConfig config, RaftStorage storage, SnapshotStore snapshotStore, Transport transport,
                    StateMachine stateMachine) {
        this.config = config;
        this.storage = storage;
        this.snapshotStore = snapshotStore;
        this.transport = transport;
        this.stateMachine = stateMachine;
    }

    /** Recovers the persisted log and hard state, then joins the cluster. */
    public synchronized void start() {
        if (running) {
            return;
        }
        RestoredState restored = storage.recover();
        applier = new Applier(stateMachine, config.dedupWindow());
        snapshotter = new Snapshotter(id(), snapshotStore, storage, stateMachine, applier, config.snapshots());
        if (restored.snapshot() != null) {
            snapshotter.restoreAtStart(restored.snapshot()); // then the core replays the log after it
        }
        raft = new Raft(config.raft(), restored, new SplittableRandom(new SecureRandom().nextLong()));
        shipper = new SnapshotShipper(id(), raft, transport, snapshotStore, config.snapshots().chunkBytes(),
                config.raft().electionTicks(), this::enqueueQuietly);
        publishStatus();
        running = true;
        for (LoopExtension ext : extensions) {
            transport.onExtension(ext.channel(), (channel, from, payload) -> enqueue(() -> ext.onMessage(from, payload)));
            ext.onStart(new LoopExtension.Context() {
                @Override
                public String nodeId() {
                    return id();
                }

                @Override
                public void send(String to, byte[] payload) {
                    transport.sendExtension(to, ext.channel(), payload);
                }

                @Override
                public void execute(Runnable task) {
                    enqueue(task);
                }
            });
        }
        loopThread = new Thread(this::loop, "raftx-loop-" + config.raft().id());
        loopThread.start();
        SnapshotStaging staging = snapshotStore == null ? null : new SnapshotStaging(snapshotStore.incomingDir(),
                () -> status.commitIndex(), r -> enqueueQuietly(() -> onSnapshotReceived(r)));
        transport.start(this::onMessage, this::onForward, staging);
        long tickMs = config.tick().toMillis();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftx-tick-" + config.raft().id());
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> enqueue(this::onTick), tickMs, tickMs, TimeUnit.MILLISECONDS);
        log.info("node {} started: term {}, last index {}, commit {}", config.raft().id(), raft.term(),
                raft.lastIndex(), raft.commitIndex());
    }

    public NodeStatus status() {
        return status;
    }

    /** Why the event loop stopped on its own (a storage failure, or a bug); null while it runs or after close(). */
    public Throwable failure() {
        return failure;
    }

    /**
     * Snapshots the state machine now (at the applied index) and compacts the log behind it, keeping the configured
     * number of entries. Completes with the snapshot's metadata (the latest one if nothing was applied since); fails
     * if this node has no snapshot store or has applied nothing yet.
     */
    public CompletableFuture<SnapshotMeta> snapshot() {
        CompletableFuture<SnapshotMeta> done = new CompletableFuture<>();
        enqueue(() -> {
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
        enqueue(() -> done.complete(new SnapshotStats(raft.latestSnapshot(), raft.firstIndex(), snapshotter.taken(),
                snapshotter.installed(), shipper.sent(), shipper.failed(), snapshotter.threshold())));
        return done;
    }

    /** Adds a protocol that runs beside Raft on this node's loop; call before {@link #start()}. */
    public void addExtension(LoopExtension extension) {
        if (running) {
            throw new IllegalStateException("add extensions before starting node " + id());
        }
        extensions.add(extension);
    }

    public String id() {
        return config.raft().id();
    }

    /** Proposes a command; completes when it is applied (with its result), or fails with a {@link RaftException}. */
    public CompletableFuture<Applied> propose(byte[] payload) {
        return submit(new Command(Command.Kind.APPLY, clientId, sequence.incrementAndGet(), payload));
    }

    /**
     * Runs {@code query} against the state machine on the loop thread. LINEARIZABLE first gets a read index from the
     * leader (confirmed by a heartbeat round; LEASE may skip the round) and waits until this node has applied it,
     * so the query sees every write completed before the read began.
     */
    public <T> CompletableFuture<T> read(ReadConsistency consistency, Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (consistency == ReadConsistency.LOCAL) {
            enqueue(() -> complete(result, query));
            return result;
        }
        Command.Kind kind = consistency == ReadConsistency.LEASE ? Command.Kind.LEASE_READ : Command.Kind.READ_INDEX;
        submit(new Command(kind, clientId, sequence.incrementAndGet(), new byte[0]))
                .whenComplete((applied, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    } else {
                        enqueue(() -> whenApplied(applied.index(), () -> complete(result, query)));
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
        Membership.requireValidId(id);
        Membership.requireValidAddress(id, address);
        long deadline = System.nanoTime() + config.promotionTimeout().toNanos();
        return submitConfigChange(ConfigChange.addLearner(id, address))
                .thenCompose(added -> promoteWhenCaughtUp(id, deadline));
    }

    private CompletableFuture<Membership> promoteWhenCaughtUp(String id, long deadline) {
        return submitConfigChange(ConfigChange.promote(id)).exceptionallyCompose(err -> {
            Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
            boolean behind = cause instanceof MembershipCommands.NotCaughtUpException
                    || String.valueOf(cause.getMessage()).contains("entries behind");
            if (!behind || System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(cause);
            }
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(config.tick().toMillis() * 4, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> promoteWhenCaughtUp(id, deadline));
        });
    }

    /** Removes a voter or learner. Removing the leader hands leadership to another voter first. */
    public CompletableFuture<Membership> removeMember(String id) {
        Membership.requireValidId(id);
        return submitConfigChange(ConfigChange.remove(id));
    }

    private CompletableFuture<Membership> submitConfigChange(ConfigChange change) {
        Command command = new Command(Command.Kind.CONFIG_CHANGE, clientId, sequence.incrementAndGet(),
                MembershipCommands.encode(change));
        return submit(command).thenApply(applied -> Membership.decode(applied.result()));
    }

    /**
     * Hands leadership to {@code target} (this node must lead). Completes when {@code target} is the leader this node
     * knows, or fails if it did not take over within an election timeout plus the request timeout.
     */
    public CompletableFuture<Void> transferLeadership(String target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        enqueue(() -> {
            try {
                raft.transferLeadership(target);
            } catch (IllegalArgumentException | IllegalStateException e) {
                done.completeExceptionally(new NotAppliedException(e.getMessage()));
                return;
            }
            transfers.add(new Transfer(target, done, deadline));
        });
        return done;
    }

    private void checkTransfers() {
        long now = System.nanoTime();
        transfers.removeIf(t -> {
            if (t.target.equals(raft.leaderId())) {
                t.done.complete(null);
                return true;
            }
            if (now > t.deadline) {
                t.done.completeExceptionally(new NotAppliedException("leadership did not move to " + t.target
                        + " within " + config.requestTimeout() + "; leader is " + raft.leaderId()));
                return true;
            }
            return false;
        });
    }

    private record Transfer(String target, CompletableFuture<Void> done, long deadline) { }

    private static <T> void complete(CompletableFuture<T> f, Supplier<T> query) {
        try {
            f.complete(query.get());
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    private CompletableFuture<Applied> submit(Command command) {
        Request request = new Request(command, new CompletableFuture<>(),
                System.nanoTime() + config.requestTimeout().toNanos(), true);
        enqueue(() -> proposeOnLoop(request));
        return request.future;
    }

    /** From transport threads. A message arriving while the node stops is dropped, as Raft tolerates lost ones. */
    private void onPeerMessage(Message m) {
        try {
            enqueue(() -> raft.step(m));
        } catch (ShutdownException e) {
            log.debug("node {}: dropped {}: {}", config.raft().id(), m, e.getMessage());
        }
    }

    /** A follower forwarded a client's command: propose it here; never forward it again (no loops). */
    private CompletableFuture<ForwardResult> onForward(String from, byte[] bytes) {
        Command command;
        try {
            command = Command.decode(bytes);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ForwardResult.failed(ForwardResult.Status.NOT_APPLIED, null,
                    "malformed forwarded command from " + from + ": " + e.getMessage()));
        }
        Request request = new Request(command, new CompletableFuture<>(),
                System.nanoTime() + config.requestTimeout().toNanos(), false);
        try {
            enqueue(() -> proposeOnLoop(request));
        } catch (ShutdownException e) {
            return CompletableFuture.completedFuture(ForwardResult.failed(ForwardResult.Status.SHUTDOWN, null, e.getMessage()));
        }
        return request.future.handle((applied, err) -> applied != null
                ? ForwardResult.applied(applied.index(), applied.result())
                : Forwarding.toResult(err, status));
    }

    private void enqueue(Runnable task) {
        if (!running) {
            throw new ShutdownException("node " + config.raft().id() + " is not running"
                    + (failure == null ? "" : ": its event loop stopped after " + failure));
        }
        inbox.add(task);
    }

    /** For transport callbacks: after shutdown the task is simply dropped. */
    private void enqueueQuietly(Runnable task) {
        try {
            enqueue(task);
        } catch (ShutdownException ignored) {
            // stopping: the work no longer matters
        }
    }

    private void onMessage(Message m) {
        if (m.type() == MessageType.SNAPSHOT) {
            // Only the snapshot sink may deliver these: the core must never see one before its data arrived.
            log.warn("node {}: dropped {} that arrived without its data", id(), m);
            return;
        }
        onPeerMessage(m);
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
            while (running) {
                Runnable first = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch, MAX_BATCH);
                for (Runnable task : batch) {
                    task.run();
                }
                batch.clear();
                processReady();
                snapshotter.afterReady(raft);
                if (!forwardQueues.isEmpty()) {
                    flushForwards();
                }
                if (!transfers.isEmpty()) {
                    checkTransfers();
                }
                publishStatus();
                for (LoopExtension ext : extensions) {
                    ext.onStatus(status);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Storage failure or a bug: continuing could acknowledge writes that are not durable. Stop here.
            log.error("node {} stopped: event loop failed", config.raft().id(), e);
            failure = e;
            running = false;
        } finally {
            failEverything();
        }
    }

    private void proposeOnLoop(Request request) {
        if (request.future.isDone()) {
            return;
        }
        if (System.nanoTime() > request.deadline) {
            request.future.completeExceptionally(request.mayBeApplied
                    ? new UnknownOutcomeException("request timed out after " + config.requestTimeout()
                    + "; it may have been applied")
                    : new NoLeaderException("no leader elected within " + config.requestTimeout()
                    + " (election in progress or no quorum); not applied, retry"));
            return;
        }
        if (request.command.kind().isRead()) {
            readIndexOnLoop(request);
            return;
        }
        long proposalId = nextProposalId++;
        ProposeResult r;
        if (request.command.kind() == Command.Kind.CONFIG_CHANGE) {
            r = proposeConfigChange(request, proposalId);
            if (r == null) {
                return;
            }
        } else {
            r = raft.propose(proposalId, request.command.encode());
        }
        if (r.accepted()) {
            proposed.put(proposalId, new Waiter(request.future, request.deadline, request.mayBeApplied));
            request.mayBeApplied = true;
        } else if (r.refusal() == ProposeResult.Refusal.TRANSFERRING
                || r.refusal() == ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS) {
            waitingForLeader.add(request); // retried each tick: lands once the transfer or earlier change is done
        } else if (r.refusal() == ProposeResult.Refusal.DROPPED && request.mayBeApplied) {
            waitingForLeader.add(request); // an earlier attempt may still apply: retry (deduplicated) until the deadline
        } else if (r.refusal() == ProposeResult.Refusal.DROPPED) {
            request.future.completeExceptionally(new NotAppliedException(
                    "leader " + id() + " has too many uncommitted entries; not applied, retry later"));
        } else if (!request.forwardable) {
            request.future.completeExceptionally(new Forwarding.NotLeader(r.leaderHint(), id()));
        } else if (r.leaderHint() != null) {
            forward(request, r.leaderHint());
        } else {
            waitingForLeader.add(request);
        }
    }

    /** Returns null when the request was completed or parked here. */
    private ProposeResult proposeConfigChange(Request request, long proposalId) {
        if (raft.role() != Role.LEADER) {
            return ProposeResult.refused(ProposeResult.Refusal.NOT_LEADER, raft.leaderId());
        }
        try {
            ProposeResult r = MembershipCommands.proposeOnLeader(raft, proposalId,
                    MembershipCommands.decode(request.command.payload()), config.maxPromotionLag(), extensions);
            if (r == null) {
                waitingForLeader.add(request); // handing leadership over first; retried on the next tick
            }
            return r;
        } catch (IllegalArgumentException e) {
            request.future.completeExceptionally(new NotAppliedException(e.getMessage()));
        } catch (NotAppliedException e) {
            request.future.completeExceptionally(e);
        }
        return null;
    }

    /** A read index from this node if it leads, else from the leader; the future gets the index to wait for. */
    private void readIndexOnLoop(Request request) {
        if (raft.role() == Role.LEADER) {
            if (request.command.kind() == Command.Kind.LEASE_READ && raft.leaseValid()) {
                request.future.complete(new Applied(raft.commitIndex(), new byte[0]));
                return;
            }
            long readId = nextProposalId++;
            raft.readIndex(readId);
            pendingReads.put(readId, request);
        } else if (!request.forwardable) {
            request.future.completeExceptionally(new Forwarding.NotLeader(raft.leaderId(), id()));
        } else if (raft.leaderId() != null) {
            forward(request, raft.leaderId());
        } else {
            waitingForLeader.add(request);
        }
    }

    /** Queues a request for the leader; everything queued in one loop pass leaves in one batch (see flushForwards). */
    private void forward(Request request, String leader) {
        request.earlierAttemptMayApply = request.mayBeApplied;
        request.mayBeApplied |= !request.command.kind().isRead();
        forwardQueues.computeIfAbsent(leader, l -> new ArrayList<>()).add(request);
    }

    private void flushForwards() {
        for (Map.Entry<String, List<Request>> e : forwardQueues.entrySet()) {
            List<Request> batch = e.getValue();
            long deadline = batch.stream().mapToLong(r -> r.deadline).max().orElseThrow();
            long remaining = Math.max(1, deadline - System.nanoTime());
            transport.forwardBatch(e.getKey(), batch.stream().map(r -> r.command.encode()).toList(),
                            Duration.ofNanos(remaining))
                    .whenComplete((results, err) -> {
                        for (int i = 0; i < batch.size(); i++) {
                            forwarded(batch.get(i), results != null ? results.get(i) : null);
                        }
                    });
        }
        forwardQueues.clear();
    }

    private void forwarded(Request request, ForwardResult res) {
        if (res != null && res.status() == ForwardResult.Status.APPLIED) {
            request.future.complete(new Applied(res.index(), res.result()));
        } else if (res != null && res.status() == ForwardResult.Status.NOT_APPLIED && !request.earlierAttemptMayApply) {
            request.future.completeExceptionally(new NotAppliedException(res.error()));
        } else {
            // Leader moved, crashed or timed out, or refused this attempt while an earlier one may still apply:
            // retry (same request id, so at most once) until the deadline.
            retryLater(request);
        }
    }

    private void retryLater(Request request) {
        try {
            enqueue(() -> waitingForLeader.add(request));
        } catch (ShutdownException e) {
            request.future.completeExceptionally(new UnknownOutcomeException("node shut down while forwarding"));
        }
    }

    private void onTick() {
        raft.tick();
        shipper.onTick();
        extensions.forEach(LoopExtension::onTick);
        for (int n = waitingForLeader.size(); n > 0; n--) {
            proposeOnLoop(waitingForLeader.poll());
        }
        long now = System.nanoTime();
        Iterator<Waiter> it = proposed.values().iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (w.deadline > now) {
                break; // insertion order is deadline order
            }
            it.remove();
            w.future.completeExceptionally(new UnknownOutcomeException("proposal not committed within "
                    + config.requestTimeout() + " (leader change or lost quorum?); it may still be applied"));
        }
    }

    private void processReady() {
        while (raft.hasReady()) {
            Ready rd = raft.ready();
            if (rd.snapshot() != null) {
                snapshotter.install(rd.snapshot()); // before the entries that follow it are persisted
            }
            rd.eagerMessages().forEach(this::send);
            if (rd.hardState() != null || !rd.entries().isEmpty()) {
                storage.persist(rd.hardState(), rd.entries());
            }
            rd.messages().forEach(this::send);
            Map<Long, Applied> results = applier.apply(rd.committedEntries());
            for (ProposalOutcome o : rd.outcomes()) {
                Waiter w = proposed.remove(o.proposalId());
                if (w == null) {
                    continue;
                }
                Applied applied = results.get(o.index());
                if (o.status() == ProposalOutcome.Status.COMMITTED && applied != null) {
                    w.future.complete(applied);
                } else if (w.earlierAttemptMayApply) {
                    w.future.completeExceptionally(new UnknownOutcomeException("this attempt lost its place at index "
                            + o.index() + ", but an earlier attempt forwarded to another leader may still be applied"));
                } else {
                    w.future.completeExceptionally(new NotAppliedException("another leader's entry was committed at index "
                            + o.index() + "; this request was not applied, retry"));
                }
            }
            for (ReadState rs : rd.readStates()) {
                Request request = pendingReads.remove(rs.requestId());
                if (request == null) {
                    continue;
                }
                if (rs.ok()) {
                    request.future.complete(new Applied(rs.index(), new byte[0]));
                } else {
                    waitingForLeader.add(request); // leadership changed before confirming: retry via the new leader
                }
            }
            raft.advance(rd);
            runApplyWaiters();
        }
    }

    private void send(Message m) {
        if (m.type() == MessageType.SNAPSHOT) {
            shipper.ship(m); // the data streams beside the message
        } else {
            transport.send(m);
        }
    }

    private void whenApplied(long index, Runnable action) {
        if (applier.appliedIndex() >= index) {
            action.run();
        } else {
            waitingForApply.computeIfAbsent(index, i -> new ArrayList<>()).add(action);
        }
    }

    private void runApplyWaiters() {
        while (!waitingForApply.isEmpty() && waitingForApply.firstKey() <= applier.appliedIndex()) {
            waitingForApply.pollFirstEntry().getValue().forEach(Runnable::run);
        }
    }

    private void publishStatus() {
        Membership membership = raft.membership();
        boolean managesPeers = !config.peerAddresses().isEmpty() || !membership.addresses().isEmpty();
        if (managesPeers && !membership.equals(peersFor)) {
            peersFor = membership;
            transport.updatePeers(MembershipCommands.peerAddresses(membership, config.peerAddresses(), id()));
        }
        status = new NodeStatus(raft.id(), raft.role(), raft.term(), raft.leaderId(), raft.commitIndex(),
                applier.appliedIndex(), raft.lastIndex(), membership);
    }

    private void failEverything() {
        if (shipper != null) {
            shipper.cancelAll();
        }
        for (LoopExtension ext : extensions) {
            try {
                ext.onStop();
            } catch (RuntimeException e) {
                log.warn("extension {} failed to stop cleanly", ext.channel(), e);
            }
        }
        for (Waiter w : proposed.values()) {
            w.future.completeExceptionally(new UnknownOutcomeException("node " + id() + " stopped before the outcome was known"));
        }
        proposed.clear();
        for (Request r : pendingReads.values()) {
            r.future.completeExceptionally(new ShutdownException("node " + id() + " stopped before the read was confirmed"));
        }
        pendingReads.clear();
        for (Request r : waitingForLeader) {
            r.future.completeExceptionally(r.mayBeApplied
                    ? new UnknownOutcomeException("node " + id() + " stopped while retrying a request that an earlier "
                    + "attempt may have applied")
                    : new ShutdownException("node " + id() + " stopped; not applied"));
        }
        waitingForLeader.clear();
        Runnable task;
        while ((task = inbox.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException ignored) {
                // Draining after stop: tasks may touch a stopped core; their callers get failures below.
            }
        }
    }

    /** Stops the node: no new requests; pending ones fail with a shutdown or unknown-outcome error. */
    @Override
    public synchronized void close() {
        if (!running && loopThread == null) {
            return;
        }
        running = false;
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
        storage.close();
        log.info("node {} stopped", config.raft().id());
    }

    private static final class Request {
        final Command command;
        final CompletableFuture<Applied> future;
        final long deadline;
        final boolean forwardable;
        /**
         * Some attempt so far (a local proposal or a forward) may have reached a log. From then on only a deadline
         * or a success ends the request: a refusal of a later attempt says nothing about the earlier ones.
         */
        boolean mayBeApplied;
        /**
         * For the forward in flight: whether an attempt before it may have been applied (a leader's "not applied"
         * speaks only for the one attempt it saw).
         */
        volatile boolean earlierAttemptMayApply;

        Request(Command command, CompletableFuture<Applied> future, long deadline, boolean forwardable) {
            this.command = command;
            this.future = future;
            this.deadline = deadline;
            this.forwardable = forwardable;
        }
    }

    /** @param earlierAttemptMayApply an earlier attempt of the same request got no definite answer */
    private record Waiter(CompletableFuture<Applied> future, long deadline, boolean earlierAttemptMayApply) { }
}
