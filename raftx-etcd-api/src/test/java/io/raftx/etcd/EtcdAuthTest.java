package io.raftx.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.raftx.transport.TestCertificates;
import io.raftx.transport.TransportTlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node cluster with peer TLS, TLS on the client ports from the same certificates, and an etcd user: clients get
 * in with a token from Authenticate (valid on every node) or a trusted client certificate, and every other client
 * gets etcd's status and message, with nothing written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdAuthTest {

    private static final String PASSWORD = "s3cret-enough";
    private static final Duration TOKEN_TTL = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    EtcdTestCluster cluster;
    Path trust;

    @BeforeAll
    void start() throws Exception {
        for (String name : new String[] {"n1", "n2", "n3", "client", "stranger"}) {
            TestCertificates.generate(dir, name);
        }
        trust = TestCertificates.bundle(dir, "trust.pem", "n1", "n2", "n3", "client");
        ChannelCredentials serverTrustOnly = TlsChannelCredentials.newBuilder().trustManager(trust.toFile()).build();
        cluster = new EtcdTestCluster(dir, id -> new TransportTlsConfig(dir.resolve(id + ".crt"),
                dir.resolve(id + ".key"), trust), new EtcdCredentials("root", PASSWORD, TOKEN_TTL), serverTrustOnly);
        cluster.awaitWritable(() -> token(authenticate("n1", "root", PASSWORD)));
    }

    @AfterAll
    void stop() throws InterruptedException {
        cluster.close();
    }

    private String authenticate(String node, String user, String password) {
        return AuthGrpc.newBlockingStub(cluster.channel(node)).authenticate(AuthenticateRequest.newBuilder()
                .setName(user).setPassword(password).build()).getToken();
    }

    static CallCredentials token(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(EtcdAuthInterceptor.TOKEN, token);
                applier.apply(m);
            }
        };
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
                .build();
    }

    private static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build();
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
    }

    @Test
    void aTokenFromOneNodeIsAcceptedByEveryNode() {
        CallCredentials t = token(authenticate("n2", "root", PASSWORD));
        KVGrpc.newBlockingStub(cluster.channel("n1")).withCallCredentials(t).put(put("auth/a", "1"));
        for (String id : cluster.ids()) {
            assertThat(KVGrpc.newBlockingStub(cluster.channel(id)).withCallCredentials(t).range(get("auth/a"))
                    .getKvs(0).getValue().toStringUtf8()).as(id).isEqualTo("1");
        }
    }

    @Test
    void clientsWithoutValidCredentialsGetEtcdsErrorsAndWriteNothing() {
        KVGrpc.KVBlockingStub anonymous = KVGrpc.newBlockingStub(cluster.channel("n1"));
        assertStatus(() -> anonymous.put(put("auth/none", "x")), Status.Code.INVALID_ARGUMENT,
                "etcdserver: user name is empty");
        assertStatus(() -> anonymous.withCallCredentials(token("root.99999999999999.forged")).put(put("auth/none", "x")),
                Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
        assertStatus(() -> authenticate("n1", "root", "wrong-password"), Status.Code.INVALID_ARGUMENT,
                "etcdserver: authentication failed, invalid user ID or password");
        assertStatus(() -> authenticate("n1", "admin", PASSWORD), Status.Code.INVALID_ARGUMENT,
                "etcdserver: authentication failed, invalid user ID or password");
        assertThat(KVGrpc.newBlockingStub(cluster.channel("n3"))
                .withCallCredentials(token(authenticate("n3", "root", PASSWORD))).range(get("auth/none")).getCount())
                .isZero();
    }

    @Test
    void anExpiredTokenIsRefusedAsInvalidSoClientsAuthenticateAgain() throws InterruptedException {
        CallCredentials t = token(authenticate("n1", "root", PASSWORD));
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(cluster.channel("n1")).withCallCredentials(t);
        kv.range(get("auth/a"));
        Thread.sleep(TOKEN_TTL.toMillis() + 200);
        assertStatus(() -> kv.range(get("auth/a")), Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
        KVGrpc.newBlockingStub(cluster.channel("n1")).withCallCredentials(token(authenticate("n1", "root", PASSWORD)))
                .range(get("auth/a"));
    }

    /** Without a password, TLS requires a client certificate the cluster trusts: the handshake fails otherwise. */
    @Test
    void withTlsAndNoPasswordOnlyTrustedClientCertificatesConnect() throws Exception {
        String peer = "127.0.0.1:" + io.raftx.node.GrpcPorts.free();
        String client = "127.0.0.1:" + io.raftx.node.GrpcPorts.free();
        io.raftx.server.RaftxServer single = new io.raftx.server.RaftxServer(new io.raftx.server.ServerSettings("n1",
                peer, client, dir.resolve("single"), java.util.Map.of("n1", peer), EtcdTestCluster.token(),
                Duration.ofMillis(20), io.raftx.transport.TransportConfig.DEFAULT_CLUSTER_ID,
                new TransportTlsConfig(dir.resolve("n1.crt"), dir.resolve("n1.key"), trust),
                null)).start();
        String[] hostPort = client.split(":");
        ManagedChannel withCert = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(hostPort[0],
                Integer.parseInt(hostPort[1]), TlsChannelCredentials.newBuilder().trustManager(trust.toFile())
                        .keyManager(dir.resolve("client.crt").toFile(), dir.resolve("client.key").toFile()).build())
                .build();
        ManagedChannel noCert = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(hostPort[0],
                Integer.parseInt(hostPort[1]), TlsChannelCredentials.newBuilder().trustManager(trust.toFile()).build())
                .build();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    KVGrpc.newBlockingStub(withCert).put(put("single/a", "1")) != null);
            assertThatThrownBy(() -> KVGrpc.newBlockingStub(noCert).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .range(get("single/a"))).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertStatus(() -> AuthGrpc.newBlockingStub(withCert).authenticate(AuthenticateRequest.newBuilder()
                    .setName("root").setPassword(PASSWORD).build()), Status.Code.FAILED_PRECONDITION,
                    "etcdserver: authentication is not enabled");
        } finally {
            withCert.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            noCert.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            single.close();
        }
    }

    @Test
    void aTrustedClientCertificateAuthenticatesWithoutAToken() throws Exception {
        ManagedChannel withCert = cluster.channel("n2", TlsChannelCredentials.newBuilder().trustManager(trust.toFile())
                .keyManager(dir.resolve("client.crt").toFile(), dir.resolve("client.key").toFile()).build());
        ManagedChannel stranger = cluster.channel("n2", TlsChannelCredentials.newBuilder()
                .trustManager(trust.toFile())
                .keyManager(dir.resolve("stranger.crt").toFile(), dir.resolve("stranger.key").toFile()).build());
        ManagedChannel plaintext = cluster.channel("n2", io.grpc.InsecureChannelCredentials.create());
        try {
            KVGrpc.newBlockingStub(withCert).put(put("auth/cert", "yes"));
            assertThat(KVGrpc.newBlockingStub(withCert).range(get("auth/cert")).getCount()).isEqualTo(1);
            // With a password configured a client certificate is optional, and one the cluster does not trust
            // authenticates nobody: the client is as anonymous as one without a certificate.
            assertStatus(() -> KVGrpc.newBlockingStub(stranger).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .put(put("auth/cert", "stranger")), Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
            assertThatThrownBy(() -> KVGrpc.newBlockingStub(plaintext).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .range(get("auth/cert"))).isInstanceOf(StatusRuntimeException.class);
            assertThat(KVGrpc.newBlockingStub(withCert).range(get("auth/cert")).getKvs(0).getValue().toStringUtf8())
                    .isEqualTo("yes");
        } finally {
            for (ManagedChannel c : new ManagedChannel[] {withCert, stranger, plaintext}) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
