package io.raftx.spring.actuate.health;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.raft.Role;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The local Raft node's health: UP when it knows a leader and has applied what is committed (within a tolerated
 * lag); DOWN without a leader, or when its event loop stopped or does not answer; OUT_OF_SERVICE while it is not a
 * member (a joining node not added yet, or a removed one), or is catching up. Details: role, term, leader, commit
 * and applied index, lag, and whether it votes (a learner being added does not yet).
 */
public class RaftxHealthIndicator extends AbstractHealthIndicator {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final RaftNode node;
    private final long maxApplyLag;

    /** @param maxApplyLag committed entries the node may have left to apply and still be UP */
    public RaftxHealthIndicator(RaftNode node, long maxApplyLag) {
        super("RaftX health check failed");
        this.node = node;
        this.maxApplyLag = maxApplyLag;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        NodeStatus status = node.status();
        if (status == null) {
            builder.outOfService().withDetail("reason", "node not started");
            return;
        }
        long lag = status.commitIndex() - status.appliedIndex();
        builder.withDetail("nodeId", status.nodeId())
                .withDetail("role", status.role().name())
                .withDetail("term", status.term())
                .withDetail("leader", status.leaderId() == null ? "none" : status.leaderId())
                .withDetail("commitIndex", status.commitIndex())
                .withDetail("appliedIndex", status.appliedIndex())
                .withDetail("lastIndex", status.lastIndex())
                .withDetail("applyLag", lag)
                .withDetail("voter", status.membership().isVoter(status.nodeId()));
        String loopProblem = probeEventLoop();
        if (loopProblem != null) {
            builder.down().withDetail("reason", loopProblem);
        } else if (!status.membership().isMember(status.nodeId())) {
            builder.outOfService().withDetail("reason", "not a member of the cluster yet; waiting to be added");
        } else if (status.leaderId() == null) {
            builder.down().withDetail("reason", status.role() == Role.LEADER ? "leader not confirmed"
                    : "no leader: election in progress, or no majority of members reachable");
        } else if (lag > maxApplyLag) {
            builder.outOfService().withDetail("reason", "catching up: " + lag + " committed entries to apply");
        } else {
            builder.up();
        }
    }

    /** A no-op read through the event loop: proves the node runs and answers. Null when it does. */
    private String probeEventLoop() {
        try {
            node.read(ReadConsistency.LOCAL, () -> Boolean.TRUE).get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "event loop did not answer within " + PROBE_TIMEOUT.toMillis() + " ms";
        } catch (ExecutionException e) {
            return "node not running: " + e.getCause().getMessage();
        } catch (RuntimeException e) {
            return "node not running: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "health check interrupted";
        }
    }
}
