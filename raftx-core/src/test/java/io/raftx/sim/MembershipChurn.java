package io.raftx.sim;

import io.raftx.raft.ConfigChange;
import io.raftx.raft.Membership;
import io.raftx.raft.Raft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * An operator who keeps changing the cluster's membership, one change at a time, acting on the leader the way the
 * runtime does ({@code MembershipCommands}):
 * <ul>
 *   <li>boots a brand-new node (empty log, no configuration: it waits to be added) and adds it as a learner;</li>
 *   <li>promotes a learner once the leader reports it caught up ({@code followerLag} between 0 and the plan's
 *       limit; -1 means it has not acknowledged the latest configuration yet);</li>
 *   <li>removes a voter or a learner. To remove the leader it first hands leadership to the most caught-up other
 *       voter and lets the new leader remove it (the runtime's rule); for a share of such removals the leader
 *       proposes its own removal instead, and the core steps it down once that commits;</li>
 *   <li>shuts down removed nodes (and nodes whose addition was lost) a while later; until then they keep running,
 *       possibly unaware that they were removed.</li>
 * </ul>
 * Node ids are never reused. Every decision uses the seed's random stream.
 */
final class MembershipChurn {

    private final SimCluster cluster;
    private final Random random;
    private final ChurnPlan plan;
    /** A member being removed, possibly waiting for the leadership to move off it; null if none. */
    private String removing;
    private boolean removingWasLeader;
    /** For the current removal of the leader: it proposes its own removal instead of handing over first. */
    private boolean selfRemoval;
    /** A booted node whose addition was refused: the next addition reuses it. */
    private String idleSpare;
    private final Set<String> retiring = new HashSet<>();

    MembershipChurn(SimCluster cluster, Random random, ChurnPlan plan) {
        this.cluster = cluster;
        this.random = random;
        this.plan = plan;
    }

    /** One step of the operator. Returns true if it changed anything. */
    boolean act() {
        boolean acted = scheduleRetirements();
        SimNode leader = cluster.stableLeader();
        if (leader == null) {
            return acted;
        }
        if (removing != null) {
            return continueRemoval(leader) || acted;
        }
        Membership m = leader.raft().membership();
        List<String> caughtUp = m.learners().stream().sorted().filter(l -> isCaughtUp(leader.raft(), l)).toList();
        if (!caughtUp.isEmpty() && random.nextInt(3) != 0) {
            return propose(leader, ConfigChange.promote(caughtUp.get(random.nextInt(caughtUp.size())))) || acted;
        }
        List<BooleanSupplier> options = new ArrayList<>();
        if (m.members().size() < plan.maxMembers() && m.learners().size() < 2) {
            options.add(() -> addLearner(leader));
        }
        if (m.voters().size() > plan.minVoters()) {
            List<String> voters = m.voters().stream().sorted().toList();
            options.add(() -> startRemoval(leader, voters.get(random.nextInt(voters.size()))));
        }
        if (!m.learners().isEmpty()) {
            List<String> learners = m.learners().stream().sorted().toList();
            options.add(() -> startRemoval(leader, learners.get(random.nextInt(learners.size()))));
        }
        if (options.isEmpty()) {
            return acted;
        }
        return options.get(random.nextInt(options.size())).getAsBoolean() || acted;
    }

    private boolean isCaughtUp(Raft leader, String learner) {
        long lag = leader.followerLag(learner);
        return lag >= 0 && lag <= plan.maxPromotionLag();
    }

    private boolean addLearner(SimNode leader) {
        String id = idleSpare != null ? idleSpare : cluster.startJoiningNode().id();
        idleSpare = null;
        if (!propose(leader, ConfigChange.addLearner(id))) {
            idleSpare = id; // never a member: the next addition takes it
        }
        return true;
    }

    private boolean startRemoval(SimNode leader, String id) {
        removing = id;
        removingWasLeader = id.equals(leader.id());
        selfRemoval = removingWasLeader && random.nextDouble() < plan.selfRemovalShare();
        cluster.trace("operator", "remove " + id + (removingWasLeader ? (selfRemoval ? " (leader, by itself)"
                : " (leader: hand over first)") : ""));
        return continueRemoval(leader);
    }

    /** Removes {@code removing} through the current leader; if that is the node itself, moves leadership first. */
    private boolean continueRemoval(SimNode leader) {
        Membership m = leader.raft().membership();
        if (!m.isMember(removing) || (m.isVoter(removing) && m.voters().size() <= plan.minVoters())) {
            removing = null; // gone already, or no longer allowed: drop the request
            return false;
        }
        if (!removing.equals(leader.id()) || selfRemoval) {
            if (propose(leader, ConfigChange.remove(removing))) {
                cluster.stats().removals++;
                cluster.stats().leaderRemovals += removingWasLeader ? 1 : 0;
                removing = null;
            }
            return true;
        }
        return Handover.start(cluster, leader); // then, on a later step, the new leader removes it
    }

    /** Returns true if the leader accepted the change. */
    private boolean propose(SimNode leader, ConfigChange change) {
        Proposal p = cluster.client().proposeConfigChange(leader, change);
        if (p.accepted()) {
            switch (change.type()) {
                case ADD_LEARNER -> cluster.stats().learnersAdded++;
                case PROMOTE -> cluster.stats().promotions++;
                case REMOVE -> { }
            }
        }
        return p.accepted();
    }

    /**
     * Nodes that belong neither to the committed configuration nor to the leader's latest one (removed, or booted
     * for an addition that was lost) are shut down 0..maxRetireTicks ticks later, if that still holds then.
     */
    private boolean scheduleRetirements() {
        boolean any = false;
        for (SimNode n : List.copyOf(cluster.nodes())) {
            String id = n.id();
            if (!n.isRetired() && !id.equals(idleSpare) && !retiring.contains(id) && isOutside(id)) {
                retiring.add(id);
                any = true;
                long delay = 1 + random.nextInt(plan.maxRetireTicks() * SimCluster.TICK + 1);
                cluster.schedule(delay, () -> {
                    retiring.remove(id);
                    return isOutside(id) && cluster.retireNode(id);
                });
            }
        }
        return any;
    }

    private boolean isOutside(String id) {
        SimNode leader = cluster.stableLeader();
        return leader != null && !cluster.committedMembership().isMember(id)
                && !leader.raft().membership().isMember(id);
    }

    /** Stops changing the membership (a pending removal is dropped); nodes already scheduled still retire. */
    void stop() {
        removing = null;
    }
}
