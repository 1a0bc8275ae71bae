package io.raftx.sim;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.Raft;
import io.raftx.volatiles.Admission;
import io.raftx.volatiles.ReadResult;
import io.raftx.volatiles.VolatileConfig;
import io.raftx.volatiles.VolatileInvariants;
import io.raftx.volatiles.VolatileMessage;
import io.raftx.volatiles.VolatileOp;
import io.raftx.volatiles.VolatileReady;
import io.raftx.volatiles.VolatileReplica;
import io.raftx.volatiles.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The volatile keyspace beside the simulated Raft nodes, wired the way {@code VolatileExtension} wires it on a real
 * node: every node that is up and knows a configuration runs a {@link VolatileReplica}, built with its durable Raft
 * term and a fresh incarnation at every start (a crash loses it); after every step it gets Raft's status (term,
 * leader, voters in force, last and commit index); its messages travel over the simulated network (same delays,
 * losses, duplicates and partitions as Raft's, plus losses and link cuts of their own, so that a voter can fall
 * behind on volatile ops while it keeps up with Raft); membership changes wait for
 * {@link VolatileReplica#configurationChangeHold} on the leader, as the runtime's membership gate does.
 *
 * <p>Crashes are kept inside the volatile failure model: a node may crash only if, in every configuration in force
 * (the committed one and every live node's latest), a majority of voters would still hold volatile memory (be up
 * and synced since their last start). Every Ready of every core goes through {@link VolatileInvariants}: one order
 * of ops at fixed positions on every node, keyspaces equal to the reference, acknowledged writes where they were
 * acknowledged, strong reads that see every earlier acknowledged write.
 */
final class VolatileSidecar {

    /** One node's running core, for the start of its Raft node it was built for. */
    private record Core(VolatileReplica replica, int raftIncarnation) {
    }

    /** What the core was last told, so that it is only told changes. */
    private record Told(long term, String leader, Set<String> voters, long lastIndex, long commit) {
    }

    private final SimCluster cluster;
    private final Random random;
    private final int ringCapacity;
    private final double extraDropRate;
    private final double linkCutRate;
    private final Map<String, Long> cutUntil = new HashMap<>();
    private final Map<String, Core> cores = new HashMap<>();
    private final Map<String, Told> told = new HashMap<>();
    private final VolatileInvariants invariants = new VolatileInvariants();
    private final Map<Long, VolatileOp> proposed = new HashMap<>();
    private final Map<Long, Long> ackedWhenReadAsked = new HashMap<>();
    private long starts;
    private long nextRequestId = 1;
    private boolean loadRunning;
    private int writesSent;
    long acknowledged;
    long readsServed;
    long crashesRefused;
    long changesHeld;

    VolatileSidecar(SimCluster cluster, Random random) {
        this.cluster = cluster;
        this.random = random;
        this.ringCapacity = 4 + random.nextInt(40);
        this.extraDropRate = random.nextDouble() * 0.2;
        this.linkCutRate = random.nextDouble() * 0.1;
        cluster.onStep(this::afterStep);
        cluster.guardCrashes(this::memorySurvivesCrashOf);
        cluster.holdMembershipChanges(this::changeHold);
        scheduleTicks();
        afterStep();
    }

    // ---- wiring ----

    private void afterStep() {
        for (SimNode n : cluster.nodes()) {
            String id = n.id();
            if (!n.isUp()) {
                if (cores.remove(id) != null) {
                    told.remove(id); // crashed: its volatile memory is gone
                }
                continue;
            }
            Core c = cores.get(id);
            Membership m = n.raft().membership();
            if (c == null || c.raftIncarnation() != n.incarnation()) {
                if (m.voters().isEmpty()) {
                    continue; // a joining node learns its configuration from the leader's log first
                }
                c = start(n, m);
            }
            tell(c.replica(), n);
        }
        drainAll();
    }

    private Core start(SimNode n, Membership m) {
        VolatileConfig config = VolatileConfig.of(n.id(), List.copyOf(m.voters())).withRingCapacity(ringCapacity)
                .withTimers(1, 3, 8, 30).withBatching(Math.min(ringCapacity, 16), 1 + random.nextInt(4));
        Core c = new Core(new VolatileReplica(config, n.storage().hardState().term(), ++starts), n.incarnation());
        cores.put(n.id(), c);
        told.remove(n.id());
        invariants.restarted(n.id());
        return c;
    }

    /** Raft's durable state as the runtime publishes it: only terms that are on disk. */
    private void tell(VolatileReplica core, SimNode n) {
        Raft raft = n.raft();
        long durable = n.storage().hardState().term();
        String leader = raft.term() == durable ? raft.leaderId() : null;
        Told now = new Told(durable, leader, raft.membership().voters(), raft.lastIndex(), raft.commitIndex());
        Told before = told.put(n.id(), now);
        if (!now.equals(before)) {
            boolean wasActive = core.isActiveLeader();
            core.raftStatus(now.term(), now.leader(), now.voters(), now.lastIndex(), now.commit());
            if (before == null || !before.voters().equals(now.voters()) || core.isActiveLeader() != wasActive) {
                cluster.trace("volatile", core + " voters " + new java.util.TreeSet<>(now.voters())
                        + " raft last " + now.lastIndex() + " commit " + now.commit());
            }
        }
    }

    private void drainAll() {
        boolean any = true;
        for (int round = 0; any && round < 1000; round++) {
            any = false;
            for (Map.Entry<String, Core> e : List.copyOf(cores.entrySet())) {
                VolatileReplica core = e.getValue().replica();
                if (core.hasReady()) {
                    any = true;
                    collect(core, core.ready());
                }
            }
        }
    }

    private void collect(VolatileReplica core, VolatileReady ready) {
        try {
            invariants.onReady(core, ready);
            for (WriteOutcome o : ready.writeOutcomes()) {
                if (o.status() == WriteOutcome.Status.COMMITTED) {
                    cluster.trace("vack", core.id() + " " + o.index() + "@" + o.epoch());
                }
                invariants.onWriteOutcome(o, proposed.get(o.requestId()));
                acknowledged += o.status() == WriteOutcome.Status.COMMITTED ? 1 : 0;
            }
            for (ReadResult r : ready.readResults()) {
                invariants.onStrongRead(r, ackedWhenReadAsked.get(r.requestId()));
                readsServed += r.ok() ? 1 : 0;
            }
        } catch (AssertionError e) {
            throw cluster.violation("volatile keyspace", e.getMessage() + "\n" + describe(), e);
        }
        for (VolatileMessage m : ready.messages()) {
            send(m);
        }
    }

    private void send(VolatileMessage m) {
        FaultPlan f = cluster.network().faults();
        if (random.nextDouble() < f.dropRate() + extraDropRate) {
            return;
        }
        int copies = random.nextDouble() < f.duplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = f.minDelay() + random.nextInt(f.maxDelay() - f.minDelay() + 1);
            cluster.schedule(delay, () -> deliver(m));
        }
    }

    private boolean deliver(VolatileMessage m) {
        Core to = cores.get(m.to());
        if (to == null || cluster.network().isLinkBlocked(m.from(), m.to())
                || cutUntil.getOrDefault(m.from() + ">" + m.to(), 0L) > cluster.now()) {
            return false;
        }
        to.replica().step(m);
        return true;
    }

    private void scheduleTicks() {
        cluster.schedule(SimCluster.TICK, () -> {
            scheduleTicks();
            cores.values().forEach(c -> c.replica().tick());
            if (loadRunning && random.nextDouble() < linkCutRate && cores.size() > 1) {
                List<String> ids = new ArrayList<>(cores.keySet());
                ids.sort(null);
                String from = ids.get(random.nextInt(ids.size()));
                String to = ids.get(random.nextInt(ids.size()));
                cutUntil.put(from + ">" + to, cluster.now() + (1 + random.nextInt(30)) * (long) SimCluster.TICK);
            }
            return true;
        });
    }

    // ---- failure model and membership gate ----

    private boolean hasMemory(String id) {
        Core c = cores.get(id);
        return c != null && cluster.node(id).isUp() && c.replica().isSynced();
    }

    /** True if every configuration in force keeps a majority holding volatile memory without {@code victim}. */
    boolean memorySurvivesCrashOf(String victim) {
        Set<Set<String>> inForce = new HashSet<>();
        inForce.add(cluster.committedMembership().voters());
        for (SimNode n : cluster.nodes()) {
            if (n.isUp() && !n.raft().membership().voters().isEmpty()) {
                inForce.add(n.raft().membership().voters());
            }
        }
        for (Set<String> voters : inForce) {
            long holders = voters.stream().filter(v -> !v.equals(victim) && hasMemory(v)).count();
            if (holders < voters.size() / 2 + 1) {
                crashesRefused++;
                return false;
            }
        }
        return true;
    }

    private String changeHold(SimNode leader, ConfigChange change) {
        Membership current = leader.raft().membership();
        Core c = cores.get(leader.id());
        String hold = c == null ? "no volatile core on " + leader.id()
                : c.replica().configurationChangeHold(leader.raft().term(), current.voters(),
                        current.apply(change).voters());
        changesHeld += hold != null ? 1 : 0;
        return hold;
    }

    // ---- clients ----

    /** Volatile writes and strong reads to the Raft leader (sometimes to another node, which refuses). */
    void startLoad(int meanIntervalUnits) {
        loadRunning = true;
        cluster.schedule(1 + random.nextInt(2 * meanIntervalUnits), new EventQueue.Action() {
            @Override
            public boolean run() {
                if (!loadRunning) {
                    return false;
                }
                cluster.schedule(1 + random.nextInt(2 * meanIntervalUnits), this);
                return request();
            }
        });
    }

    void stopLoad() {
        loadRunning = false;
    }

    private boolean request() {
        SimNode leader = cluster.stableLeader();
        List<String> up = new ArrayList<>(cores.keySet());
        if (up.isEmpty()) {
            return false;
        }
        up.sort(null);
        String at = leader != null && cores.containsKey(leader.id()) && random.nextInt(10) < 9 ? leader.id()
                : up.get(random.nextInt(up.size()));
        VolatileReplica core = cores.get(at).replica();
        long id = nextRequestId++;
        String key = "k" + random.nextInt(6);
        if (random.nextInt(5) == 0) {
            ackedWhenReadAsked.put(id, invariants.maxAckedIndex());
            core.readStrong(id, key);
        } else {
            VolatileOp op = randomOp(key);
            Admission a = core.propose(id, op);
            if (a.accepted()) {
                proposed.put(id, op);
            }
        }
        drainAll();
        return true;
    }

    private VolatileOp randomOp(String key) {
        long ttl = random.nextBoolean() ? 0 : 1 + random.nextInt(40);
        return switch (random.nextInt(4)) {
            case 0, 1 -> VolatileOp.put(key, ("v" + writesSent++).getBytes(StandardCharsets.UTF_8), ttl);
            case 2 -> random.nextBoolean() ? VolatileOp.addToSet(key, "m" + random.nextInt(4), ttl)
                    : VolatileOp.removeFromSet(key, "m" + random.nextInt(4));
            default -> VolatileOp.delete(key);
        };
    }

    // ---- the end ----

    /**
     * True when the leader's core is active and every voter of its configuration runs a core synced with its epoch
     * at the same applied position (equal keyspaces follow from the invariants checked at every Ready).
     */
    boolean converged() {
        SimNode leader = cluster.stableLeader();
        Core lc = leader == null ? null : cores.get(leader.id());
        if (lc == null || !lc.replica().isActiveLeader()) {
            return false;
        }
        VolatileReplica l = lc.replica();
        for (String v : leader.raft().membership().voters()) {
            Core c = cores.get(v);
            if (c == null || c.replica().historyEpoch() != l.term() || c.replica().appliedIndex() != l.appliedIndex()
                    || c.replica().lastIndex() != l.lastIndex()) {
                return false;
            }
        }
        return true;
    }

    /** Every acknowledged write is applied on every converged voter, and no core ever rolled back. */
    void checkFinal() {
        List<VolatileReplica> voters = cluster.stableLeader().raft().membership().voters().stream()
                .map(v -> cores.get(v).replica()).toList();
        try {
            invariants.checkAllHoldAcknowledged(voters);
            for (Core c : cores.values()) {
                VolatileInvariants.check(c.replica().rollbacks() == 0, c.replica().id() + " rolled back committed state");
            }
        } catch (AssertionError e) {
            throw cluster.violation("volatile keyspace", e.getMessage() + "\n" + describe(), e);
        }
    }

    String describe() {
        StringBuilder sb = new StringBuilder("volatile cores:");
        cores.values().stream().map(c -> c.replica().toString()).sorted().forEach(s -> sb.append("\n  ").append(s));
        return sb.toString();
    }
}
