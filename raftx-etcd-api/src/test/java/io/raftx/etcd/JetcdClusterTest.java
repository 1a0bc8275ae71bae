package io.raftx.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Tests that talk to one three-node RaftX cluster through jetcd's own client, shared by the whole test class. */
abstract class JetcdClusterTest {

    @TempDir
    static Path dir;

    static EtcdTestCluster cluster;
    static Client etcd;

    @BeforeAll
    static void startCluster() {
        cluster = new EtcdTestCluster(dir);
        cluster.awaitWritable();
        etcd = cluster.jetcdClient();
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (etcd != null) {
            etcd.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
