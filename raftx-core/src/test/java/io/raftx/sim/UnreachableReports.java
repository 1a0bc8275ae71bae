package io.raftx.sim;

import io.raftx.raft.Role;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * What a transport tells its node about a peer whose connection was refused or reset ({@code Raft.peerUnreachable}),
 * and then that a new connection was refused too ({@code Raft.peerDown}): a crashed process closes its sockets, so
 * every other live node hears of it after a network delay, and, while it stays down, that nothing listens there a
 * moment later; and, to prove the early election start safe, false reports of either kind about a live leader, to one
 * of its followers or to all of them at once (say the leader's network interface flapped). Off unless the fault plan
 * {@link FaultPlan#reportsUnreachable()}.
 */
final class UnreachableReports {

    private final SimCluster cluster;
    private final Random random;
    private final FaultPlan plan;

    UnreachableReports(SimCluster cluster, Random random, FaultPlan plan) {
        this.cluster = cluster;
        this.random = random;
        this.plan = plan;
    }

    /**
     * {@code id} died: each live node learns it (if still the same incarnation) just after the longest ordinary
     * network delay, since a reset arrives behind what the dead process had already sent on that connection, plus up
     * to {@link FaultPlan#reportSpread()} for a node whose transport notices late.
     */
    void crashed(String id) {
        if (!plan.reportsUnreachable()) {
            return;
        }
        SimNode dead = cluster.node(id);
        int deadIncarnation = dead.incarnation();
        for (SimNode n : cluster.nodes()) {
            if (n.isUp() && !n.id().equals(id)) {
                // no draw without a spread: the plans without one keep their seeds' histories
                long late = plan.reportSpread() > 0 ? random.nextInt(plan.reportSpread() + 1) : 0;
                long noticed = plan.maxDelay() + 1 + late;
                report(n, id, noticed, false, () -> true);
                if (!plan.downReports()) {
                    continue;
                }
                // the probe's connect: a round trip later, refused only if the process has not come back meanwhile
                report(n, id, noticed + 2L * plan.minDelay() + random.nextInt(plan.maxDelay() + 1), true,
                        () -> !dead.isUp() && dead.incarnation() == deadIncarnation);
            }
        }
    }

    /** One tick of the nemesis: maybe a false report that a live leader is unreachable. */
    boolean maybeFalseReport() {
        if (plan.unreachableRate() <= 0 || random.nextDouble() >= plan.unreachableRate()) { // no false reports
            return false;
        }
        List<SimNode> leaders = cluster.nodes().stream()
                .filter(n -> n.isUp() && n.raft().role() == Role.LEADER).toList();
        if (leaders.isEmpty()) {
            return false;
        }
        String leader = leaders.get(random.nextInt(leaders.size())).id();
        List<SimNode> followers = cluster.nodes().stream()
                .filter(n -> n.isUp() && leader.equals(n.raft().leaderId()) && !n.id().equals(leader)).toList();
        if (followers.isEmpty()) {
            return false;
        }
        List<SimNode> told = random.nextBoolean() ? followers : List.of(followers.get(random.nextInt(followers.size())));
        boolean down = plan.downReports() && random.nextBoolean();
        cluster.stats().falseUnreachableReports++;
        told.forEach(n -> report(n, leader, 0, down, () -> true));
        return true;
    }

    private void report(SimNode to, String peer, long delayUnits, boolean down, BooleanSupplier stillTrue) {
        int incarnation = to.incarnation();
        cluster.schedule(delayUnits, () -> {
            if (!to.isUp() || to.incarnation() != incarnation || !stillTrue.getAsBoolean()) {
                return false;
            }
            cluster.trace("unreachable", to.id() + " told " + peer + (down ? " is down" : " is unreachable"));
            cluster.stats().unreachableReports++;
            if (down) {
                cluster.stats().downReports++;
                to.raft().peerDown(peer);
            } else {
                to.raft().peerUnreachable(peer);
            }
            to.processReadies();
            return true;
        });
    }
}
