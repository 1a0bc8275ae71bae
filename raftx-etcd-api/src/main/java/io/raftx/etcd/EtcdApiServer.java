package io.raftx.etcd;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The etcd v3 API of one node on its client address (host:port), so etcdctl and etcd clients work against it. The
 * standalone server and the Spring Boot auto-configuration both serve the API through this class; extra services
 * (the standalone server's {@code raftx.v1.Admin}) share the port.
 */
public final class EtcdApiServer implements AutoCloseable {

    private final String address;
    private final List<BindableService> services;
    private Server server;

    public EtcdApiServer(String address, RaftNode node, KvClient kv, KvStateMachine stateMachine,
                         List<BindableService> extraServices) {
        this.address = EtcdAddress.requireValid(address);
        EtcdHeaders headers = new EtcdHeaders(node);
        this.services = new ArrayList<>(List.of(new EtcdKvService(node, kv, stateMachine, headers)));
        this.services.addAll(extraServices);
    }

    /** Binds the client port; fails with the address in the message when it is taken. */
    public synchronized EtcdApiServer start() {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(EtcdAddress.host(address), EtcdAddress.port(address)))
                // Every handler only validates, encodes and hands the request to the node's loop (nothing blocks):
                // running it on the network thread saves a thread hand-off per call each way.
                .directExecutor();
        services.forEach(builder::addService);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the etcd API on " + address + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The bound port (useful when the address asked for port 0). */
    public synchronized int port() {
        return server.getPort();
    }

    public String address() {
        return address;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }
}
