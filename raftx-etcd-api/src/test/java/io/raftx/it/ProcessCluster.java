package io.raftx.it;

import io.etcd.jetcd.api.KVGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.node.GrpcPorts;
import io.raftx.server.FaultNodeMain;
import io.raftx.server.NodeMain;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A cluster of {@link ChildNode} processes on loopback, with one client channel per node for the etcd KV API and
 * the {@code raftx.v1.Admin/Status} service.
 */
final class ProcessCluster implements AutoCloseable {

    private static final String TOKEN = "process-cluster-token-0123456789";

    static String token() {
        return TOKEN;
    }

    private final Map<String, ChildNode> nodes = new ConcurrentSkipListMap<>();
    private final Map<String, Integer> numbers = new ConcurrentHashMap<>();
    /** Kept after a node is removed (its calls then fail as a dead node's would), closed with the cluster. */
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> volatileChannels = new ConcurrentHashMap<>();
    private final Path dataRoot;
    private final Path logDir;
    private final int tickMillis;
    private final PeerNetwork network;
    /** Further NodeMain arguments for every node, such as {@code --cluster-id=...}. */
    private final List<String> extraArguments;
    private int lastNumber;

    ProcessCluster(int size, Path dataRoot, Path logDir, int tickMillis) {
        this(size, "n", dataRoot, logDir, tickMillis, null, List.of());
    }

    ProcessCluster(int size, Path dataRoot, Path logDir, int tickMillis, PeerNetwork network) {
        this(size, "n", dataRoot, logDir, tickMillis, network, List.of());
    }

    /** Nodes {@code <prefix>1..<prefix>size}, each also given {@code extraArguments}. */
    ProcessCluster(int size, String prefix, Path dataRoot, Path logDir, int tickMillis, List<String> extraArguments) {
        this(size, prefix, dataRoot, logDir, tickMillis, null, extraArguments);
    }

    /**
     * With a {@link PeerNetwork}, peers talk through its cuttable links and every node also serves the test-only
     * volatile API ({@link VolatileTestApi}); without one, they talk directly.
     */
    private ProcessCluster(int size, String prefix, Path dataRoot, Path logDir, int tickMillis, PeerNetwork network,
                           List<String> extraArguments) {
        this.extraArguments = List.copyOf(extraArguments);
        this.dataRoot = dataRoot;
        this.logDir = logDir;
        this.tickMillis = tickMillis;
        this.network = network;
        Map<String, Integer> initial = new LinkedHashMap<>();
        Map<String, String> peerAddresses = new LinkedHashMap<>();
        for (int k = 1; k <= size; k++) {
            int port = GrpcPorts.free();
            initial.put(prefix + k, port);
            peerAddresses.put(prefix + k, (network == null ? "127.0.0.1" : PeerNetwork.host(k)) + ":" + port);
        }
        String members = memberList(peerAddresses);
        initial.forEach((id, port) -> create(id, ++lastNumber, port, peerAddresses.get(id), members));
    }

    private static String memberList(Map<String, String> peerAddresses) {
        return peerAddresses.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private ChildNode create(String id, int number, int peerPort, String peerAddress, String members) {
        String client = "127.0.0.1:" + GrpcPorts.free();
        List<String> jvmOptions = List.of();
        String main = NodeMain.class.getName();
        List<String> extra = extraArguments;
        if (network != null) {
            int volatilePort = GrpcPorts.free();
            jvmOptions = List.of(network.register(number, peerPort));
            main = FaultNodeMain.class.getName();
            extra = new java.util.ArrayList<>(extraArguments);
            extra.add("--volatile-port=" + volatilePort);
            volatileChannels.put(id, NettyChannelBuilder.forAddress("127.0.0.1", volatilePort).usePlaintext().build());
        }
        ChildNode node = new ChildNode(id, peerAddress, client, dataRoot.resolve(id), logDir, members, TOKEN,
                tickMillis, jvmOptions, main, extra);
        numbers.put(id, number);
        int port = Integer.parseInt(client.substring(client.lastIndexOf(':') + 1));
        channels.put(id, NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        nodes.put(id, node); // last: clients pick from ids(), and everything they need must be there
        return node;
    }

    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** The node's number in the {@link PeerNetwork} (h&lt;number&gt;). */
    int number(String id) {
        return numbers.get(id);
    }

    /**
     * Starts a new node that joins the current members (it is not one of them: it waits until added) and waits until
     * it serves. Its id is the one etcd's MemberAdd derives from its peer URL ({@code host-port}).
     */
    synchronized String startJoiner(Duration readyTimeout) throws InterruptedException {
        int number = ++lastNumber;
        int port = GrpcPorts.free();
        String address = (network == null ? "127.0.0.1" : PeerNetwork.host(number)) + ":" + port;
        String id = address.replace(':', '-');
        Map<String, String> current = new LinkedHashMap<>();
        nodes.values().forEach(n -> current.put(n.id, n.peerAddress));
        ChildNode node = create(id, number, port, address, memberList(current));
        node.start();
        node.awaitReady(readyTimeout);
        return id;
    }

    /** Stops tracking a node (after it was removed from the configuration) and SIGKILLs it. */
    void discard(String id) throws InterruptedException {
        ChildNode node = nodes.remove(id);
        if (node != null && node.isAlive()) {
            node.kill();
        }
    }

    String peerAddress(String id) {
        return nodes.get(id).peerAddress;
    }

    void pause(String id) throws InterruptedException {
        nodes.get(id).pause();
    }

    void resume(String id) throws InterruptedException {
        nodes.get(id).resume();
    }

    ManagedChannel volatileChannel(String id) {
        return volatileChannels.get(id);
    }

    ManagedChannel channel(String id) {
        return channels.get(id);
    }

    ChildNode node(String id) {
        return nodes.get(id);
    }

    /** The current members as NodeMain's {@code --members} value. */
    String members() {
        Map<String, String> current = new LinkedHashMap<>();
        nodes.values().forEach(n -> current.put(n.id, n.peerAddress));
        return memberList(current);
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
        if (volatileChannels.containsKey(id)) {
            volatileChannels.get(id).resetConnectBackoff();
        }
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
        volatileChannels.values().forEach(ManagedChannel::shutdownNow);
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
