package io.raftx.volatiles;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * N volatile cores, a network and a stand-in for Raft, for scenario tests and the randomized simulator. The test
 * decides who leads which term ({@link #elect}); nodes learn it through {@link RaftNotice}s, delivered at once or
 * later. A crash loses everything but the durable Raft term. Every Ready goes through {@link VolatileInvariants}.
 */
final class VolatileCluster {

    /** Raft telling one node (durably) about a term and its leader. */
    record RaftNotice(String to, long term, String leader) {
    }

    final List<String> ids = new ArrayList<>();
    final Map<String, VolatileReplica> nodes = new LinkedHashMap<>();
    final Set<String> down = new HashSet<>();
    final Map<String, Long> durableTerm = new HashMap<>();
    final List<VolatileMessage> inFlight = new ArrayList<>();
    final List<RaftNotice> notices = new ArrayList<>();
    final VolatileInvariants invariants = new VolatileInvariants();
    final Map<Long, VolatileOp> proposed = new HashMap<>();
    final Map<Long, WriteOutcome> outcomes = new HashMap<>();
    final Map<Long, ReadResult> reads = new HashMap<>();
    final Map<Long, Long> ackedWhenReadAsked = new HashMap<>();
    final Map<String, List<VolatileEvent>> events = new HashMap<>();
    final List<String> trace = new ArrayList<>();
    private final UnaryOperator<VolatileConfig> tweak;
    private Set<String> partitionSide;
    long raftTerm;
    String raftLeader;
    final Map<String, Integer> sentByKind = new java.util.TreeMap<>();
    int snapshotsSent;
    int opsReplayed;
    long nextRequestId = 1;
    private long starts;
    /** Per node: how many ops were committed (applied anywhere) when it last started. */
    private final Map<String, Long> committedAtStart = new HashMap<>();

    VolatileCluster(int size, UnaryOperator<VolatileConfig> tweak) {
        this.tweak = tweak;
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            durableTerm.put(id, 0L);
            start(id);
        }
    }

    VolatileReplica node(String id) {
        return nodes.get(id);
    }

    VolatileReplica leader() {
        return raftLeader == null || down.contains(raftLeader) ? null : nodes.get(raftLeader);
    }

    List<VolatileReplica> live() {
        return ids.stream().filter(id -> !down.contains(id)).map(nodes::get).toList();
    }

    private void start(String id) {
        VolatileConfig config = tweak.apply(VolatileConfig.of(id, ids));
        nodes.put(id, new VolatileReplica(config, durableTerm.get(id), ++starts));
        committedAtStart.put(id, invariants.knownCommitted());
        down.remove(id);
        invariants.restarted(id);
        events.put(id, new ArrayList<>());
    }

    // ---- Raft stand-in ----

    /** Can {@code candidate} win term raftTerm + 1: a majority of live voters on its side of any partition. */
    boolean canElect(String candidate) {
        return !down.contains(candidate) && electorate(candidate).size() >= ids.size() / 2 + 1;
    }

    private List<String> electorate(String candidate) {
        return ids.stream().filter(id -> !down.contains(id) && connected(candidate, id)).toList();
    }

    /**
     * Makes {@code leader} the Raft leader of a new term: a majority of voters on its side durably move to the
     * term at once (they voted); the leader learns it leads at once; everyone else learns of it through notices
     * (immediately if {@code notifyAll}).
     */
    void elect(String leader, Random random, boolean notifyAll) {
        if (!canElect(leader)) {
            throw new IllegalStateException(leader + " cannot win an election now");
        }
        raftTerm++;
        raftLeader = leader;
        List<String> voters = new ArrayList<>(electorate(leader));
        voters.remove(leader);
        if (random != null) {
            java.util.Collections.shuffle(voters, random);
        }
        List<String> granted = voters.subList(0, ids.size() / 2);
        trace.add("elect " + leader + " term " + raftTerm + " votes " + granted);
        for (String v : granted) {
            tell(v, raftTerm, null);
        }
        tell(leader, raftTerm, leader);
        for (String id : ids) {
            if (!id.equals(leader)) {
                notices.add(new RaftNotice(id, raftTerm, leader));
            }
        }
        if (notifyAll) {
            deliverAllNotices();
        }
    }

    /** The leader steps down without a new term (CheckQuorum): Raft has no leader until the next election. */
    void leaderStepsDown() {
        if (raftLeader != null && !down.contains(raftLeader)) {
            trace.add("step down " + raftLeader);
            tell(raftLeader, raftTerm, null);
        }
        raftLeader = null;
    }

    void tell(String id, long term, String leader) {
        if (down.contains(id)) {
            return;
        }
        durableTerm.merge(id, term, Math::max);
        nodes.get(id).raftLeaderChanged(term, leader);
    }

    void deliverNotice(int i) {
        RaftNotice n = notices.remove(i);
        tell(n.to(), n.term(), n.leader());
    }

    void deliverAllNotices() {
        while (!notices.isEmpty()) {
            deliverNotice(0);
        }
    }

    // ---- failures ----

    void crash(String id) {
        trace.add("crash " + id);
        down.add(id);
        if (id.equals(raftLeader)) {
            raftLeader = null; // Raft has no leader until the next election
        }
    }

    /** Starts a crashed node again: empty, epoch 0, knowing only its durable Raft term. */
    void restart(String id) {
        trace.add("restart " + id);
        start(id);
        if (raftLeader != null) {
            notices.add(new RaftNotice(id, raftTerm, raftLeader));
        }
    }

    void partition(Set<String> side) {
        trace.add("partition " + side);
        partitionSide = Set.copyOf(side);
    }

    void heal() {
        trace.add("heal");
        partitionSide = null;
    }

    boolean connected(String a, String b) {
        return partitionSide == null || partitionSide.contains(a) == partitionSide.contains(b);
    }

    // ---- clients ----

    Admission write(String at, VolatileOp op) {
        long id = nextRequestId++;
        Admission a = nodes.get(at).propose(id, op);
        if (a.accepted()) {
            proposed.put(id, op);
        }
        return a;
    }

    Admission write(VolatileOp op) {
        return write(raftLeader, op);
    }

    Admission readStrong(String at, String key) {
        long id = nextRequestId++;
        ackedWhenReadAsked.put(id, invariants.maxAckedIndex());
        return nodes.get(at).readStrong(id, key);
    }

    // ---- running ----

    /** Takes the node's Ready: queues its messages, records its outputs, checks the invariants. */
    void collect(String id) {
        if (down.contains(id)) {
            return;
        }
        VolatileReplica node = nodes.get(id);
        VolatileReady ready = node.ready();
        for (VolatileMessage m : ready.messages()) {
            sentByKind.merge(m.type() + (m.carriesSnapshot() ? "+snapshot" : ""), 1, Integer::sum);
            if (m.carriesSnapshot()) {
                snapshotsSent++;
            } else if (m.type() == VolatileMessageType.SYNC) {
                opsReplayed += m.transfer().ops().size();
            }
        }
        inFlight.addAll(ready.messages());
        events.get(id).addAll(ready.events());
        invariants.onReady(node, ready);
        VolatileInvariants.check(!node.isSynced() || node.lastIndex() >= committedAtStart.get(id), id
                + " claims volatile memory (epoch " + node.historyEpoch() + ") but lacks ops committed before it started");
        for (WriteOutcome o : ready.writeOutcomes()) {
            outcomes.put(o.requestId(), o);
            invariants.onWriteOutcome(o, proposed.get(o.requestId()));
        }
        for (ReadResult r : ready.readResults()) {
            reads.put(r.requestId(), r);
            invariants.onStrongRead(r, ackedWhenReadAsked.get(r.requestId()));
        }
    }

    void collectAll() {
        for (String id : ids) {
            collect(id);
        }
    }

    /** Delivers in-flight message {@code i} (dropped if its receiver is down or cut off). */
    void deliver(int i) {
        VolatileMessage m = inFlight.remove(i);
        if (!down.contains(m.to()) && connected(m.from(), m.to())) {
            nodes.get(m.to()).step(m);
        }
    }

    /** Collects and delivers in FIFO order until nothing moves. */
    void settle() {
        for (int rounds = 0; rounds < 10_000; rounds++) {
            collectAll();
            if (inFlight.isEmpty()) {
                return;
            }
            if (rounds >= 10_000 - 3) {
                trace.add("unsettled: " + inFlight);
            }
            while (!inFlight.isEmpty()) {
                deliver(0);
            }
        }
        throw new AssertionError("the volatile cluster did not settle");
    }

    void tickAll(int ticks) {
        for (int t = 0; t < ticks; t++) {
            for (VolatileReplica n : live()) {
                n.tick();
            }
            settle();
        }
    }

    /** True when every live node is synced with the active leader's epoch and holds the same applied keyspace. */
    boolean converged() {
        VolatileReplica leader = leader();
        if (leader == null || !leader.isActiveLeader() || !inFlight.isEmpty()) {
            return false;
        }
        for (VolatileReplica n : live()) {
            if (n.historyEpoch() != leader.term() || n.appliedIndex() != leader.appliedIndex()
                    || n.lastIndex() != leader.lastIndex() || !n.fingerprint().equals(leader.fingerprint())) {
                return false;
            }
        }
        return true;
    }

    String describe() {
        StringBuilder sb = new StringBuilder("raft term " + raftTerm + " leader " + raftLeader + "\n");
        for (String id : ids) {
            sb.append("  ").append(down.contains(id) ? id + " DOWN" : nodes.get(id).toString()).append('\n');
        }
        return sb.toString();
    }
}
