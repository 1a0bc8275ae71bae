package io.raftx.sim;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.Message;
import io.raftx.raft.RaftConfig;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A seeded, fully deterministic cluster of {@link SimNode}s on a virtual clock. One {@link Random} drives
 * everything (network, nemesis, client, the cores' election jitter), so a seed replays exactly.
 *
 * <p>Every node ticks every {@link #TICK} time units at its own phase, so nodes are never in lockstep. Each event
 * (a tick, a delivered message, a client burst, a fault) is one step; the {@link InvariantChecker} runs after
 * every step. Public actions called from tests ({@link #crash}, {@link #propose}, ...) count as steps too.
 */
public final class SimCluster {

    /** Simulation time units per Raft tick. */
    public static final int TICK = 10;

    private final long seed;
    private final Random random;
    private final EventQueue queue = new EventQueue();
    private final SimStats stats = new SimStats();
    private final EventTrace trace;
    private final SimNetwork network;
    private final ClientDriver client;
    private final InvariantChecker checker = new InvariantChecker(this);
    private final Nemesis nemesis;
    private final UnreachableReports unreachableReports;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final NodeHost host;
    private final UnaryOperator<RaftConfig> configure;
    private final RuntimeDefect defect;
    private final AutoSnapshot autoSnapshot;
    private final int lateTickPercent;
    private final boolean stopsOnEmptyReady;
    private final List<Runnable> stepListeners = new ArrayList<>();
    /** Whether a node may crash now (a protocol beside Raft may bound crashes to its failure model). */
    private java.util.function.Predicate<String> crashGuard = id -> true;
    /** Why a membership change must wait (null: it may go ahead), asked before the leader proposes it. */
    private java.util.function.BiFunction<SimNode, io.raftx.raft.ConfigChange, String> changeHold = (l, c) -> null;

    public static SimClusterBuilder builder(long seed) {
        return new SimClusterBuilder(seed);
    }

    SimCluster(SimClusterBuilder b) {
        this.seed = b.seed;
        this.random = b.random != null ? b.random : new Random(b.seed);
        this.trace = new EventTrace(b.traceSize);
        this.host = new NodeHost(this, checker);
        this.configure = b.config;
        this.defect = b.defect;
        this.autoSnapshot = b.autoSnapshot;
        this.lateTickPercent = b.lateTickPercent;
        this.stopsOnEmptyReady = b.stopsOnEmptyReady;
        this.network = new SimNetwork(queue, random, stats, trace, b.faults, host::deliver, host::lost);
        this.client = new ClientDriver(this, random, stats);
        this.unreachableReports = new UnreachableReports(this, random, b.faults);
        this.nemesis = new Nemesis(this, random, b.faults, unreachableReports);
        host.setNemesis(nemesis);
        List<String> voters = new ArrayList<>();
        for (int i = 1; i <= b.size; i++) {
            voters.add("n" + i);
        }
        checker.bootstrap(Membership.ofVoters(voters));
        for (String id : voters) {
            startNewNode(id, voters);
        }
    }

    private SimNode startNewNode(String id, List<String> voters) {
        SimNode n = new SimNode(id, configure.apply(RaftConfig.of(id, voters)), host, now() + random.nextInt(TICK),
                defect, autoSnapshot);
        n.setStopsOnEmptyReady(stopsOnEmptyReady);
        nodes.put(id, n);
        n.start(random);
        scheduleTick(n, n.tickPhase());
        return n;
    }

    /**
     * Boots a brand-new node with an empty log and no configuration: it does not vote or campaign, and waits until
     * a leader adds it (as a learner). Its id is the next unused {@code n<k>}.
     */
    public SimNode addJoiningNode() {
        return external(this::startJoiningNode);
    }

    SimNode startJoiningNode() {
        String id = "n" + (nodes.size() + 1);
        stats.nodesAdded++;
        trace("boot", id + " (joining, no configuration)");
        return startNewNode(id, List.of());
    }

    /** Decommissions a node for good: it stops now and is never restarted, as after it was removed. */
    public void retire(String id) {
        external(() -> retireNode(id));
    }

    boolean retireNode(String id) {
        SimNode n = node(id);
        if (n.isRetired()) {
            return false;
        }
        n.retire();
        stats.nodesRetired++;
        trace("retire", id);
        return true;
    }

    // ---- the event loop ----

    /** Runs the next event. Returns false when nothing is scheduled (never, in practice: nodes always tick). */
    public boolean step() {
        if (queue.isEmpty()) {
            return false;
        }
        EventQueue.Event e = queue.next();
        trace.setStep(stats.steps + 1);
        boolean real;
        try {
            real = e.action().run();
        } catch (InvariantViolation v) {
            throw v;
        } catch (RuntimeException ex) {
            throw violation("no exceptions", "unexpected " + ex, ex);
        }
        if (real) {
            completeStep();
        }
        return true;
    }

    private void completeStep() {
        stats.steps++;
        checker.afterStep();
        client.reads().afterStep(checker);
        for (Runnable l : stepListeners) {
            l.run();
        }
    }

    /** Runs an action from a test as one step. */
    private <T> T external(Supplier<T> action) {
        trace.setStep(stats.steps + 1);
        T result;
        try {
            result = action.get();
        } catch (InvariantViolation v) {
            throw v;
        } catch (RuntimeException ex) {
            throw violation("no exceptions", "unexpected " + ex, ex);
        }
        completeStep();
        return result;
    }

    public void runSteps(long steps) {
        long end = stats.steps + steps;
        while (stats.steps < end && step()) {
            // one more event
        }
    }

    public void runTicks(int ticks) {
        long end = now() + (long) ticks * TICK;
        while (queue.peekTime() <= end && step()) {
            // one more event
        }
    }

    /** Runs until {@code condition} holds (checked after every step) or {@code maxTicks} pass. */
    public boolean runUntil(BooleanSupplier condition, int maxTicks) {
        long end = now() + (long) maxTicks * TICK;
        while (!condition.getAsBoolean()) {
            if (queue.peekTime() > end || !step()) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Like {@link #runUntil} but a timeout is a liveness violation. */
    public void awaitUntil(BooleanSupplier condition, int maxTicks, String what) {
        if (!runUntil(condition, maxTicks)) {
            throw violation("liveness", what + " within " + maxTicks + " ticks", null);
        }
    }

    /** Called after every step, after the invariant checks (e.g. to watch roles). */
    public void onStep(Runnable listener) {
        stepListeners.add(listener);
    }

    /** Crashes (by the nemesis or a test) happen only to nodes {@code mayCrash} accepts at that moment. */
    void guardCrashes(java.util.function.Predicate<String> mayCrash) {
        crashGuard = mayCrash;
    }

    /** Membership changes wait while {@code hold} gives a reason (the way the runtime asks its loop extensions). */
    void holdMembershipChanges(java.util.function.BiFunction<SimNode, io.raftx.raft.ConfigChange, String> hold) {
        changeHold = hold;
    }

    String membershipChangeHold(SimNode leader, io.raftx.raft.ConfigChange change) {
        return changeHold.apply(leader, change);
    }

    /** Schedules an action {@code delayUnits} from now; it counts as a step if it returns true. */
    void schedule(long delayUnits, EventQueue.Action action) {
        queue.after(delayUnits, action);
    }

    private void scheduleTick(SimNode n, long at) {
        queue.at(at, () -> {
            scheduleTick(n, at + TICK);
            if (!n.isUp()) {
                return false;
            }
            if (lateTickPercent > 0 && random.nextInt(100) < lateTickPercent) {
                n.raft().tickLate();
                stats.lateTicks++;
            } else {
                n.raft().tick();
            }
            n.processReadies();
            return true;
        });
    }

    // ---- faults ----

    public void crash(String id) {
        crash(id, CrashPoint.NOW);
    }

    /** Crashes now, or arms a crash inside the node's next Ready (falling back to now if none comes in 2 ticks). */
    public void crash(String id, CrashPoint point) {
        external(() -> crashNode(id, point));
    }

    boolean crashNode(String id, CrashPoint point) {
        SimNode n = node(id);
        if (!n.isUp() || !crashGuard.test(id)) {
            return false;
        }
        if (point == CrashPoint.NOW) {
            n.crash();
            stats.crashes++;
            trace("crash", id);
            unreachableReports.crashed(id);
            return true;
        }
        n.armCrash(point);
        trace("arm", id + " to crash " + point);
        queue.after(2L * TICK, () -> n.isArmed() && crashNode(id, CrashPoint.NOW));
        return true;
    }

    public void restart(String id) {
        external(() -> recoverNode(id));
    }

    /** Restarts a crashed node from its storage, or disarms a crash that has not happened yet. */
    boolean recoverNode(String id) {
        SimNode n = node(id);
        if (n.isRetired()) {
            return false;
        }
        if (n.isUp()) {
            if (n.isArmed()) {
                n.armCrash(null);
                return true;
            }
            return false;
        }
        n.start(random);
        stats.restarts++;
        trace("restart", n.toString());
        n.processReadies();
        return true;
    }

    /** Splits the cluster into isolated groups; returns the blocked links (for {@link SimNetwork#unblock}). */
    @SafeVarargs
    public final List<SimNetwork.Link> partition(Collection<String>... groups) {
        return external(() -> {
            trace("partition", List.of(groups).toString());
            return network.partition(List.of(groups));
        });
    }

    public List<SimNetwork.Link> isolate(String id) {
        return external(() -> {
            trace("isolate", id);
            return network.isolate(id, ids());
        });
    }

    public void blockOneWay(String from, String to) {
        external(() -> {
            trace("block", from + "->" + to);
            network.blockOneWay(from, to);
            return null;
        });
    }

    /** Drops every message matching {@code filter} until {@link #heal()} (e.g. one node's acknowledgements). */
    public void dropMessages(java.util.function.Predicate<Message> filter) {
        external(() -> {
            trace("filter", "dropping some messages");
            network.setDropFilter(filter);
            return null;
        });
    }

    /** Removes every partition, block and drop filter (crashed nodes stay down). */
    public void heal() {
        external(() -> {
            trace("heal", "network");
            network.healAll();
            return null;
        });
    }

    /** Random partitions, one-way blocks, crashes, transfers and compactions per the fault plan, once per tick. */
    public void startNemesis() {
        nemesis.start();
    }

    /** Stops the chaos and repairs everything: network healed, message faults off, every node up. */
    public void stopNemesisAndHeal() {
        network.setFaults(FaultPlan.none());
        external(() -> {
            nemesis.stop();
            return null;
        });
    }

    // ---- clients ----

    /** Proposes a random payload to {@code id} (which may refuse it). */
    public Proposal propose(String id) {
        return external(() -> client.propose(node(id)));
    }

    /** Proposes {@code count} random payloads to {@code id} in one step, so they leave batched in one Ready. */
    public List<Proposal> proposeBatch(String id, int count) {
        return external(() -> {
            List<Proposal> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(client.proposeNoReady(node(id)));
            }
            node(id).processReadies();
            trace("propose", count + " proposals to " + id);
            return batch;
        });
    }

    /** Asks {@code id} for a linearizable read index; false if it does not lead. The answer is checked on arrival. */
    public boolean readIndex(String id) {
        return external(() -> {
            boolean asked = client.readNoReady(node(id), knownCommit());
            node(id).processReadies();
            return asked;
        });
    }

    /**
     * A read the runtime serves on {@code server} with a read index confirmed by the leader {@code leader} (a follower
     * read when they differ); false if {@code leader} does not lead. Checked when served.
     */
    public boolean followerRead(String leader, String server) {
        return external(() -> {
            boolean asked = client.reads().start(client.nextRequestId(), node(leader), ReadClient.Kind.FOLLOWER_READ,
                    server, knownCommit(), client.maxAckedWrite());
            node(leader).processReadies();
            return asked;
        });
    }

    /** A lease read on {@code leader} (ReadIndex if its lease does not hold); false if it does not lead. */
    public boolean leaseRead(String leader) {
        return external(() -> {
            boolean asked = client.reads().start(client.nextRequestId(), node(leader), ReadClient.Kind.LEASE, leader,
                    knownCommit(), client.maxAckedWrite());
            node(leader).processReadies();
            return asked;
        });
    }

    UnreachableReports unreachableReports() {
        return unreachableReports;
    }

    RuntimeDefect defect() {
        return defect;
    }

    /** Snapshots {@code id}'s state machine and compacts its log, keeping {@code keep} entries before the snapshot. */
    public boolean snapshotAndCompact(String id, int keep) {
        return external(() -> node(id).snapshotAndCompact(keep));
    }

    /**
     * The operator's membership change, as the runtime performs it: proposed to whoever leads and retried until it
     * commits; to remove the leader, leadership is first handed to the most caught-up other voter. A timeout is a
     * liveness violation.
     */
    public Proposal changeMembership(ConfigChange change, int maxTicks) {
        long deadline = now() + (long) maxTicks * TICK;
        while (now() < deadline) {
            if (!runUntil(() -> stableLeader() != null, (int) ((deadline - now()) / TICK) + 1)) {
                break;
            }
            SimNode leader = stableLeader();
            if (change.type() == ConfigChange.Type.REMOVE && change.nodeId().equals(leader.id())) {
                external(() -> Handover.start(this, leader));
                runTicks(1);
                continue;
            }
            Proposal p = external(() -> client.proposeConfigChange(leader, change));
            if (p.accepted()) {
                runUntil(() -> p.outcome() != null || !leader.isUp() || leader.raft().role() != Role.LEADER,
                        (int) ((deadline - now()) / TICK) + 1);
                if (p.isCommitted()) {
                    return p;
                }
            }
            runTicks(1);
        }
        throw violation("liveness", change + " not committed within " + maxTicks + " ticks", null);
    }

    /** Proposes to the current leader until one proposal commits; see {@link ClientDriver#proposeUntilCommitted}. */
    public Proposal proposeUntilCommitted(int maxTicks) {
        return client.proposeUntilCommitted(maxTicks);
    }

    /** Waits until every node that is not retired is up and has applied {@code index}. */
    public void awaitAppliedEverywhere(long index, int maxTicks) {
        awaitUntil(() -> nodes.values().stream().filter(n -> !n.isRetired())
                        .allMatch(n -> n.isUp() && n.appliedIndex() >= index), maxTicks,
                "index " + index + " applied on every node that is not retired");
    }

    public ClientDriver client() {
        return client;
    }

    // ---- queries ----

    public long seed() {
        return seed;
    }

    /** The run's single random stream, for test-level choices that must replay with the seed. */
    public Random random() {
        return random;
    }

    /** Virtual time in units ({@link #TICK} per tick). */
    public long now() {
        return queue.now();
    }

    public SimStats stats() {
        return stats;
    }

    public SimNetwork network() {
        return network;
    }

    /** Every node that is not retired: the initial voters, then joining nodes in the order they booted. */
    public List<String> ids() {
        return nodes.values().stream().filter(n -> !n.isRetired()).map(SimNode::id).toList();
    }

    public Collection<SimNode> nodes() {
        return nodes.values();
    }

    public SimNode node(String id) {
        SimNode n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    /**
     * The live leader of the highest term, provided no live member of its configuration has passed that term; or
     * null. (Nodes outside its configuration, such as a removed node that does not know it yet, do not count.)
     */
    public SimNode stableLeader() {
        SimNode leader = null;
        for (SimNode n : nodes.values()) {
            if (n.isUp() && n.raft().role() == Role.LEADER && (leader == null || n.raft().term() > leader.raft().term())) {
                leader = n;
            }
        }
        if (leader == null) {
            return null;
        }
        Membership m = leader.raft().membership();
        long term = leader.raft().term();
        for (SimNode n : nodes.values()) {
            if (n.isUp() && n.raft().term() > term && m.isMember(n.id())) {
                return null;
            }
        }
        return leader;
    }

    /** The configuration of the latest committed CONFIG entry (the initial voters before any). */
    public Membership committedMembership() {
        return checker.committedMembership();
    }

    /**
     * The operator's cleanup after membership changes: once the leader's configuration is committed, every node
     * outside it (removed, or booted for an addition that was lost) is shut down for good. Waits up to
     * {@code maxTicks} for a leader with a committed configuration.
     */
    public void retireNonMembers(int maxTicks) {
        // The leader must have committed an entry of its own term: a leader that has not may be a stale one whose
        // configuration only looks committed (it lacks a removal that a majority holds and its successor commits).
        awaitUntil(() -> {
            SimNode leader = stableLeader();
            if (leader == null) {
                return false;
            }
            io.raftx.raft.Entry committed = committedEntry(leader.raft().commitIndex());
            return committed != null && committed.term() == leader.raft().term()
                    && leader.raft().membership().equals(committedMembership());
        }, maxTicks, "a leader that committed in its term, with its configuration committed");
        Membership m = stableLeader().raft().membership();
        external(() -> {
            nodes.values().stream().filter(n -> !n.isRetired() && !m.isMember(n.id())).map(SimNode::id).toList()
                    .forEach(this::retireNode);
            return null;
        });
    }

    /** The highest commit index seen on any node so far. */
    long knownCommit() {
        return checker.knownCommit();
    }

    /** The entry known committed at {@code index}, or null if no node has committed that far yet. */
    public io.raftx.raft.Entry committedEntry(long index) {
        List<io.raftx.raft.Entry> committed = checker.committed();
        return index >= 1 && index <= committed.size() ? committed.get((int) index - 1) : null;
    }

    /** Entries known committed so far, from index 1. */
    public List<io.raftx.raft.Entry> committedPrefix() {
        return List.copyOf(checker.committed());
    }

    /** End-of-run checks: no TRUNCATED proposal committed; all live logs identical up to their commit. */
    public void checkFinal() {
        checker.finalCheck();
    }

    // ---- diagnostics ----

    void trace(String kind, Object subject) {
        trace.add(now(), kind, subject);
    }

    public String describeNodes() {
        return nodes.values().stream().map(n -> "  " + n).collect(Collectors.joining("\n"))
                + (network.hasPartitions() ? "\n  (network has blocked links)" : "");
    }

    InvariantViolation violation(String invariant, String detail, Throwable cause) {
        return new InvariantViolation(seed, stats.steps, now(), invariant, detail, trace.lines(), describeNodes(), cause);
    }
}
