package io.raftx.etcd;

import static org.awaitility.Awaitility.await;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.node.GrpcPorts;
import io.raftx.raft.Role;
import io.raftx.server.RaftxServer;
import io.raftx.server.ServerSettings;
import io.raftx.transport.TransportConfig;
import io.raftx.transport.TransportTlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Three standalone RaftX nodes in this JVM (real gRPC on loopback, MVStore in a temp dir), each serving the etcd
 * API on its own client port, with one plaintext client channel per node.
 */
final class EtcdTestCluster implements AutoCloseable {

    private static final String TOKEN = "etcd-api-test-token-0123456789abcd";

    private final Map<String, RaftxServer> servers = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private final Map<String, String> clientAddresses = new LinkedHashMap<>();
    private final Map<String, String> peers = new LinkedHashMap<>();

    EtcdTestCluster(Path dir) {
        this(dir, UnaryOperator.identity());
    }

    /** @param etcdSettings adjusts every node's etcd API settings */
    EtcdTestCluster(Path dir, UnaryOperator<EtcdApiSettings> etcdSettings) {
        this(dir, id -> null, null, InsecureChannelCredentials.create(), etcdSettings);
    }

    /**
     * @param tls         each node's peer and client-port TLS (null: plaintext)
     * @param credentials the etcd user of every node (null: none)
     * @param client      how the test's channels connect
     */
    EtcdTestCluster(Path dir, Function<String, TransportTlsConfig> tls, EtcdCredentials credentials,
                    ChannelCredentials client) {
        this(dir, tls, credentials, client, UnaryOperator.identity());
    }

    private EtcdTestCluster(Path dir, Function<String, TransportTlsConfig> tls, EtcdCredentials credentials,
                            ChannelCredentials client, UnaryOperator<EtcdApiSettings> etcdSettings) {
        for (String id : List.of("n1", "n2", "n3")) {
            peers.put(id, "127.0.0.1:" + GrpcPorts.free());
            clientAddresses.put(id, "127.0.0.1:" + GrpcPorts.free());
        }
        for (String id : peers.keySet()) {
            servers.put(id, new RaftxServer(new ServerSettings(id, peers.get(id), clientAddresses.get(id),
                    dir.resolve(id), peers, TOKEN, Duration.ofMillis(20), TransportConfig.DEFAULT_CLUSTER_ID,
                    tls.apply(id), credentials)).withEtcdSettings(etcdSettings).start());
            channels.put(id, channel(id, client));
        }
    }

    /** A new channel to node {@code id}'s client port (the caller closes it). */
    ManagedChannel channel(String id, ChannelCredentials credentials) {
        String[] hostPort = clientAddresses.get(id).split(":");
        return NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]), credentials).build();
    }

    String awaitLeader() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> servers.values().stream()
                .filter(s -> s.node().status() != null && s.node().status().role() == Role.LEADER)
                .map(s -> s.node().id()).findFirst().orElse(null), id -> id != null);
    }

    /** Waits until a write through every node succeeds: a leader is elected and its term's first entry committed. */
    void awaitWritable() {
        awaitWritable(() -> null);
    }

    /** As {@link #awaitWritable()}, with call credentials (a token; null: none) made for each attempt. */
    void awaitWritable(java.util.function.Supplier<io.grpc.CallCredentials> callCredentials) {
        for (String id : servers.keySet()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                io.etcd.jetcd.api.KVGrpc.newBlockingStub(channels.get(id)).withCallCredentials(callCredentials.get())
                        .put(io.etcd.jetcd.api.PutRequest.newBuilder()
                        .setKey(com.google.protobuf.ByteString.copyFromUtf8("cluster.ready"))
                        .setValue(com.google.protobuf.ByteString.copyFromUtf8(id)).build());
                return true;
            });
        }
    }

    String aFollower() {
        String leader = awaitLeader();
        return servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    ManagedChannel channel(String id) {
        return channels.get(id);
    }

    RaftxServer server(String id) {
        return servers.get(id);
    }

    List<String> ids() {
        return new ArrayList<>(servers.keySet());
    }

    Map<String, String> peers() {
        return peers;
    }

    static String token() {
        return TOKEN;
    }

    /** A jetcd client over every node's client port (the caller closes it). */
    io.etcd.jetcd.Client jetcdClient() {
        return io.etcd.jetcd.Client.builder().endpoints(ids().stream().map(id -> "http://" + clientAddress(id))
                .toArray(String[]::new)).build();
    }

    String clientAddress(String id) {
        return clientAddresses.get(id);
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        servers.values().forEach(RaftxServer::close);
    }
}
