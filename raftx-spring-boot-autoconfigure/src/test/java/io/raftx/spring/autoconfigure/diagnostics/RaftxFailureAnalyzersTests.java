package io.raftx.spring.autoconfigure.diagnostics;

import static io.raftx.spring.RaftxTestSupport.FAST_TICK;
import static io.raftx.spring.RaftxTestSupport.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftx.spring.autoconfigure.RaftxAutoConfiguration;
import io.raftx.storage.DataDirIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.UrlResource;

/** Each bad configuration stops start-up, and its analyzer says what to change. */
class RaftxFailureAnalyzersTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RaftxAutoConfiguration.class))
            .withPropertyValues(FAST_TICK);

    private FailureAnalysis analyze(FailureAnalyzer analyzer, String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = analyzer.analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysis").isNotNull();
        return analysis[0];
    }

    @Test
    void missingNodeId() {
        FailureAnalysis a = analyze(new MissingNodeIdFailureAnalyzer(), "raftx.data-dir=" + dir);
        assertThat(a.getDescription()).contains("raftx.node-id is not set");
        assertThat(a.getAction()).contains("raftx.node-id=n1");
    }

    @Test
    void ownIdMissingFromMembers() {
        FailureAnalysis a = analyze(new NodeNotInMembersFailureAnalyzer(), "raftx.node-id=n4",
                "raftx.members.n1=127.0.0.1:7101", "raftx.members.n2=127.0.0.1:7102");
        assertThat(a.getDescription()).contains("'n4'").contains("[n1, n2]");
        assertThat(a.getAction()).contains("raftx.members.n4=host:port").contains("raftx.joining=true");
    }

    @Test
    void duplicateAddresses() {
        FailureAnalysis a = analyze(new DuplicateMemberAddressFailureAnalyzer(), "raftx.node-id=n1",
                "raftx.members.n1=127.0.0.1:7101", "raftx.members.n2=127.0.0.1:7101");
        assertThat(a.getDescription()).contains("[n1, n2]").contains("127.0.0.1:7101");
        assertThat(a.getAction()).contains("its own host:port");
    }

    @Test
    void unwritableDataDirectory() throws IOException {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        FailureAnalysis a = analyze(new DataDirectoryNotWritableFailureAnalyzer(), "raftx.node-id=n1",
                "raftx.address=127.0.0.1:" + freePort(), "raftx.data-dir=" + file.resolve("n1"));
        assertThat(a.getDescription()).contains("not-a-directory").contains("not writable");
        assertThat(a.getAction()).contains("raftx.data-dir");
    }

    @Test
    void peerPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            FailureAnalysis a = analyze(new PeerPortInUseFailureAnalyzer(), "raftx.node-id=n1",
                    "raftx.address=127.0.0.1:" + port, "raftx.data-dir=" + dir.resolve("n1"));
            assertThat(a.getDescription()).contains("peer port " + port).contains("already in use");
            assertThat(a.getAction()).contains("raftx.address").contains("raftx.members");
        }
    }

    @Test
    void clusterTokenRequiredBeyondLoopback() {
        FailureAnalysis a = analyze(new ClusterTokenRequiredFailureAnalyzer(), "raftx.node-id=n1",
                "raftx.members.n1=10.1.2.3:7101", "raftx.members.n2=10.1.2.4:7101");
        assertThat(a.getDescription()).contains("10.1.2.3:7101").contains("10.1.2.4:7101");
        assertThat(a.getAction()).contains("raftx.cluster-token");
    }

    @Test
    void invalidProperty() {
        FailureAnalysis a = analyze(new InvalidRaftxPropertyFailureAnalyzer(), "raftx.node-id=n1",
                "raftx.timing.election-ticks=1");
        assertThat(a.getDescription()).contains("raftx.timing.election-ticks").contains("'1'");
        assertThat(a.getAction()).contains("Change raftx.timing.election-ticks");
    }

    @Test
    void dataDirectoryOfAnotherNode() {
        DataDirIdentity.claim(dir.resolve("n2"), "raftx", "n2"); // what n2 recorded at its first start
        FailureAnalysis a = analyze(new ForeignDataDirectoryFailureAnalyzer(), "raftx.node-id=n1",
                "raftx.address=127.0.0.1:" + freePort(), "raftx.data-dir=" + dir.resolve("n2"));
        assertThat(a.getDescription()).contains("node 'n2' of cluster 'raftx'").contains("node 'n1' of cluster 'raftx'");
        assertThat(a.getAction()).contains("raftx.data-dir");
        assertThat(dir.resolve("n2").resolve("raft.mv")).doesNotExist(); // refused before the storage opened
    }

    @Test
    void everyAnalyzerIsRegistered() throws IOException {
        // This module's own spring.factories, not the first one on the class path.
        URL classes = RaftxAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation();
        String registered = new String(new UrlResource(classes).createRelative("META-INF/spring.factories")
                .getInputStream().readAllBytes());
        for (String analyzer : List.of("MissingNodeId", "NodeNotInMembers", "DuplicateMemberAddress",
                "DataDirectoryNotWritable", "PeerPortInUse", "ClusterTokenRequired", "InvalidRaftxProperty",
                "ForeignDataDirectory")) {
            assertThat(registered).contains(getClass().getPackageName() + "." + analyzer + "FailureAnalyzer");
        }
    }
}
