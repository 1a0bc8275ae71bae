package io.raftx.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftx.spring.autoconfigure.diagnostics.ClusterTokenRequiredException;
import io.raftx.spring.autoconfigure.diagnostics.DuplicateMemberAddressException;
import io.raftx.spring.autoconfigure.diagnostics.InvalidRaftxPropertyException;
import io.raftx.spring.autoconfigure.diagnostics.MissingNodeIdException;
import io.raftx.spring.autoconfigure.diagnostics.NodeNotInMembersException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RaftxNodeSettingsTests {

    private static RaftxProperties threeNodes(String self) {
        RaftxProperties p = new RaftxProperties();
        p.setNodeId(self);
        Map<String, String> members = new LinkedHashMap<>();
        members.put("n1", "127.0.0.1:7101");
        members.put("n2", "127.0.0.1:7102");
        members.put("n3", "127.0.0.1:7103");
        p.setMembers(members);
        return p;
    }

    @Test
    void takesTheOwnAddressFromTheMembersAndUsesThemAsVoters() {
        RaftxNodeSettings s = RaftxNodeSettings.from(threeNodes("n2"));
        assertThat(s.address()).isEqualTo("127.0.0.1:7102");
        assertThat(s.members()).containsOnlyKeys("n1", "n2", "n3");
        assertThat(s.nodeConfig().raft().voters()).containsExactly("n1", "n2", "n3");
        assertThat(s.transportConfig().bindHost()).isEqualTo("127.0.0.1");
        assertThat(s.transportConfig().port()).isEqualTo(7102);
        assertThat(s.dataDir()).isEqualTo(Path.of("data", "n2"));
        assertThat(s.joining()).isFalse();
    }

    @Test
    void withoutMembersRunsAOneNodeCluster() {
        RaftxProperties p = new RaftxProperties();
        p.setNodeId("solo");
        p.setAddress("localhost:7300");
        RaftxNodeSettings s = RaftxNodeSettings.from(p);
        assertThat(s.members()).containsExactly(Map.entry("solo", "localhost:7300"));
        assertThat(s.nodeConfig().raft().voters()).containsExactly("solo");
    }

    @Test
    void requiresANodeId() {
        assertThatThrownBy(() -> RaftxNodeSettings.from(new RaftxProperties()))
                .isInstanceOf(MissingNodeIdException.class);
        RaftxProperties blank = new RaftxProperties();
        blank.setNodeId("  ");
        assertThatThrownBy(() -> RaftxNodeSettings.from(blank)).isInstanceOf(MissingNodeIdException.class);
    }

    @Test
    void rejectsNodeIdsTheCoreCannotCarry() {
        RaftxProperties p = new RaftxProperties();
        p.setNodeId("node 1");
        assertThatThrownBy(() -> RaftxNodeSettings.from(p)).isInstanceOf(InvalidRaftxPropertyException.class)
                .hasMessageContaining("raftx.node-id");
    }

    @Test
    void requiresTheOwnIdAmongTheMembersUnlessJoining() {
        assertThatThrownBy(() -> RaftxNodeSettings.from(threeNodes("n4")))
                .isInstanceOfSatisfying(NodeNotInMembersException.class, e -> {
                    assertThat(e.getNodeId()).isEqualTo("n4");
                    assertThat(e.getMembers()).containsOnlyKeys("n1", "n2", "n3");
                });
        RaftxProperties joining = threeNodes("n4");
        joining.setJoining(true);
        joining.setAddress("127.0.0.1:7104");
        RaftxNodeSettings s = RaftxNodeSettings.from(joining);
        assertThat(s.joining()).isTrue();
        assertThat(s.members()).doesNotContainKey("n4");
        assertThat(s.nodeConfig().raft().voters()).isEmpty(); // its configuration arrives from the leader
        assertThat(s.nodeConfig().peerAddresses()).containsOnlyKeys("n1", "n2", "n3");
    }

    @Test
    void aJoiningNodeNeedsItsOwnAddressAndMustNotBeListed() {
        RaftxProperties noAddress = threeNodes("n4");
        noAddress.setJoining(true);
        assertThatThrownBy(() -> RaftxNodeSettings.from(noAddress)).hasMessageContaining("raftx.address");
        RaftxProperties listed = threeNodes("n1");
        listed.setJoining(true);
        assertThatThrownBy(() -> RaftxNodeSettings.from(listed)).hasMessageContaining("raftx.joining");
        RaftxProperties alone = new RaftxProperties();
        alone.setNodeId("n4");
        alone.setJoining(true);
        alone.setAddress("127.0.0.1:7104");
        assertThatThrownBy(() -> RaftxNodeSettings.from(alone)).hasMessageContaining("raftx.members");
    }

    @Test
    void rejectsAnAddressThatDiffersFromTheMembersEntry() {
        RaftxProperties p = threeNodes("n1");
        p.setAddress("127.0.0.1:9999");
        assertThatThrownBy(() -> RaftxNodeSettings.from(p)).isInstanceOf(InvalidRaftxPropertyException.class)
                .hasMessageContaining("raftx.address").hasMessageContaining("raftx.members.n1");
        p.setAddress("127.0.0.1:7101");
        assertThat(RaftxNodeSettings.from(p).address()).isEqualTo("127.0.0.1:7101");
    }

    @Test
    void rejectsDuplicateAddressesIgnoringHostCase() {
        RaftxProperties p = threeNodes("n1");
        p.getMembers().put("n1", "localhost:7101");
        p.getMembers().put("n3", "LOCALHOST:7101");
        assertThatThrownBy(() -> RaftxNodeSettings.from(p))
                .isInstanceOfSatisfying(DuplicateMemberAddressException.class,
                        e -> assertThat(e.getNodeIds()).containsExactly("n1", "n3"));
    }

    @Test
    void rejectsMalformedAddressesNamingTheProperty() {
        for (String bad : List.of("127.0.0.1", "127.0.0.1:", ":7101", "host:port", "h:70000", "::1:7101")) {
            RaftxProperties p = threeNodes("n1");
            p.getMembers().put("n2", bad);
            assertThatThrownBy(() -> RaftxNodeSettings.from(p)).as(bad)
                    .isInstanceOfSatisfying(InvalidRaftxPropertyException.class,
                            e -> assertThat(e.getProperty()).isEqualTo("raftx.members.n2"));
        }
        RaftxProperties ipv6 = threeNodes("n1");
        ipv6.getMembers().put("n2", "[::1]:7102");
        assertThat(RaftxNodeSettings.from(ipv6).members()).containsEntry("n2", "[::1]:7102");
    }

    @Test
    void usesTheDevelopmentTokenOnlyOnLoopback() {
        RaftxNodeSettings local = RaftxNodeSettings.from(threeNodes("n1"));
        assertThat(local.developmentToken()).isTrue();
        assertThat(local.transportConfig().clusterToken()).isEqualTo(RaftxNodeSettings.DEVELOPMENT_TOKEN);

        RaftxProperties remote = threeNodes("n1");
        remote.getMembers().put("n3", "10.0.0.3:7103");
        assertThatThrownBy(() -> RaftxNodeSettings.from(remote))
                .isInstanceOfSatisfying(ClusterTokenRequiredException.class,
                        e -> assertThat(e.getNonLoopbackAddresses()).containsExactly("10.0.0.3:7103"));

        RaftxProperties allInterfaces = threeNodes("n1");
        allInterfaces.getTransport().setBindHost("0.0.0.0");
        assertThatThrownBy(() -> RaftxNodeSettings.from(allInterfaces))
                .isInstanceOf(ClusterTokenRequiredException.class);

        remote.setClusterToken("a-real-secret-of-enough-length");
        RaftxNodeSettings secured = RaftxNodeSettings.from(remote);
        assertThat(secured.developmentToken()).isFalse();
        assertThat(secured.transportConfig().clusterToken()).isEqualTo("a-real-secret-of-enough-length");
    }

    @Test
    void rejectsWeakTokensWithoutPrintingThem() {
        RaftxProperties shortToken = threeNodes("n1");
        shortToken.setClusterToken("short");
        assertThatThrownBy(() -> RaftxNodeSettings.from(shortToken))
                .isInstanceOf(InvalidRaftxPropertyException.class).hasMessageContaining("raftx.cluster-token")
                .hasMessageNotContaining("short'");
        RaftxProperties spaces = threeNodes("n1");
        spaces.setClusterToken("has spaces in the secret token");
        assertThatThrownBy(() -> RaftxNodeSettings.from(spaces))
                .isInstanceOf(InvalidRaftxPropertyException.class).hasMessageContaining("raftx.cluster-token")
                .hasMessageNotContaining("has spaces");
    }

    @Test
    void checksTimingAgainstEachOther() {
        RaftxProperties p = threeNodes("n1");
        p.getTiming().setElectionTicks(2);
        p.getTiming().setHeartbeatTicks(2);
        assertThatThrownBy(() -> RaftxNodeSettings.from(p)).hasMessageContaining("raftx.timing.election-ticks");
        RaftxProperties timeout = threeNodes("n1");
        timeout.setRequestTimeout(Duration.ofMillis(10));
        assertThatThrownBy(() -> RaftxNodeSettings.from(timeout)).hasMessageContaining("raftx.request-timeout");
        RaftxProperties tick = threeNodes("n1");
        tick.getTiming().setTick(Duration.ZERO);
        assertThatThrownBy(() -> RaftxNodeSettings.from(tick)).hasMessageContaining("raftx.timing.tick");
        RaftxProperties silent = threeNodes("n1");
        silent.getTiming().setSilentLeaderTicks(2); // not above the heartbeat interval: every idle gap would count
        assertThatThrownBy(() -> RaftxNodeSettings.from(silent)).hasMessageContaining("raftx.timing.silent-leader-ticks")
                .hasMessageContaining("raftx.timing.heartbeat-ticks (2)");
    }

    @Test
    void silentLeaderTicksDefaultToTwoHeartbeatsOfTheConfiguredTiming() {
        RaftxProperties p = threeNodes("n1");
        p.getTiming().setElectionTicks(20);
        p.getTiming().setHeartbeatTicks(3);
        assertThat(RaftxNodeSettings.from(p).nodeConfig().raft().silentLeaderTicks()).isEqualTo(6);
        p.getTiming().setSilentLeaderTicks(0);
        assertThat(RaftxNodeSettings.from(p).nodeConfig().raft().silentLeaderTicks()).as("0 turns it off").isZero();
        p.getTiming().setSilentLeaderTicks(9);
        assertThat(RaftxNodeSettings.from(p).nodeConfig().raft().silentLeaderTicks()).isEqualTo(9);
    }

    @Test
    void mapsEveryTunableIntoTheCoreConfiguration() {
        RaftxProperties p = threeNodes("n1");
        p.setClusterId("orders");
        p.setRequestTimeout(Duration.ofSeconds(3));
        p.getTiming().setTick(Duration.ofMillis(20));
        p.getTiming().setElectionTicks(15);
        p.getTiming().setHeartbeatTicks(3);
        assertThat(RaftxNodeSettings.from(p).nodeConfig().raft().leaseReads()).as("lease reads off by default").isFalse();
        p.getTiming().setLeaseReads(true);
        p.getTransport().setMaxMessageSize(DataSize.ofMegabytes(2));
        p.getTransport().setMaxQueuedMessages(77);
        p.getTransport().setMaxQueuedSize(DataSize.ofMegabytes(3));
        p.getTransport().setMaxInboundSize(DataSize.ofMegabytes(5));
        p.getLimits().setMaxKeySize(DataSize.ofBytes(100));
        p.getLimits().setMaxValueSize(DataSize.ofKilobytes(10));
        p.getLimits().setMaxTxnOps(9);
        p.getWatch().setQueueCapacity(55);
        p.getWatch().setHistorySize(66);
        p.getSnapshot().setThresholdEntries(500);
        p.getSnapshot().setRetainEntries(50);
        p.getSnapshot().setChunkSize(DataSize.ofKilobytes(64));
        p.getVolatile().setRingCapacity(4096);
        p.getVolatile().setMaxValueSize(DataSize.ofKilobytes(8));
        RaftxNodeSettings s = RaftxNodeSettings.from(p);
        assertThat(s.nodeConfig().snapshots()).isEqualTo(new io.raftx.snapshot.SnapshotSettings(500, 50, 64 * 1024));
        assertThat(s.volatileSettings().ringCapacity()).isEqualTo(4096);
        assertThat(s.volatileSettings().maxValueBytes()).isEqualTo(8 * 1024);
        assertThat(s.volatileSettings().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.nodeConfig().tick()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.nodeConfig().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.nodeConfig().raft().electionTicks()).isEqualTo(15);
        assertThat(s.nodeConfig().raft().heartbeatTicks()).isEqualTo(3);
        assertThat(s.nodeConfig().raft().leaseReads()).isTrue();
        assertThat(s.transportConfig().clusterId()).isEqualTo("orders");
        assertThat(s.transportConfig().maxMessageBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(s.transportConfig().maxQueuedMessages()).isEqualTo(77);
        assertThat(s.transportConfig().maxQueuedBytes()).isEqualTo(3 * 1024 * 1024);
        assertThat(s.transportConfig().maxInboundBytes()).isEqualTo(5 * 1024 * 1024);
        assertThat(s.kvLimits().maxKeyBytes()).isEqualTo(100);
        assertThat(s.kvLimits().maxValueBytes()).isEqualTo(10 * 1024);
        assertThat(s.kvLimits().maxTxnOps()).isEqualTo(9);
        assertThat(s.watchOptions().queueCapacity()).isEqualTo(55);
        assertThat(s.watchOptions().historySize()).isEqualTo(66);
    }

    @Test
    void rejectsOutOfRangeTunables() {
        List<java.util.function.Consumer<RaftxProperties>> breakers = List.of(
                p -> p.getTransport().setMaxMessageSize(DataSize.ofBytes(10)),
                p -> p.getTransport().setMaxQueuedMessages(0),
                p -> p.getTransport().setMaxQueuedSize(DataSize.ofMegabytes(1)), // below max-message-size (16MB)
                p -> p.getTransport().setMaxInboundSize(DataSize.ofBytes(0)),
                p -> p.getLimits().setMaxKeySize(DataSize.ofBytes(0)),
                p -> p.getLimits().setMaxTxnOps(0),
                p -> p.getWatch().setQueueCapacity(0),
                p -> p.getWatch().setHistorySize(-1),
                p -> p.getSnapshot().setThresholdEntries(0),
                p -> p.getSnapshot().setRetainEntries(-1),
                p -> p.getSnapshot().setChunkSize(DataSize.ofBytes(10)),
                p -> p.getVolatile().setRingCapacity(0),
                p -> p.getVolatile().setMaxValueSize(DataSize.ofBytes(0)),
                p -> p.getStorage().setCacheSize(DataSize.ofKilobytes(10)),
                p -> p.getShutdown().setLeadershipTransferTimeout(Duration.ofSeconds(-1)),
                p -> p.getManagement().getHealth().setMaxApplyLag(-1),
                p -> p.setClusterId(" "));
        for (var breaker : breakers) {
            RaftxProperties p = threeNodes("n1");
            breaker.accept(p);
            assertThatThrownBy(() -> RaftxNodeSettings.from(p)).isInstanceOf(InvalidRaftxPropertyException.class);
        }
    }

    @Test
    void aNonPositiveInboundBoundNamesThePropertyAndWhatItBounds() {
        RaftxProperties p = threeNodes("n1");
        p.getTransport().setMaxInboundSize(DataSize.ofBytes(0));
        assertThatThrownBy(() -> RaftxNodeSettings.from(p)).isInstanceOf(InvalidRaftxPropertyException.class)
                .hasMessageContaining("raftx.transport.max-inbound-size").hasMessageContaining("must be positive");
        assertThat(RaftxNodeSettings.from(threeNodes("n1")).transportConfig().maxInboundBytes())
                .as("default").isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void tlsNeedsAllThreeReadableFiles() {
        RaftxProperties partial = threeNodes("n1");
        partial.getTransport().getTls().setCertificateChain(Path.of("cert.pem"));
        assertThatThrownBy(() -> RaftxNodeSettings.from(partial)).hasMessageContaining("raftx.transport.tls")
                .hasMessageContaining("all of");
        RaftxProperties missing = threeNodes("n1");
        missing.getTransport().getTls().setCertificateChain(Path.of("missing-cert.pem"));
        missing.getTransport().getTls().setPrivateKey(Path.of("missing-key.pem"));
        missing.getTransport().getTls().setTrustCertificates(Path.of("missing-ca.pem"));
        assertThatThrownBy(() -> RaftxNodeSettings.from(missing)).hasMessageContaining("not found");
    }
}
