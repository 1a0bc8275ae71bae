package io.raftx.etcd.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftx.etcd.EtcdApiServer;
import io.raftx.node.GrpcPorts;
import io.raftx.node.RaftNode;
import io.raftx.raft.Role;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.spring.core.StringRaftxTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RaftxEtcdApiAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class, RaftxEtcdApiAutoConfiguration.class))
            .withPropertyValues("raftx.node-id=n1", "raftx.address=127.0.0.1:" + GrpcPorts.free(),
                    "raftx.timing.tick=10ms");

    @Test
    void withoutAnAddressTheApiIsNotServed() {
        runner.withPropertyValues("raftx.data-dir=" + dir).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(RaftNode.class).doesNotHaveBean(EtcdApiServer.class));
    }

    @Test
    void withAnAddressEtcdClientsSeeTheApplicationsKeys() {
        int port = GrpcPorts.free();
        runner.withPropertyValues("raftx.data-dir=" + dir, "raftx.etcd.address=127.0.0.1:" + port).run(context -> {
            assertThat(context).hasSingleBean(EtcdApiServer.class);
            RaftNode node = context.getBean(RaftNode.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status() != null && node.status().role() == Role.LEADER);
            context.getBean(StringRaftxTemplate.class).set("app.colour", "green");

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
                RangeResponse read = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("app.colour")).build());
                assertThat(read.getKvsList()).singleElement()
                        .satisfies(kvs -> assertThat(kvs.getValue().toStringUtf8()).contains("green"));
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("etcd.written"))
                        .setValue(ByteString.copyFromUtf8("by etcdctl")).build());
                assertThat(context.getBean(StringRaftxTemplate.class).get("etcd.written")).isPresent();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void anOpenApiBeyondLoopbackFailsTheStartSayingWhatToSet() {
        runner.withPropertyValues("raftx.data-dir=" + dir, "raftx.etcd.address=0.0.0.0:" + GrpcPorts.free())
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("would accept clients without credentials")
                        .hasMessageContaining("(the etcd API itself)")
                        .hasMessageContaining("raftx.etcd.auth.username and raftx.etcd.auth.password"));
    }

    @Test
    void withAUserClientsNeedItsTokenAndAHalfConfiguredUserFailsTheStart() {
        int port = GrpcPorts.free();
        runner.withPropertyValues("raftx.data-dir=" + dir, "raftx.etcd.address=0.0.0.0:" + port,
                "raftx.etcd.auth.username=app", "raftx.etcd.auth.password=app-password").run(context -> {
            assertThat(context).hasNotFailed();
            RaftNode node = context.getBean(RaftNode.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.status() != null && node.status().role() == Role.LEADER);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                RangeRequest get = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build();
                assertThatThrownBy(() -> KVGrpc.newBlockingStub(channel).range(get))
                        .hasMessageContaining("etcdserver: user name is empty");
                String token = AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                        .setName("app").setPassword("app-password").build()).getToken();
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
                assertThat(KVGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).range(get).getCount())
                        .isZero();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        });
        runner.withPropertyValues("raftx.data-dir=" + dir, "raftx.etcd.address=127.0.0.1:" + port,
                "raftx.etcd.auth.username=app").run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("raftx.etcd.auth needs both username and password"));
    }

    @Test
    void aMalformedAddressFailsTheStartWithTheAddressInTheMessage() {
        runner.withPropertyValues("raftx.data-dir=" + dir, "raftx.etcd.address=localhost").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("'localhost' is not host:port"));
    }
}
