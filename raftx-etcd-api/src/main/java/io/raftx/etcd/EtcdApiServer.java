package io.raftx.etcd;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftx.etcd.proto.LeaseLeasesRequest;
import io.raftx.etcd.proto.LeaseLeasesResponse;
import io.raftx.etcd.proto.MemberPromoteRequest;
import io.raftx.etcd.proto.MemberPromoteResponse;
import io.raftx.kv.KvClient;
import io.raftx.kv.KvStateMachine;
import io.raftx.node.RaftNode;
import io.raftx.node.WarmUp;
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

    /** gRPC framing and metadata on top of the request itself, as etcd allows. */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** How often the leader looks for expired leases: TTLs are whole seconds. */
    private static final long LEASE_CHECK_MILLIS = 100;

    private final EtcdApiSettings settings;
    private final EtcdClientSecurity security;
    private final AuthTokens tokens;
    private final List<BindableService> services = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final LeaseClock leaseClock;
    private final KvStateMachine stateMachine;
    private final SpaceQuota quota;
    private Server server;

    /**
     * @param security TLS and credentials for clients; the caller has checked that an open API
     *                 ({@link EtcdClientSecurity#LOOPBACK_ONLY}) is reachable only from this host
     */
    public EtcdApiServer(EtcdApiSettings settings, EtcdClientSecurity security, EtcdNode etcdNode,
                         List<BindableService> extraServices) {
        this.settings = settings;
        this.security = security;
        this.tokens = security.credentials() == null ? null
                : new AuthTokens(security.credentials(), System::currentTimeMillis);
        RaftNode node = etcdNode.node();
        KvClient kv = etcdNode.kv();
        KvStateMachine stateMachine = etcdNode.stateMachine();
        EtcdHeaders headers = new EtcdHeaders(node);
        EtcdMembers members = new EtcdMembers(node, settings.address(), etcdNode.startAddresses());
        EtcdWatchService watch = new EtcdWatchService(stateMachine.watches(), headers, settings.progressInterval());
        resources.add(watch);
        LeaseClock leases = new LeaseClock(node, kv, stateMachine, System::nanoTime);
        this.leaseClock = leases;
        this.stateMachine = stateMachine;
        resources.add(leases);
        services.add(new EtcdKvService(node, kv, stateMachine, headers));
        EtcdLeaseService lease = new EtcdLeaseService(node, kv, stateMachine, headers, leases, settings);
        services.add(NewerMethods.withUnary(lease, "LeaseLeases", LeaseLeasesRequest.getDefaultInstance(),
                LeaseLeasesResponse.getDefaultInstance(), lease::leaseLeases));
        services.add(watch);
        EtcdClusterService cluster = new EtcdClusterService(node, stateMachine, headers, members);
        services.add(NewerMethods.withUnary(cluster, "MemberPromote", MemberPromoteRequest.getDefaultInstance(),
                MemberPromoteResponse.getDefaultInstance(), cluster::memberPromote));
        quota = new SpaceQuota(etcdNode.storageBytes(), settings.quotaBackendBytes(), System::nanoTime);
        EtcdLockTable locks = new EtcdLockTable(node, kv, stateMachine, etcdNode.volatiles());
        resources.add(locks);
        services.add(new EtcdLockService(locks, kv, headers));
        services.add(new EtcdElectionService(locks, kv, etcdNode.volatiles(), headers, stateMachine::revision));
        services.add(new EtcdMaintenanceService(node, stateMachine, headers, members,
                etcdNode.storageBytes(), quota));
        services.add(new EtcdAuthService(tokens, headers, stateMachine::revision));
        services.addAll(extraServices);
    }

    /** Binds the client port; fails with the address in the message when it is taken. */
    public synchronized EtcdApiServer start() {
        String address = settings.address();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(EtcdAddress.host(address), EtcdAddress.port(address)), security.serverCredentials())
                .maxInboundMessageSize(settings.maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                // Every handler only validates, encodes and hands the request to the node's loop or a watch (nothing
                // blocks): running it on the network thread saves a thread hand-off per call each way.
                .directExecutor();
        RequestSizeLimit limit = new RequestSizeLimit(settings.maxRequestBytes());
        // The last interceptor runs first: an unauthenticated call is refused before its size or quota is looked at.
        List<ServerInterceptor> interceptors = security.authenticates()
                ? List.of(quota, limit, new EtcdAuthInterceptor(tokens)) : List.of(quota, limit);
        services.forEach(s -> builder.addService(ServerInterceptors.intercept(s, interceptors)));
        leaseClock.start(stateMachine, LEASE_CHECK_MILLIS);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the etcd API on " + address + ": " + e.getMessage(), e);
        }
        // the leader's lease clock and the forwarded-request paths are first run mid-failover otherwise
        WarmUp.inBackgroundOnce("raftx-etcd-api", "raftx-etcd-warm-up",
                () -> WarmUp.preloadClasses(EtcdApiServer.class, "io/raftx/etcd/"));
        return this;
    }

    /** The bound port (useful when the address asked for port 0). */
    public synchronized int port() {
        return server.getPort();
    }

    public String address() {
        return settings.address();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + r + " failed", e);
            }
        }
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
