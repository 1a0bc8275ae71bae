package io.raftx.it;

import io.etcd.jetcd.api.KVGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.server.proto.AdminGrpc;
import io.raftx.server.proto.StatusRequest;
import io.raftx.server.proto.StatusResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A cluster of {@link ChildNode} processes on loopback, with one client channel per node for the etcd KV API and
 * the {@code raftx.v1.Admin/Status} service.
 */
final class ProcessCluster implements AutoCloseable {

    private static final String TOKEN = "process-cluster-token-0123456789";

    private final Map<String, ChildNode> nodes = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private final String members;

    ProcessCluster(int size, Path dataRoot, Path logDir, int tickMillis) {
        this(size, "n", dataRoot, logDir, tickMillis, List.of());
    }

    /** Nodes {@code <prefix>1..<prefix>size}; {@code extra}: further arguments for every node. */
    ProcessCluster(int size, String prefix, Path dataRoot, Path logDir, int tickMillis, List<String> extra) {
        Map<String, String> peerAddresses = new LinkedHashMap<>();
        Map<String, String> clientAddresses = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            peerAddresses.put(prefix + i, "127.0.0.1:" + io.raftx.node.GrpcPorts.free());
            clientAddresses.put(prefix + i, "127.0.0.1:" + io.raftx.node.GrpcPorts.free());
        }
        members = peerAddresses.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        peerAddresses.forEach((id, peer) -> {
            String client = clientAddresses.get(id);
            nodes.put(id, new ChildNode(id, peer, client, dataRoot.resolve(id), logDir, members, TOKEN, tickMillis,
                    extra));
            int port = Integer.parseInt(client.substring(client.lastIndexOf(':') + 1));
            channels.put(id, NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        });
    }

    /** {@code id=host:port,...}: the members as {@code --members} names them. */
    String members() {
        return members;
    }

    ChildNode node(String id) {
        return nodes.get(id);
    }

    ManagedChannel channel(String id) {
        return channels.get(id);
    }

    static String token() {
        return TOKEN;
    }

    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    void startAll(Duration readyTimeout) throws InterruptedException {
        nodes.values().forEach(ChildNode::start);
        for (ChildNode n : nodes.values()) {
            n.awaitReady(readyTimeout);
        }
    }

    void kill(String id) throws InterruptedException {
        nodes.get(id).kill();
    }

    void restart(String id, Duration readyTimeout) throws InterruptedException {
        nodes.get(id).start();
        nodes.get(id).awaitReady(readyTimeout);
        // The channel backed off while the node was down; without this the first calls would fail fast for seconds.
        channels.get(id).resetConnectBackoff();
    }

    KVGrpc.KVBlockingStub kv(String id) {
        return KVGrpc.newBlockingStub(channels.get(id));
    }

    /** The node's own view, or empty if it does not answer within a second (down, restarting, overloaded). */
    Optional<StatusResponse> status(String id) {
        try {
            return Optional.of(AdminGrpc.newBlockingStub(channels.get(id)).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A leader that a majority (itself included) agrees on, in one term: a node that merely still believes it
     * leads (it has not noticed it was deposed) does not count.
     */
    Optional<String> agreedLeader() {
        Map<String, StatusResponse> views = new LinkedHashMap<>();
        for (String id : nodes.keySet()) {
            status(id).ifPresent(s -> views.put(id, s));
        }
        for (StatusResponse s : views.values()) {
            if (s.getRole().equals("LEADER")) {
                long agreeing = views.values().stream().filter(v -> v.getTerm() == s.getTerm()
                        && v.getLeaderId().equals(s.getNodeId())).count();
                if (agreeing > nodes.size() / 2) {
                    return Optional.of(s.getNodeId());
                }
            }
        }
        return Optional.empty();
    }

    String awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> leader = agreedLeader();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader agreed by a majority within " + timeout + "; statuses: "
                        + statuses());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until the leader has committed its whole log and every node has applied all of it. Meant for a quiet
     * cluster (no writes in flight), where this is the state every node settles in.
     */
    void awaitAllCaughtUp(Duration timeout) throws InterruptedException {
        awaitCondition("every node applied the leader's whole log", timeout, () -> {
            Optional<String> leader = agreedLeader();
            Optional<StatusResponse> ls = leader.flatMap(this::status);
            if (ls.isEmpty() || ls.get().getCommitIndex() != ls.get().getLastIndex()) {
                return false;
            }
            long commit = ls.get().getCommitIndex();
            return nodes.keySet().stream().allMatch(id -> status(id).map(s -> s.getAppliedIndex() >= commit
                    && s.getLastIndex() == commit).orElse(false));
        });
    }

    /** Waits until {@code id} has applied at least what the leader had committed when this was called. */
    void awaitCaughtUp(String id, Duration timeout) throws InterruptedException {
        long[] commit = {-1};
        awaitCondition("the leader reports its commit index", timeout, () -> {
            commit[0] = agreedLeader().flatMap(this::status).map(StatusResponse::getCommitIndex).orElse(-1L);
            return commit[0] >= 0;
        });
        awaitCondition(id + " applied index " + commit[0], timeout,
                () -> status(id).map(s -> s.getAppliedIndex() >= commit[0]).orElse(false));
    }

    private void awaitCondition(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what + "; statuses: "
                        + statuses());
            }
            Thread.sleep(50);
        }
    }

    String statuses() {
        List<String> out = new ArrayList<>();
        for (String id : nodes.keySet()) {
            out.add(status(id).map(s -> id + "[" + s.getRole() + " term " + s.getTerm() + " leader '"
                    + s.getLeaderId() + "' commit " + s.getCommitIndex() + " applied " + s.getAppliedIndex()
                    + " last " + s.getLastIndex() + "]").orElse(id + "[no answer]"));
        }
        return String.join(" ", out);
    }

    /** Every node's recent output, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        nodes.values().forEach(n -> b.append(n.logTail(30)));
        return b.toString();
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ChildNode n : nodes.values()) {
            if (n.isAlive()) {
                try {
                    n.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (AssertionError ignored) {
                    // Already reported by the test, if it matters; the process is gone either way.
                }
            }
        }
    }

}
