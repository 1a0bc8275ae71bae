package io.raftx.spring.autoconfigure;

import io.raftx.node.NodeStatus;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.spring.autoconfigure.diagnostics.PeerPortInUseException;
import io.raftx.spring.watch.ClusterWatchRegistry;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link RaftNode} with the application context and stops it gracefully: a leader first hands leadership
 * to another voter (bounded by {@code raftx.shutdown.leadership-transfer-timeout}), so the cluster does not wait an
 * election timeout for a new leader.
 */
public class RaftxNodeLifecycle implements SmartLifecycle {

    /** After the watch registry, and before the web server so that requests find a running node. */
    public static final int PHASE = ClusterWatchRegistry.PHASE + 1;

    private static final Logger log = LoggerFactory.getLogger(RaftxNodeLifecycle.class);

    private final RaftNode node;
    private final RaftxNodeSettings settings;
    private final Duration transferTimeout;
    private volatile boolean running;

    public RaftxNodeLifecycle(RaftNode node, RaftxNodeSettings settings, Duration transferTimeout) {
        this.node = node;
        this.settings = settings;
        this.transferTimeout = transferTimeout;
    }

    /** Idempotent: cluster configuration may start the node early, before the lifecycle phase does. */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (settings.developmentToken()) {
            log.warn("raftx.cluster-token is not set: node {} uses the public development token, accepted only"
                    + " because every member is on loopback. Set raftx.cluster-token before listing other hosts.",
                    settings.nodeId());
        }
        try {
            node.start();
        } catch (RuntimeException e) {
            node.close(); // the event loop may already run; do not leave it behind a failed start
            throw portInUse(e).map(RuntimeException.class::cast).orElse(e);
        }
        running = true;
        log.info("RaftX node {} started at {} (members {}, data in {})", settings.nodeId(), settings.address(),
                settings.members(), settings.dataDir().toAbsolutePath());
    }

    private Optional<PeerPortInUseException> portInUse(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // grpc-netty reports a taken port as BindException (NIO) or as a native epoll error with this text.
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return Optional.of(new PeerPortInUseException(settings.transportConfig().bindHost(),
                        settings.transportConfig().port(), e));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        handOverLeadership();
        node.close();
    }

    /**
     * Tries the other voters in turn, each with an equal share of what is left of the timeout: which of them are up
     * is not known here, and a transfer to a stopped node only fails when its share runs out.
     */
    private void handOverLeadership() {
        NodeStatus status = node.status();
        if (status == null || status.role() != Role.LEADER || transferTimeout.isZero()) {
            return;
        }
        List<String> successors = status.membership().voters().stream()
                .filter(id -> !id.equals(settings.nodeId())).sorted().toList();
        long started = System.nanoTime();
        long deadline = started + transferTimeout.toNanos();
        for (int i = 0; i < successors.size(); i++) {
            String successor = successors.get(i);
            long share = (deadline - System.nanoTime()) / (successors.size() - i);
            if (share <= 0) {
                break;
            }
            try {
                node.transferLeadership(successor).get(share, TimeUnit.NANOSECONDS);
                log.info("Node {} handed leadership to {} in {} ms before stopping", settings.nodeId(), successor,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.info("Node {} could not hand leadership to {} ({})", settings.nodeId(), successor,
                        e instanceof ExecutionException ? e.getCause().getMessage() : "no answer in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!successors.isEmpty()) {
            log.warn("Node {} stops while leading: no other voter took over within {}; the others elect a new"
                    + " leader", settings.nodeId(), transferTimeout);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
