package io.raftx.sim;

import io.raftx.raft.HardState;
import io.raftx.raft.Ready;
import io.raftx.raft.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The chaos agent. Once per tick it may start a partition, block one direction of a link, crash a node, force
 * campaigns, transfer leadership, compact a log, take the next step of a {@link MembershipChurn} or falsely report
 * a live leader unreachable ({@link UnreachableReports}); each
 * outage is undone by an event scheduled when it starts. Crashes prefer the leader half of the time, because a
 * leader dying mid-replication is where most interesting histories start; and a node may die right after
 * persisting a vote, the window a lost vote would need. Outages started before {@link #stop()} heal as no-ops.
 */
final class Nemesis {

    private static final CrashPoint[] INSIDE_READY =
            {CrashPoint.AFTER_EAGER_SEND, CrashPoint.AFTER_PERSIST, CrashPoint.AFTER_SEND};

    private final SimCluster cluster;
    private final Random random;
    private final FaultPlan plan;
    private final MembershipChurn churn;
    private final UnreachableReports unreachableReports;
    /** Bumped by stop(): scheduled heals and ticks of an earlier run see a stale generation and do nothing. */
    private int generation;
    private boolean running;
    private int activePartitions;

    Nemesis(SimCluster cluster, Random random, FaultPlan plan, UnreachableReports unreachableReports) {
        this.cluster = cluster;
        this.random = random;
        this.plan = plan;
        this.churn = new MembershipChurn(cluster, random, plan.churn());
        this.unreachableReports = unreachableReports;
    }

    boolean isRunning() {
        return running;
    }

    /** Acts once per tick from now on. */
    void start() {
        if (running) {
            return;
        }
        running = true;
        int gen = generation;
        cluster.schedule(SimCluster.TICK, new EventQueue.Action() {
            @Override
            public boolean run() {
                if (gen != generation) {
                    return false;
                }
                cluster.schedule(SimCluster.TICK, this);
                return act();
            }
        });
    }

    /** One tick of chaos. Returns true if it changed anything. */
    private boolean act() {
        boolean acted = false;
        if (activePartitions == 0 && chance(plan.partitionRate())) {
            startPartition();
            acted = true;
        }
        if (chance(plan.oneWayRate())) {
            acted |= startOneWayBlock();
        }
        if (chance(plan.crashRate())) {
            acted |= crashSomeone();
        }
        if (chance(plan.campaignRate())) {
            acted |= campaignStorm();
        }
        if (chance(plan.transferRate())) {
            acted |= transferLeadership();
        }
        if (chance(plan.compactionRate())) {
            acted |= compactSomeone();
        }
        if (chance(plan.churn().rate())) {
            acted |= churn.act();
        }
        acted |= unreachableReports.maybeFalseReport();
        return acted;
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    /** Runs {@code heal} after 1..maxOutageTicks ticks, unless the nemesis was stopped meanwhile. */
    private void healLater(long delayUnits, Runnable heal) {
        int gen = generation;
        cluster.schedule(delayUnits, () -> {
            if (gen != generation) {
                return false;
            }
            heal.run();
            return true;
        });
    }

    private long outageTicks() {
        return (1 + random.nextInt(plan.maxOutageTicks())) * (long) SimCluster.TICK;
    }

    /** Downtime from one unit (a supervisor restarts the process at once) to maxOutageTicks ticks. */
    private long downtime() {
        return 1 + random.nextInt(plan.maxOutageTicks() * SimCluster.TICK);
    }

    private void startPartition() {
        List<String> ids = new ArrayList<>(cluster.ids());
        Collections.shuffle(ids, random);
        int groups = ids.size() > 3 && random.nextBoolean() ? 3 : 2;
        List<List<String>> split = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            split.add(new ArrayList<>());
        }
        for (int i = 0; i < ids.size(); i++) {
            // The first `groups` nodes seed one group each, so no group is empty.
            split.get(i < groups ? i : random.nextInt(groups)).add(ids.get(i));
        }
        var links = cluster.network().partition(split);
        activePartitions++;
        cluster.stats().partitions++;
        cluster.trace("partition", split.toString());
        healLater(outageTicks(), () -> {
            cluster.network().unblock(links);
            activePartitions--;
            cluster.trace("heal", split.toString());
        });
    }

    private boolean startOneWayBlock() {
        List<String> ids = cluster.ids();
        String from = ids.get(random.nextInt(ids.size()));
        String to = ids.get(random.nextInt(ids.size()));
        if (from.equals(to)) {
            return false;
        }
        cluster.network().blockOneWay(from, to);
        cluster.trace("block", from + "->" + to);
        healLater(outageTicks(), () -> {
            cluster.network().unblockOneWay(from, to);
            cluster.trace("unblock", from + "->" + to);
        });
        return true;
    }

    private boolean crashSomeone() {
        List<SimNode> up = cluster.nodes().stream().filter(n -> n.isUp() && !n.isArmed()).toList();
        if (up.isEmpty()) {
            return false;
        }
        SimNode victim = up.stream().filter(n -> n.raft().role() == Role.LEADER).findFirst()
                .filter(l -> random.nextBoolean())
                .orElseGet(() -> up.get(random.nextInt(up.size())));
        CrashPoint point = chance(plan.midReadyCrashShare())
                ? INSIDE_READY[random.nextInt(INSIDE_READY.length)] : CrashPoint.NOW;
        cluster.crashNode(victim.id(), point);
        String id = victim.id();
        healLater(downtime(), () -> cluster.recoverNode(id));
        return true;
    }

    /**
     * One or two nodes that know no leader start an election in the same instant, as their timers could. Nodes that
     * hear from a leader are left alone: forcing them would break the CheckQuorum lease, which no timer can do.
     */
    private boolean campaignStorm() {
        List<SimNode> up = new ArrayList<>(cluster.nodes().stream()
                .filter(n -> n.isUp() && n.raft().leaderId() == null).toList());
        Collections.shuffle(up, random);
        List<SimNode> campaigners = up.subList(0, Math.min(up.size(), 1 + random.nextInt(2)));
        for (SimNode n : campaigners) {
            cluster.trace("campaign", n.id());
            n.raft().campaign();
        }
        campaigners.forEach(SimNode::processReadies);
        return !campaigners.isEmpty();
    }

    /** The leader hands over to a random other voter (the way an operator or a rolling restart would). */
    private boolean transferLeadership() {
        SimNode leader = cluster.stableLeader();
        if (leader == null) {
            return false;
        }
        List<String> others = leader.raft().voters().stream().filter(v -> !v.equals(leader.id())).toList();
        if (others.isEmpty()) {
            return false; // the only voter
        }
        String target = others.get(random.nextInt(others.size()));
        cluster.trace("transfer", leader.id() + "->" + target);
        cluster.stats().transfers++;
        leader.raft().transferLeadership(target);
        leader.processReadies();
        return true;
    }

    /** A random node snapshots and compacts, keeping 0..20 entries before the snapshot in its log. */
    private boolean compactSomeone() {
        List<SimNode> up = cluster.nodes().stream().filter(SimNode::isUp).toList();
        if (up.isEmpty()) {
            return false;
        }
        SimNode n = up.get(random.nextInt(up.size()));
        boolean done = n.snapshotAndCompact(random.nextInt(21));
        return done;
    }

    /** Asked at every Ready: may die inside the Ready that records a vote for another node, and come back soon. */
    CrashPoint crashPoint(SimNode node, Ready ready) {
        HardState hs = ready.hardState();
        if (!running || hs == null || hs.votedFor() == null || hs.votedFor().equals(node.id())
                || Objects.equals(hs.votedFor(), node.storage().hardState().votedFor())
                        && hs.term() == node.storage().hardState().term()
                || !chance(plan.voteCrashRate())) {
            return null;
        }
        String id = node.id();
        healLater(1 + random.nextInt(2 * SimCluster.TICK), () -> cluster.recoverNode(id));
        return INSIDE_READY[random.nextInt(INSIDE_READY.length)];
    }

    /** Ends every outage now: heals the network and restarts every crashed node; pending heals become no-ops. */
    void stop() {
        running = false;
        churn.stop();
        generation++;
        activePartitions = 0;
        cluster.network().healAll();
        for (SimNode n : cluster.nodes()) {
            cluster.recoverNode(n.id());
        }
        cluster.trace("heal", "all");
    }
}
