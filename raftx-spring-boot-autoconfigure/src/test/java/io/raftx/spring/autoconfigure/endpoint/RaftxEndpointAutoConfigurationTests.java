package io.raftx.spring.autoconfigure.endpoint;

import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.InstanceOfAssertFactories;

import io.raftx.node.RaftNode;
import io.raftx.snapshot.BackupFile;
import io.raftx.spring.actuate.endpoint.RaftxEndpoint;
import io.raftx.spring.actuate.endpoint.WritableRaftxEndpoint;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RaftxEndpointAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                        RaftxEndpointAutoConfiguration.class))
                .withPropertyValues(singleNode(dir));
    }

    @Test
    void isReadOnlyByDefault() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=raftx").run(context -> {
            assertThat(context).hasSingleBean(RaftxEndpoint.class).doesNotHaveBean(WritableRaftxEndpoint.class);
            awaitLeader(context.getBean(RaftNode.class));
            RaftxEndpoint.NodeDescriptor node = context.getBean(RaftxEndpoint.class).node();
            assertThat(node.nodeId()).isEqualTo("n1");
            assertThat(node.role()).isEqualTo("LEADER");
            assertThat(node.leaderId()).isEqualTo("n1");
            assertThat(node.members()).containsOnlyKeys("n1");
        });
    }

    @Test
    void offersLeadershipTransferWhenWritesAreEnabled() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=raftx",
                "raftx.management.write-enabled=true").run(context -> {
                    assertThat(context).hasSingleBean(WritableRaftxEndpoint.class);
                    awaitLeader(context.getBean(RaftNode.class));
                    WritableRaftxEndpoint endpoint = context.getBean(WritableRaftxEndpoint.class);
                    WebEndpointResponse<Object> same = endpoint.write("leader", "n1", null, null, null);
                    assertThat(same.getStatus()).isEqualTo(200);
                    assertThat(same.getBody()).isInstanceOf(RaftxEndpoint.NodeDescriptor.class);
                    WebEndpointResponse<Object> unknown = endpoint.write("leader", "n9", null, null, null);
                    assertThat(unknown.getStatus()).isEqualTo(400);
                    assertThat(unknown.getBody()).asInstanceOf(InstanceOfAssertFactories.MAP).containsKey("error");
                    assertThat(endpoint.write("leader", null, null, null, null).getStatus()).isEqualTo(400);
                    assertThat(endpoint.write("members", null, "n1", "127.0.0.1:1", null).getStatus()).isEqualTo(400);
                    assertThat(endpoint.write("members", null, "bad id", "127.0.0.1:1", null).getStatus()).isEqualTo(400);
                    assertThat(endpoint.delete("members", "n9").getStatus()).isEqualTo(400);
                    assertThat(endpoint.write("snapshot", null, null, null, null).getStatus()).isEqualTo(200);
                    assertThat(endpoint.write("nope", null, null, null, null).getStatus()).isEqualTo(404);
                    assertThat(endpoint.delete("leader", "n1").getStatus()).isEqualTo(404);
                });
    }

    @Test
    void writesABackupToTheGivenFileAndRefusesToOverwriteOne() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=raftx",
                "raftx.management.write-enabled=true").run(context -> {
                    awaitLeader(context.getBean(RaftNode.class));
                    WritableRaftxEndpoint endpoint = context.getBean(WritableRaftxEndpoint.class);
                    Path file = dir.resolve("node.backup");
                    WebEndpointResponse<Object> written = endpoint.write("backup", null, null, null, file.toString());
                    assertThat(written.getStatus()).isEqualTo(200);
                    assertThat(written.getBody()).asInstanceOf(InstanceOfAssertFactories.MAP)
                            .containsEntry("clusterId", "raftx").containsEntry("sourceNodeId", "n1")
                            .containsEntry("size", java.nio.file.Files.size(file));
                    assertThat(BackupFile.verify(file, dir).snapshot().membership().voters()).containsExactly("n1");

                    WebEndpointResponse<Object> again = endpoint.write("backup", null, null, null, file.toString());
                    assertThat(again.getStatus()).isEqualTo(400);
                    assertThat(again.getBody()).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("error")
                            .asString().contains("already exists");
                    assertThat(endpoint.write("backup", null, null, null, null).getStatus()).isEqualTo(400);
                    assertThat(endpoint.write("backup", null, null, null, dir.resolve("no/such/dir/b").toString())
                            .getStatus()).isEqualTo(400);
                });
    }

    @Test
    void isOnlyCreatedWhenExposed() {
        runner().run(context -> assertThat(context).doesNotHaveBean(RaftxEndpoint.class));
    }

    @Test
    void needsARunningNodeConfiguration() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class,
                RaftxEndpointAutoConfiguration.class)).withPropertyValues("raftx.enabled=false",
                "management.endpoints.web.exposure.include=raftx")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RaftxEndpoint.class));
    }
}
