package io.raftx.sim;

import io.raftx.raft.RaftConfig;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Options for a {@link SimCluster}; start with {@link SimCluster#builder(long)}. */
public final class SimClusterBuilder {

    final long seed;
    int size = 3;
    FaultPlan faults = FaultPlan.smallDelay();
    UnaryOperator<RaftConfig> config = c -> c;
    Random random;
    int traceSize = 30;
    RuntimeDefect defect = RuntimeDefect.NONE;
    AutoSnapshot autoSnapshot;
    boolean stopsOnEmptyReady;
    int lateTickPercent;

    SimClusterBuilder(long seed) {
        this.seed = seed;
    }

    /** Voters n1..n{size}. */
    public SimClusterBuilder nodes(int size) {
        this.size = size;
        return this;
    }

    /** Message faults apply at once; outages only while the nemesis runs ({@link SimCluster#startNemesis()}). */
    public SimClusterBuilder faults(FaultPlan faults) {
        this.faults = faults;
        return this;
    }

    /** Adjusts each node's {@code RaftConfig.of(id, voters)}. */
    public SimClusterBuilder config(UnaryOperator<RaftConfig> config) {
        this.config = config;
        return this;
    }

    /** Continues an existing random stream (e.g. one that already picked the scenario from the seed). */
    public SimClusterBuilder random(Random random) {
        this.random = random;
        return this;
    }

    /** How many recent events a failure report shows. */
    public SimClusterBuilder traceSize(int traceSize) {
        this.traceSize = traceSize;
        return this;
    }

    /** Injects a runtime mistake, to prove the checker notices it (checker self-tests only). */
    public SimClusterBuilder defect(RuntimeDefect defect) {
        this.defect = defect;
        return this;
    }

    /** Every node snapshots and compacts on its own by this policy (null: only when told to). */
    public SimClusterBuilder autoSnapshot(AutoSnapshot policy) {
        this.autoSnapshot = policy;
        return this;
    }

    /**
     * Nodes leave their Ready loop at an empty Ready even while the core's hasReady() says true: a defensive runtime,
     * to look past an endless-Ready defect (a leader that removed itself; fixed, see MembershipRegressionTest).
     */
    public SimClusterBuilder stopOnEmptyReady(boolean stops) {
        this.stopsOnEmptyReady = stops;
        return this;
    }

    /** This share of every node's ticks comes late ({@code Raft#tickLate}), as after a pause of its process. */
    public SimClusterBuilder lateTicks(int percent) {
        this.lateTickPercent = percent;
        return this;
    }

    public SimCluster build() {
        return new SimCluster(this);
    }
}
