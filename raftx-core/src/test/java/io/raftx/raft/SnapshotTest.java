package io.raftx.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static TestNetwork elected() {
        TestNetwork net = TestNetwork.of("n1", "n2", "n3");
        net.tickAll(30);
        assertThat(net.leader()).isEqualTo("n1");
        return net;
    }

    private static void propose(TestNetwork net, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(net.node(net.leader()).propose(i, new byte[] {(byte) i}).accepted()).isTrue();
            net.settle();
        }
        net.tickAll(2);
    }

    @Test
    void laggingFollowerReceivesSnapshotThenTheRestOfTheLog() {
        TestNetwork net = elected();
        net.partition(Set.of("n3"));
        propose(net, 0, 50);
        net.snapshot("n1");
        assertThat(net.node("n1").firstIndex()).isGreaterThan(40);
        propose(net, 50, 60);
        net.heal();
        net.tickAll(5);
        assertThat(net.delivered).anyMatch(m -> m.type() == MessageType.SNAPSHOT && m.to().equals("n3"));
        assertThat(net.node("n3").lastIndex()).isEqualTo(net.node("n1").lastIndex());
        assertThat(net.applied.get("n3")).isEqualTo(net.applied.get("n1"));
        assertThat(net.node("n3").commitIndex()).isEqualTo(net.node("n1").commitIndex());
    }

    @Test
    void followerThatHasTheSnapshotsLastEntryIsNotSentASnapshot() {
        TestNetwork net = elected();
        propose(net, 0, 20);
        net.snapshot("n1");
        propose(net, 20, 25);
        assertThat(net.delivered).noneMatch(m -> m.type() == MessageType.SNAPSHOT);
        assertThat(net.applied.get("n2")).isEqualTo(net.applied.get("n1"));
    }

    @Test
    void nodeRestartsFromSnapshotAndLogSuffix() {
        TestNetwork net = elected();
        propose(net, 0, 30);
        net.snapshot("n2");
        propose(net, 30, 35);
        net.crash("n2");
        net.start("n2");
        Raft n2 = net.node("n2");
        assertThat(n2.firstIndex()).isGreaterThan(1);
        assertThat(n2.appliedIndex()).isEqualTo(n2.latestSnapshot().index());
        net.tickAll(5);
        assertThat(net.applied.get("n2")).isEqualTo(net.applied.get("n1"));
    }

    @Test
    void restartedLeaderWithCompactedLogStillServesSnapshotsAfterReelection() {
        TestNetwork net = elected();
        propose(net, 0, 30);
        for (String id : new String[] {"n1", "n2", "n3"}) {
            net.snapshot(id);
        }
        net.crash("n3");
        propose(net, 30, 40);
        net.snapshot("n1");
        net.snapshot("n2");
        net.start("n3");
        net.tickAll(10);
        assertThat(net.applied.get("n3")).isEqualTo(net.applied.get("n1"));
    }

    @Test
    void cannotCompactBeyondTheSnapshotOrSnapshotBeyondApplied() {
        TestNetwork net = elected();
        propose(net, 0, 5);
        assertThatThrownBy(() -> net.node("n1").snapshots().compactLog(3))
                .hasMessageContaining("no snapshot covers it");
        assertThatThrownBy(() -> net.node("n1").snapshots().taken(net.node("n1").appliedIndex() + 1))
                .hasMessageContaining("applied index");
    }
}
