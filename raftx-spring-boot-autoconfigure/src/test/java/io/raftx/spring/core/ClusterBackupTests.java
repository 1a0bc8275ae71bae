package io.raftx.spring.core;

import static io.raftx.spring.RaftxTestSupport.FAST_TICK;
import static io.raftx.spring.RaftxTestSupport.awaitLeader;
import static io.raftx.spring.RaftxTestSupport.freePort;
import static io.raftx.spring.RaftxTestSupport.singleNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.node.RaftNode;
import io.raftx.node.ReadConsistency;
import io.raftx.snapshot.BackupFile;
import io.raftx.snapshot.ClusterRestore;
import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code opsForCluster().backup}: a backup from the template restores into a new cluster that has the data. */
class ClusterBackupTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class));
    }

    @Test
    void aBackupFromTheTemplateRestoresIntoANewClusterWithTheSameKeys() throws Exception {
        Path backup = dir.resolve("app.backup");
        runner().withPropertyValues(singleNode(dir)).run(context -> {
            awaitLeader(context.getBean(RaftNode.class));
            StringRaftxTemplate raftx = context.getBean(StringRaftxTemplate.class);
            raftx.set("ai.model.threshold", "0.7");
            raftx.set("ai.model.name", "m-42");
            BackupFile written = raftx.opsForCluster().backup(backup);
            assertThat(written.clusterId()).isEqualTo("raftx");
            assertThat(written.size()).isEqualTo(Files.size(backup));
            assertThatThrownBy(() -> raftx.opsForCluster().backup(backup))
                    .isInstanceOf(RaftxInvalidRequestException.class).hasMessageContaining("already exists");
        });

        String address = "127.0.0.1:" + freePort();
        ClusterRestore.restore(backup, new ClusterRestore.Plan("restored", Map.of("a", address), "raftx"), "a",
                dir.resolve("a"));
        runner().withPropertyValues("raftx.node-id=a", "raftx.address=" + address, "raftx.cluster-id=restored",
                "raftx.members.a=" + address, "raftx.data-dir=" + dir.resolve("a"), FAST_TICK).run(context -> {
                    assertThat(context).hasNotFailed();
                    awaitLeader(context.getBean(RaftNode.class));
                    StringRaftxTemplate raftx = context.getBean(StringRaftxTemplate.class);
                    assertThat(raftx.get("ai.model.threshold", ReadConsistency.LINEARIZABLE)).contains("0.7");
                    assertThat(raftx.get("ai.model.name", ReadConsistency.LINEARIZABLE)).contains("m-42");
                });
    }
}
