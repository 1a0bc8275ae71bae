package io.raftx.sim;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Entry;
import io.raftx.raft.EntryType;
import io.raftx.raft.ProposalOutcome;
import io.raftx.raft.ProposeResult;
import io.raftx.raft.Role;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A client that proposes random payloads to whichever node it believes leads, following NOT_LEADER hints like a
 * real client would. Every payload starts with its proposal id, so any committed entry can be traced back to the
 * proposal it came from.
 */
public final class ClientDriver {

    private final SimCluster cluster;
    private final Random random;
    private final SimStats stats;
    private final Map<Long, Proposal> proposals = new HashMap<>();
    private final ReadClient reads;
    private long nextId = 1;
    /** The highest index of a write (proposal) a client was told committed: later reads must observe it. */
    private long maxAckedWrite;
    private String guess;
    private int loadGeneration;

    ClientDriver(SimCluster cluster, Random random, SimStats stats) {
        this.cluster = cluster;
        this.random = random;
        this.stats = stats;
        this.reads = new ReadClient(cluster, random, stats);
    }

    ReadClient reads() {
        return reads;
    }

    long nextRequestId() {
        return nextId++;
    }

    long maxAckedWrite() {
        return maxAckedWrite;
    }

    /** Client rounds at random intervals averaging {@code meanIntervalUnits}: writes of 1..maxBurst, or a read. */
    public void startLoad(int meanIntervalUnits, int maxBurst) {
        int gen = ++loadGeneration;
        cluster.schedule(1 + random.nextInt(2 * meanIntervalUnits), new EventQueue.Action() {
            @Override
            public boolean run() {
                if (gen != loadGeneration) {
                    return false;
                }
                cluster.schedule(1 + random.nextInt(2 * meanIntervalUnits), this);
                return burst(maxBurst, cluster.knownCommit());
            }
        });
    }

    public void stopLoad() {
        loadGeneration++;
    }

    /**
     * Keeps proposing to the current leader until one proposal commits, retrying after refusals, truncations,
     * crashes and depositions of the proposer; a timeout is a liveness violation.
     */
    public Proposal proposeUntilCommitted(int maxTicks) {
        long deadline = cluster.now() + (long) maxTicks * SimCluster.TICK;
        while (cluster.now() < deadline) {
            if (!cluster.runUntil(() -> cluster.stableLeader() != null, ticksUntil(deadline))) {
                break;
            }
            SimNode leader = cluster.stableLeader();
            Proposal p = cluster.propose(leader.id());
            if (!p.accepted()) {
                cluster.runTicks(1);
                continue;
            }
            // A deposed proposer may never learn its entry's fate while the log does not grow past it: move on.
            cluster.runUntil(() -> p.outcome() != null || !stillLeads(leader, p), ticksUntil(deadline));
            if (p.isCommitted()) {
                return p;
            }
        }
        throw cluster.violation("liveness", "no proposal committed within " + maxTicks + " ticks", null);
    }

    private int ticksUntil(long deadline) {
        return (int) ((deadline - cluster.now()) / SimCluster.TICK) + 1;
    }

    private static boolean stillLeads(SimNode n, Proposal p) {
        return n.isUp() && n.incarnation() == p.incarnation() && n.raft().role() == Role.LEADER
                && n.raft().term() == p.result().term();
    }

    /** The proposal id encoded in a NORMAL entry's payload, or -1 for other entries. */
    static long proposalIdOf(Entry e) {
        return e.type() == EntryType.NORMAL && e.data().length >= Long.BYTES ? ByteBuffer.wrap(e.data()).getLong() : -1;
    }

    public Proposal get(long id) {
        return proposals.get(id);
    }

    public java.util.Collection<Proposal> all() {
        return proposals.values();
    }

