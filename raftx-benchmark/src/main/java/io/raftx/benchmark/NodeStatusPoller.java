package io.raftx.benchmark;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks every node for its status ({@code raftx.v1.Admin/Status} on its client port), one thread per node so that a
 * paused node (whose calls time out) does not hold up the others, and keeps each node's latest answer with the time
 * its request was sent. Every {@value #FAST_INTERVAL_MS} ms while a failover is being timed ({@link #fast()}), else
 * every {@value #SLOW_INTERVAL_MS} ms: at the fast rate the polls of nine nodes alone are 1,800 calls a second, load
 * the nodes would otherwise carry through the whole run on a 2-core machine.
 */
final class NodeStatusPoller implements AutoCloseable {

    /** A node's answer and when the request for it left (System.nanoTime()). */
    record Seen(StatusResponse status, long askedAt) {
    }

    /** The leader a majority of the cluster names, with its term. */
    record Leader(String id, long term) {
    }

    private static final long FAST_INTERVAL_MS = 5;
    private static final long SLOW_INTERVAL_MS = 100;
    private static final long DEADLINE_MS = 200;

    private final int size;
    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object pace = new Object();
    private volatile long intervalMs = SLOW_INTERVAL_MS;
    private volatile boolean running = true;

    NodeStatusPoller(Map<String, String> clientEndpointsById) {
        this.size = clientEndpointsById.size();
        clientEndpointsById.forEach((id, endpoint) -> {
            int colon = endpoint.lastIndexOf(':');
            ManagedChannel ch = NettyChannelBuilder.forAddress(endpoint.substring(0, colon),
                    Integer.parseInt(endpoint.substring(colon + 1))).usePlaintext().build();
            channels.add(ch);
            Thread t = new Thread(() -> poll(id, AdminGrpc.newBlockingStub(ch)), "status-" + id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        });
    }

    private void poll(String id, AdminGrpc.AdminBlockingStub stub) {
        while (running) {
            long askedAt = System.nanoTime();
            try {
                StatusResponse s = stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .status(StatusRequest.getDefaultInstance());
                latest.put(id, new Seen(s, askedAt));
            } catch (RuntimeException e) {
                latest.remove(id); // down, paused or not started: it names no leader
            }
            try {
                synchronized (pace) {
                    pace.wait(intervalMs); // fast() wakes it, so the first fast poll is not a slow interval late
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Polls every {@value #FAST_INTERVAL_MS} ms from now on, starting at once. */
    void fast() {
        intervalMs = FAST_INTERVAL_MS;
        synchronized (pace) {
            pace.notifyAll();
        }
    }

    /** Polls every {@value #SLOW_INTERVAL_MS} ms from now on. */
    void slow() {
        intervalMs = SLOW_INTERVAL_MS;
    }

    /**
     * The leader that a majority of all nodes name in answers to requests sent at or after {@code since}, or null.
     */
    Leader leaderKnownToMajority(long since) {
        Map<Leader, Integer> votes = new HashMap<>();
        for (Seen s : latest.values()) {
            if (s.askedAt() >= since && !s.status().getLeaderId().isEmpty()) {
                votes.merge(new Leader(s.status().getLeaderId(), s.status().getTerm()), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().filter(e -> e.getValue() >= size / 2 + 1).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** True if every node answered since {@code since}, all naming {@code leader}, and all applied up to {@code index}. */
    boolean allFollow(Leader leader, long since, long index) {
        if (latest.size() < size) {
            return false;
        }
        for (Seen s : latest.values()) {
            if (s.askedAt() < since || !Objects.equals(s.status().getLeaderId(), leader.id())
                    || s.status().getTerm() != leader.term() || s.status().getAppliedIndex() < index) {
                return false;
            }
        }
        return true;
    }

    /**
     * The leader-silence thresholds the nodes other than {@code leaderId} last reported, in ms, lowest first: how long
     * each follower would wait without a message before counting that leader silent.
     */
    List<Long> followersSilenceThresholdsMs(String leaderId) {
        return latest.entrySet().stream().filter(e -> !e.getKey().equals(leaderId))
                .map(e -> e.getValue().status().getLeaderSilenceThresholdMs()).sorted().toList();
    }

    /** The latest commit index any node reported (0 if none answered). */
    long highestCommit() {
        return latest.values().stream().mapToLong(s -> s.status().getCommitIndex()).max().orElse(0);
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
