package io.raftx.sim;

import java.util.Locale;
import java.util.Random;

/**
 * How the simulated operator changes the cluster's membership (see {@link MembershipChurn}).
 *
 * @param rate              chance per tick that the operator takes its next step
 * @param minVoters         never remove a voter below this many
 * @param maxMembers        never add a learner beyond this many voters and learners
 * @param maxPromotionLag   a learner is promoted once the leader reports it at most this many entries behind
 * @param selfRemovalShare  share of leader removals the leader proposes itself (the core steps it down once the
 *                          change commits) instead of handing over first and letting the new leader remove it (the
 *                          runtime's rule)
 * @param maxRetireTicks    a removed node keeps running, unaware, for 0..maxRetireTicks ticks before it is shut down
 */
public record ChurnPlan(double rate, int minVoters, int maxMembers, int maxPromotionLag, double selfRemovalShare,
                        int maxRetireTicks) {

    public static final ChurnPlan NONE = new ChurnPlan(0, 1, 1, 0, 0, 0);

    public ChurnPlan {
        if (minVoters < 1 || maxMembers < minVoters || maxPromotionLag < 0 || maxRetireTicks < 0) {
            throw new IllegalArgumentException("invalid churn plan");
        }
    }

    public boolean active() {
        return rate > 0;
    }

    /**
     * A random plan for one seed: membership changes every few ticks to every few dozen. In some seeds leaders also
     * propose their own removal directly instead of handing over first.
     */
    public static ChurnPlan random(Random r) {
        int minVoters = 1 + r.nextInt(3);
        double selfRemoval = r.nextInt(3) == 0 ? r.nextDouble() : 0;
        return new ChurnPlan(0.02 + r.nextDouble() * 0.2, minVoters, minVoters + 2 + r.nextInt(5), r.nextInt(8),
                selfRemoval, r.nextInt(60));
    }

    public String describe() {
        return active() ? String.format(Locale.ROOT, "churn=%.1f%%/t voters>=%d members<=%d promote-lag<=%d "
                + "self-removal=%.0f%% retire<=%dt", rate * 100, minVoters, maxMembers, maxPromotionLag,
                selfRemovalShare * 100, maxRetireTicks) : "no churn";
    }
}
