package io.raftx.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application that adds only the starter gets the engine, Spring Boot and gRPC over shaded Netty, and neither the
 * etcd API's stubs (jetcd-grpc, in raftx-etcd-api) nor an unshaded Netty. The test runs on the starter's own
 * resolved classpath (its test scope adds only JUnit and AssertJ).
 */
class StarterClasspathTest {

    private static final List<String> classpath = Arrays.asList(
            System.getProperty("java.class.path").split(File.pathSeparator));

    @Test
    void theStarterBringsTheEngineAndTheAutoConfiguration() throws Exception {
        // Controls: the classpath under test is the starter's, with the pieces an application needs.
        Class.forName("io.raftx.node.RaftNode");
        Class.forName("io.raftx.spring.autoconfigure.RaftxAutoConfiguration");
        Class.forName("io.grpc.netty.shaded.io.netty.channel.Channel");
        assertThat(classpath).anyMatch(entry -> entry.contains("grpc-netty-shaded"));
    }

    @Test
    void noEtcdStubsAndNoUnshadedNetty() {
        assertThat(classpath).noneMatch(entry -> entry.contains("jetcd"))
                .noneMatch(entry -> entry.matches(".*[/\\\\]netty-[^/\\\\]*\\.jar"))
                .noneMatch(entry -> entry.matches(".*[/\\\\]grpc-netty-\\d[^/\\\\]*\\.jar"))
                .noneMatch(entry -> entry.contains("raftx-etcd-api"));
        for (String absent : List.of("io.etcd.jetcd.api.KVGrpc", "io.netty.channel.Channel",
                "io.grpc.netty.NettyServerBuilder", "io.raftx.etcd.EtcdApiServer")) {
            assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
