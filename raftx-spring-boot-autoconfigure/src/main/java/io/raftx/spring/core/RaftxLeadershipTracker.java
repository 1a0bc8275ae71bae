package io.raftx.spring.core;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Samples the node's status every {@code interval} and logs when the known leader changes, counting leader changes
 * and elections (term increases) for the metrics. Changes that start and end between two samples are not seen, so
 * the counts are a lower bound; with the interval at one tick that takes less than an election round.
 */
public class RaftxLeadershipTracker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RaftxLeadershipTracker.class);

    private final RaftNode node;
    private final Duration interval;
    private final int phase;
    private final LongAdder leaderChanges = new LongAdder();
    private final LongAdder elections = new LongAdder();
    private ScheduledExecutorService sampler;
    // Only touched by the sampler thread.
    private long lastTerm = -1;
    private String lastLeader;

    /** @param phase lifecycle phase; must be after the node's so that sampling starts on a running node */
    public RaftxLeadershipTracker(RaftNode node, Duration interval, int phase) {
        this.node = node;
        this.interval = interval;
        this.phase = phase;
    }

    /** Times a different leader was seen (including the first one after start-up). */
    public long leaderChanges() {
        return leaderChanges.sum();
    }

    /** Term increases seen: each is an election some node started. */
    public long elections() {
        return elections.sum();
    }

    private void sample() {
        NodeStatus status = node.status();
        if (status == null) {
            return;
        }
        if (lastTerm >= 0 && status.term() > lastTerm) {
            elections.add(status.term() - lastTerm);
        }
        lastTerm = Math.max(lastTerm, status.term());
        String leader = status.leaderId();
        if (leader != null && !leader.equals(lastLeader)) {
            leaderChanges.increment();
            log.info("Node {}: leader is now {} (term {})", status.nodeId(), leader, status.term());
            lastLeader = leader;
        } else if (leader == null && lastLeader != null) {
            log.info("Node {}: lost leader {} (term {}); waiting for an election", status.nodeId(), lastLeader,
                    status.term());
            lastLeader = null;
        }
    }

    @Override
    public synchronized void start() {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftx-leadership-" + node.id());
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        sampler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                log.debug("leadership sample failed", e);
            }
        }, 0, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sampler != null;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