    /** A fresh payload: the proposal id followed by 0-24 random bytes. */
    byte[] payload(long id, int extra) {
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES + extra).putLong(id);
        byte[] filler = new byte[extra];
        random.nextBytes(filler);
        return b.put(filler).array();
    }

    /** Proposes a random payload to {@code node} without processing its Ready (so several proposals batch). */
    Proposal proposeNoReady(SimNode node) {
        long id = nextId++;
        byte[] data = payload(id, random.nextInt(25));
        ProposeResult r = node.raft().propose(id, data);
        Proposal p = new Proposal(id, data, node.id(), node.incarnation(), r);
        if (r.accepted()) {
            proposals.put(id, p);
            stats.proposalsAccepted++;
        } else {
            stats.proposalsRefused++;
        }
        return p;
    }

    /** Proposes one random payload to {@code node} and lets it act on it. */
    public Proposal propose(SimNode node) {
        Proposal p = proposeNoReady(node);
        node.processReadies();
        cluster.trace("propose", p);
        return p;
    }

    /**
     * Asks {@code node} for a read index. Returns false (and follows the leader hint) if it does not lead.
     * Does not process the node's Ready.
     */
    boolean readNoReady(SimNode node, long knownCommit) {
        return readNoReady(node, ReadClient.Kind.READ_INDEX, knownCommit);
    }

    private boolean readNoReady(SimNode node, ReadClient.Kind kind, long knownCommit) {
        if (!reads.start(nextId++, node, kind, null, knownCommit, maxAckedWrite)) {
            guess = node.raft().leaderId();
            return false;
        }
        return true;
    }

    /** The pending read an answer belongs to (removed), or null. */
    ReadClient.Read onReadState(io.raftx.raft.ReadState r) {
        return reads.onReadState(r);
    }

    /**
     * Proposes a membership change to {@code leader} and lets it act on it; an accepted change is tracked like any
     * proposal (its outcome is checked against the committed log).
     */
    Proposal proposeConfigChange(SimNode leader, ConfigChange change) {
        long id = nextId++;
        String hold = cluster.membershipChangeHold(leader, change);
        if (hold != null) {
            cluster.trace("hold", change.type() + " " + change.nodeId() + ": " + hold);
        }
        ProposeResult r = hold != null
                ? ProposeResult.refused(ProposeResult.Refusal.CONFIG_CHANGE_IN_PROGRESS, leader.id())
                : leader.raft().proposeConfigChange(id, change);
        byte[] data = r.accepted() ? leader.raft().entry(r.index()).data() : new byte[0];
        Proposal p = new Proposal(id, data, leader.id(), leader.incarnation(), r);
        if (r.accepted()) {
            proposals.put(id, p);
        } else {
            stats.configChangesRefused++;
        }
        leader.processReadies();
        cluster.trace("change", change.type() + " " + change.nodeId() + ": " + p);
        return p;
    }

    /**
     * One round of client traffic: 1..maxBurst proposals to the believed leader, batched into one Ready. A refusal
     * with a hint is retried once at the hinted node, as a client library would. Returns false if no node is up.
     */
    boolean burst(int maxBurst, long knownCommit) {
        SimNode target = pickTarget();
        if (target == null) {
            return false;
        }
        if (random.nextInt(4) == 0) {
            // A quarter of the rounds are reads instead of writes: ReadIndex, on a follower, or under the lease.
            ReadClient.Kind kind = reads.randomKind();
            boolean asked = readNoReady(target, kind, knownCommit);
            target.processReadies();
            cluster.trace("read", kind + " at " + target.id() + (asked ? " asked" : " refused, leader " + guess));
            return true;
        }
        Proposal first = proposeNoReady(target);
        if (!first.accepted()) {
            cluster.trace("propose", first);
            guess = first.result().leaderHint();
            target = pickTarget();
            if (target == null || guess == null) {
                return true;
            }
            first = proposeNoReady(target);
            if (!first.accepted()) {
                cluster.trace("propose", first);
                guess = first.result().leaderHint();
                return true;
            }
        }
        int n = random.nextInt(maxBurst);
        List<Proposal> batch = new java.util.ArrayList<>(List.of(first));
        for (int i = 0; i < n; i++) {
            batch.add(proposeNoReady(target));
        }
        target.processReadies();
        cluster.trace("propose", batch.size() + " proposals to " + target.id() + " from p" + first.id() + " idx="
                + first.index());
        return true;
    }

    private SimNode pickTarget() {
        if (guess != null && cluster.node(guess).isUp()) {
            return cluster.node(guess);
        }
        List<SimNode> up = cluster.nodes().stream().filter(SimNode::isUp).toList();
        if (up.isEmpty()) {
            return null;
        }
        SimNode pick = up.get(random.nextInt(up.size()));
        guess = pick.id();
        return pick;
    }

    /** Records an outcome; returns the proposal it belongs to, or null if no such accepted proposal exists. */
    Proposal onOutcome(ProposalOutcome o) {
        Proposal p = proposals.get(o.proposalId());
        if (p != null && p.outcome() == null) {
            p.setOutcome(o.status());
            if (o.status() == ProposalOutcome.Status.COMMITTED) {
                maxAckedWrite = Math.max(maxAckedWrite, o.index());
                stats.committedOutcomes++;
            } else {
                stats.truncatedOutcomes++;
            }
        }
        return p;
    }
}
